import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ModelgovError, isModelgovError } from '../../errors.js';
import type { AdapterOptions, HistoryEvent, Registry, RegistryRow, UpsertResult } from '../../ports.js';
import { DEFAULT_REGISTRY_TABLE, HISTORY_COLUMNS, REGISTRY_COLUMNS, historyTableName } from './columns.js';
import {
  TABLE_COLUMNS_SQL,
  createHistoryTableSql,
  createRegistryTableSql,
  insertHistorySql,
  isSafeTableName,
  mergeRegistrySql,
  selectSql,
} from './duckdb-sql.js';
import {
  InvalidValueError,
  decodeRecord,
  encodeRecord,
  formatNaiveTimestamp,
  isCalendarDate,
  type ColumnDef,
  type WireValue,
} from './duckdb-values.js';

type DuckDbModule = typeof import('@duckdb/node-api');

/** How long a command waits for another process to release the registry file, by default. */
export const DEFAULT_LOCK_WAIT_MS = 3_000;

/** A parsed `duckdb:<path>[#table]` location. */
export interface DuckDbLocation {
  /** Absolute path of the database file. */
  file: string;
  table: string;
  historyTable: string;
}

/**
 * Parses `duckdb:<path>[#table]`. The path is relative to `root` unless absolute; the table
 * defaults to `model_registry` and its history table is `<table>_history`.
 */
export function parseDuckDbLocation(location: string, root: string): DuckDbLocation {
  const invalid = (why: string) =>
    new ModelgovError('CONFIG_INVALID', `registry: ${why} ${JSON.stringify(location)}`, {
      fix: 'Write the registry location as "duckdb:<path>[#table]", e.g. "duckdb:.modelgov/registry.duckdb".',
    });
  if (!location.startsWith('duckdb:')) throw invalid('not a DuckDB location');
  const rest = location.slice('duckdb:'.length);
  const hash = rest.lastIndexOf('#');
  const path = hash === -1 ? rest : rest.slice(0, hash);
  const table = hash === -1 ? DEFAULT_REGISTRY_TABLE : rest.slice(hash + 1);
  if (path.trim() === '') throw invalid('no file path in');
  // ':memory:' and friends would silently lose every write: each call opens a fresh database.
  if (path.startsWith(':')) throw invalid('needs a file path (in-memory databases are not kept between calls) in');
  if (!isSafeTableName(table)) {
    throw invalid(`table name must be letters, digits and _ (not starting with a digit, at most 63) in`);
  }
  return {
    file: isAbsolute(path) ? path : resolve(root, path),
    table,
    historyTable: historyTableName(table),
  };
}

/**
 * Opens the registry kept in a local DuckDB file. Loads `@duckdb/node-api` here, lazily, so
 * commands that never touch the registry never pay for it. Nothing is opened or created until
 * the first call; reads of a file that does not exist yet return nothing and create nothing.
 */
export async function createDuckDbRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  const parsed = parseDuckDbLocation(location, opts.root);
  let duckdb: DuckDbModule;
  try {
    // require, not import(): the package is CommonJS re-exporting ~190 files, and import() makes
    // Node scan every one of them for named exports (cold load 327 ms -> 226 ms, bench figure 2a).
    duckdb = createRequire(import.meta.url)('@duckdb/node-api') as DuckDbModule;
  } catch (cause) {
    throw new ModelgovError('INTERNAL', `could not load @duckdb/node-api for the registry ${parsed.file}`, {
      file: parsed.file,
      cause,
      fix: 'Reinstall modelgov (`npm ci`) so the prebuilt DuckDB binary for this platform is present.',
    });
  }
  return new DuckDbRegistry(location, parsed, duckdb, opts.timeoutMs ?? DEFAULT_LOCK_WAIT_MS);
}

// DuckDB's file lock is per process: two instances of this process would both get it and could
// write over each other. Every open of a file in this process therefore goes through one queue.
const fileQueues = new Map<string, Promise<unknown>>();

async function exclusive<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const before = fileQueues.get(file) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  fileQueues.set(file, tail);
  try {
    return await run;
  } finally {
    if (fileQueues.get(file) === tail) fileQueues.delete(file);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isLockError(e: unknown): boolean {
  return /Could not set lock on file/i.test(messageOf(e));
}

function ioError(file: string, cause: unknown): ModelgovError {
  return new ModelgovError('IO', `registry ${file}: ${messageOf(cause)}`, {
    file,
    cause,
    fix: `Check that ${file} is a DuckDB database written by modelgov and that its directory is writable.`,
  });
}

type Mode = 'READ_ONLY' | 'READ_WRITE';

class DuckDbRegistry implements Registry {
  private readonly file: string;

  constructor(
    readonly location: string,
    private readonly loc: DuckDbLocation,
    private readonly duckdb: DuckDbModule,
    private readonly lockWaitMs: number,
  ) {
    this.file = loc.file;
  }

  async list(filter: { system?: string } = {}): Promise<RegistryRow[]> {
    const where = filter.system === undefined ? [] : [{ column: 'system_id', param: 'system' }];
    const params: Record<string, string> = filter.system === undefined ? {} : { system: filter.system };
    return this.selectRows(where, params);
  }

  async get(modelId: string): Promise<RegistryRow | undefined> {
    const rows = await this.selectRows([{ column: 'model_id', param: 'id' }], { id: modelId });
    return rows[0];
  }

  async findByWindow(start: string, end: string, system?: string): Promise<RegistryRow[]> {
    for (const d of [start, end]) {
      if (!isCalendarDate(d)) {
        throw new ModelgovError('USAGE', `not a calendar date (YYYY-MM-DD): ${JSON.stringify(d)}`, {
          fix: 'Pass training dates as YYYY-MM-DD, e.g. 2026-01-08.',
        });
      }
    }
    const where: { column: string; param: string; cast?: 'DATE' }[] = [
      { column: 'training_start_date', param: 'start', cast: 'DATE' },
      { column: 'training_end_date', param: 'end', cast: 'DATE' },
    ];
    const params: Record<string, string> = { start, end };
    if (system !== undefined) {
      where.push({ column: 'system_id', param: 'system' });
      params.system = system;
    }
    return this.selectRows(where, params);
  }

  async upsert(rows: RegistryRow[], history: HistoryEvent[]): Promise<UpsertResult> {
    if (rows.length === 0 && history.length === 0) return { affectedRows: 0, requests: 0 };
    // Validate everything before the file is touched: a bad value writes nothing.
    const rowBatch = this.encodeRows(rows);
    const eventBatch = this.encodeEvents(history);
    const affectedRows = await this.write(async (conn) => {
      let affected = 0;
      if (rowBatch.length > 0) {
        const now = formatNaiveTimestamp(BigInt(Date.now()) * 1000n);
        const result = await conn.run(mergeRegistrySql(this.loc.table), { rows: JSON.stringify(rowBatch), now });
        affected = result.rowsChanged;
      }
      if (eventBatch.length > 0) await this.insertEvents(conn, eventBatch);
      return affected;
    });
    return { affectedRows, requests: 1 };
  }

  async appendHistory(events: HistoryEvent[]): Promise<void> {
    if (events.length === 0) return;
    const batch = this.encodeEvents(events);
    await this.write((conn) => this.insertEvents(conn, batch));
  }

  async history(filter: { modelId?: string; system?: string } = {}): Promise<HistoryEvent[]> {
    const where: { column: string; param: string }[] = [];
    const params: Record<string, string> = {};
    if (filter.modelId !== undefined) {
      where.push({ column: 'model_id', param: 'id' });
      params.id = filter.modelId;
    }
    if (filter.system !== undefined) {
      where.push({ column: 'system_id', param: 'system' });
      params.system = filter.system;
    }
    const sql = selectSql(this.loc.historyTable, HISTORY_COLUMNS, where, ['changed_at', 'event_id']);
    return this.read(this.loc.historyTable, HISTORY_COLUMNS, [], async (conn) => {
      const reader = await conn.runAndReadAll(sql, params);
      return reader.getRowObjects().map((r) => decodeRecord<HistoryEvent>(HISTORY_COLUMNS, r));
    });
  }

  /** Connections are opened per call and closed before it returns, so there is nothing to release. */
  async close(): Promise<void> {
    await (fileQueues.get(this.file) ?? Promise.resolve());
  }

  private async selectRows(
    where: { column: string; param: string; cast?: 'DATE' }[],
    params: Record<string, string>,
  ): Promise<RegistryRow[]> {
    const sql = selectSql(this.loc.table, REGISTRY_COLUMNS, where, ['system_id', 'model_id']);
    return this.read(this.loc.table, REGISTRY_COLUMNS, [], async (conn) => {
      const reader = await conn.runAndReadAll(sql, params);
      return reader.getRowObjects().map((r) => decodeRecord<RegistryRow>(REGISTRY_COLUMNS, r));
    });
  }

  private encodeRows(rows: RegistryRow[]): Record<string, WireValue>[] {
    const seen = new Set<string>();
    return rows.map((row, i) => {
      if (typeof row.model_id === 'string' && seen.has(row.model_id)) {
        throw new ModelgovError('MANIFEST_INVALID', `model id ${JSON.stringify(row.model_id)} appears twice in one sync`, {
          file: this.file,
          fix: 'Model ids are the registry key: give each model (across all systems) a unique id in its manifest.',
        });
      }
      seen.add(row.model_id);
      return this.encode(REGISTRY_COLUMNS, row, () => `registry row ${i} (${JSON.stringify(row.model_id)})`, 'MANIFEST_INVALID');
    });
  }

  private encodeEvents(events: HistoryEvent[]): Record<string, WireValue>[] {
    return events.map((e, i) =>
      this.encode(HISTORY_COLUMNS, e, () => `history event ${i} (${JSON.stringify(e.event_id)})`, 'INTERNAL'),
    );
  }

  private encode(
    columns: readonly ColumnDef[],
    record: object,
    what: () => string,
    code: 'MANIFEST_INVALID' | 'INTERNAL',
  ): Record<string, WireValue> {
    try {
      return encodeRecord(columns, record);
    } catch (e) {
      if (!(e instanceof InvalidValueError)) throw e;
      throw new ModelgovError(code, `${what()}: ${e.message}; nothing was written to ${this.file}`, {
        file: this.file,
        fix:
          code === 'MANIFEST_INVALID'
            ? 'Correct the manifest entry, then run `modelgov sync` again.'
            : 'This is a modelgov bug; please report it with the command you ran.',
      });
    }
  }

  private async insertEvents(conn: DuckDBConnection, batch: Record<string, WireValue>[]): Promise<void> {
    await conn.run(insertHistorySql(this.loc.historyTable), { events: JSON.stringify(batch) });
  }

  /** Runs `fn` on a read-only connection; `empty` when the file or the table does not exist yet. */
  private async read<T>(
    table: string,
    columns: readonly ColumnDef[],
    empty: T,
    fn: (conn: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    return exclusive(this.file, async () => {
      if (!existsSync(this.file)) return empty;
      return this.withConnection('READ_ONLY', async (conn) => {
        const present = (await this.tableColumns(conn)).get(table.toLowerCase());
        if (!present) return empty;
        this.assertColumns(table, columns, present);
        return fn(conn);
      });
    });
  }

  /** Runs `fn` in one transaction that also creates both tables on first use: all or nothing. */
  private async write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return exclusive(this.file, async () => {
      try {
        await mkdir(dirname(this.file), { recursive: true });
      } catch (e) {
        throw ioError(this.file, e);
      }
      return this.withConnection('READ_WRITE', async (conn) => {
        await conn.run('BEGIN TRANSACTION');
        try {
          await conn.run(createRegistryTableSql(this.loc.table));
          await conn.run(createHistoryTableSql(this.loc.historyTable));
          const tables = await this.tableColumns(conn);
          this.assertColumns(this.loc.table, REGISTRY_COLUMNS, tables.get(this.loc.table.toLowerCase()));
          this.assertColumns(this.loc.historyTable, HISTORY_COLUMNS, tables.get(this.loc.historyTable.toLowerCase()));
          const result = await fn(conn);
          await conn.run('COMMIT');
          return result;
        } catch (e) {
          try {
            await conn.run('ROLLBACK');
          } catch {
            // The transaction is already aborted; closing the connection discards it either way.
          }
          throw e;
        }
      });
    });
  }

  /** Lower-cased table name -> its column names (DuckDB resolves identifiers case-insensitively). */
  private async tableColumns(conn: DuckDBConnection): Promise<Map<string, Set<string>>> {
    const reader = await conn.runAndReadAll(TABLE_COLUMNS_SQL);
    const tables = new Map<string, Set<string>>();
    for (const [table, column] of reader.getRows()) {
      const key = String(table).toLowerCase();
      const cols = tables.get(key) ?? new Set<string>();
      cols.add(String(column).toLowerCase());
      tables.set(key, cols);
    }
    return tables;
  }

  private assertColumns(table: string, columns: readonly ColumnDef[], present: Set<string> = new Set()): void {
    const missing = columns.filter((c) => !present.has(c.name)).map((c) => c.name);
    if (missing.length === 0) return;
    throw new ModelgovError('IO', `registry ${this.file}: table ${table} lacks columns ${missing.join(', ')}`, {
      file: this.file,
      fix: `The table was not created by this modelgov version. Move ${this.file} aside (or point "registry" at another table with #name) and run \`modelgov sync\` to rebuild it from the manifests.`,
    });
  }

  /** Opens the file (waiting for another process's lock), runs `fn`, always closes. */
  private async withConnection<T>(mode: Mode, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const instance = await this.open(mode);
    let conn: DuckDBConnection | undefined;
    try {
      conn = await instance.connect();
      return await fn(conn);
    } catch (e) {
      throw isModelgovError(e) ? e : ioError(this.file, e);
    } finally {
      conn?.closeSync();
      instance.closeSync();
    }
  }

  private async open(mode: Mode): Promise<DuckDBInstance> {
    const options = {
      access_mode: mode,
      // Never reach for the network or ~/.duckdb: everything used here is built in.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    const started = Date.now();
    const deadline = started + this.lockWaitMs;
    let delay = 25;
    for (;;) {
      try {
        return await this.duckdb.DuckDBInstance.create(this.file, options);
      } catch (e) {
        if (!isLockError(e)) throw ioError(this.file, e);
        const left = deadline - Date.now();
        if (left <= 0) throw this.lockedError(e, Date.now() - started);
        await sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, 200);
      }
    }
  }

  private lockedError(cause: unknown, waitedMs: number): ModelgovError {
    // DuckDB names the holder ("Conflicting lock is held in /usr/bin/node (PID 123)"): keep that part.
    const holder = /Conflicting lock is held in ([^.]*\(PID \d+\))/.exec(messageOf(cause))?.[1];
    return new ModelgovError(
      'REGISTRY_LOCKED',
      `registry ${this.file} is locked: another modelgov or duckdb process holds it` +
        `${holder ? ` (${holder})` : ''}; gave up after ${(waitedMs / 1000).toFixed(1)} s`,
      {
        file: this.file,
        cause,
        fix: `Wait for that process to finish (or close the duckdb shell / notebook that has ${this.file} open), then run the command again.`,
      },
    );
  }
}
