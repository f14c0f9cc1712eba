import { existsSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { parseLocationOf } from '../../config/location.js';
import { ModelgovError, isModelgovError } from '../../errors.js';
import type { AdapterOptions, CacheRefresh, CacheSources, HistoryEvent, Registry, RegistryRow, UpsertResult } from '../../ports.js';
import { planSync } from '../../sync/plan-sync.js';
import {
  type ColumnDef,
  DEFAULT_REGISTRY_TABLE,
  HISTORY_COLUMNS,
  REGISTRY_COLUMNS,
  assertUniqueModelIds,
  assertWindowDates,
  encodeAll,
  historyTableName,
} from './columns.js';
import {
  TABLE_COLUMNS_SQL,
  cacheTableName,
  createCacheTableSql,
  createHistoryTableSql,
  deleteHistoryOfSystemsSql,
  deleteRowsNotInSql,
  readFingerprintSql,
  writeFingerprintSql,
  createRegistryTableSql,
  insertHistorySql,
  mergeRegistrySql,
  quoteIdent as quoteIdentifier,
  selectSql,
} from './duckdb-sql.js';
import { decodeRecord, encodeRecord, formatNaiveTimestamp, type WireValue } from './duckdb-values.js';

type DuckDbModule = typeof import('@duckdb/node-api');

/** How long a command waits for another process to release the registry file, by default. */
export const DEFAULT_LOCK_WAIT_MS = 3_000;

/** The registry's file and tables, from its `duckdb:<path>[#table]` location. */
interface DuckDbFiles {
  /** Absolute path of the database file. */
  file: string;
  table: string;
  historyTable: string;
}

/**
 * Opens the registry kept in a local DuckDB file. Loads `@duckdb/node-api` here, lazily, so
 * commands that never touch the registry never pay for it. Nothing is opened or created until
 * the first call; reads of a file that does not exist yet return nothing and create nothing.
 */
export async function createDuckDbRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  // The path is relative to the config's directory; the table defaults to model_registry and its
  // history table is <table>_history.
  const { path, table = DEFAULT_REGISTRY_TABLE } = parseLocationOf('registry', location, 'duckdb', opts.root);
  const parsed: DuckDbFiles = { file: path, table, historyTable: historyTableName(table) };
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
  return new DuckDbRegistry(location, parsed, duckdb, opts.timeoutMs ?? DEFAULT_LOCK_WAIT_MS, {
    cache: opts.cache,
    warn: opts.warn ?? ((line) => process.stderr.write(`${line}\n`)),
    afterCommit: opts.afterCommit,
  });
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

/** DuckDB's answers for a file that is not (or no longer) a database it can open. */
function isUnreadableDatabase(e: unknown): boolean {
  return /not a valid DuckDB database|Corrupt|checksum|Serialization Error|unable to read|database file .* version|IO Error: Could not read/i.test(messageOf(e));
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

interface CacheHooks {
  cache?: () => Promise<CacheSources>;
  warn: (line: string) => void;
  afterCommit?: (file: string) => void | Promise<void>;
}

/** The file's identity: a path that now names another inode (or nothing) is not the file we wrote. */
const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

class DuckDbRegistry implements Registry {
  private readonly file: string;
  /** Set once this instance has compared the cache's fingerprint with its sources. */
  private fresh = false;
  /** Set when the cache's content cannot be trusted (a discarded .wal, foreign tables): rebuild whatever the fingerprint says. */
  private distrust = false;

  constructor(
    readonly location: string,
    private readonly loc: DuckDbFiles,
    private readonly duckdb: DuckDbModule,
    private readonly lockWaitMs: number,
    private readonly hooks: CacheHooks = { warn: () => undefined },
  ) {
    this.file = loc.file;
  }

  /**
   * Sync for a cache: read the sources, the rows, plan and write in ONE transaction under the
   * file lock, so concurrent syncs of one change apply it once and the others see it done.
   */
  async refresh(opts: { dryRun: boolean }): Promise<CacheRefresh> {
    if (!this.hooks.cache) throw new ModelgovError('INTERNAL', `registry ${this.file}: refresh needs the cache sources`, { fix: 'This is a modelgov bug; please report it.' });
    return exclusive(this.file, async () => {
      // A dry run creates nothing: without a cache file yet, everything would be inserted.
      if (opts.dryRun && !existsSync(this.file)) return this.planFrom(await this.hooks.cache!(), []);
      return this.withConnection(opts.dryRun ? 'READ_ONLY' : 'READ_WRITE', async (conn) => {
        if (opts.dryRun) {
          const sources = await this.hooks.cache!();
          const tables = await this.tableColumns(conn);
          const existing = tables.has(this.loc.table.toLowerCase()) ? await this.rowsOn(conn) : [];
          return this.planFrom(sources, existing);
        }
        return this.inTransaction(conn, () => this.rebuild(conn, true));
      });
    });
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
    assertWindowDates(start, end);
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
    assertUniqueModelIds(rows, this.file);
    return encodeAll(rows, this.file, (row) => encodeRecord(REGISTRY_COLUMNS, row));
  }

  private encodeEvents(events: HistoryEvent[]): Record<string, WireValue>[] {
    return encodeAll(events, this.file, (event) => encodeRecord(HISTORY_COLUMNS, event));
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
      if (this.hooks.cache && !this.fresh) {
        // First read of this command: compare the fingerprint (and rebuild if it moved) on the
        // same connection that then answers the read, so a fresh cache costs one open.
        return this.withConnection('READ_WRITE', async (conn) => {
          await this.inTransaction(conn, () => this.rebuild(conn, false));
          return fn(conn);
        });
      }
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
    return exclusive(this.file, async () =>
      this.withConnection('READ_WRITE', (conn) =>
        this.inTransaction(conn, async () => {
          if (this.hooks.cache && !this.fresh) await this.rebuild(conn, false);
          return fn(conn);
        }),
      ),
    );
  }

  /** BEGIN, the tables, `fn`, COMMIT; ROLLBACK on any error. */
  private async inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
    await conn.run('BEGIN TRANSACTION');
    try {
      await this.ensureTables(conn);
      const result = await fn();
      await conn.run('COMMIT');
      if (this.hooks.afterCommit) await this.hooks.afterCommit(this.file);
      return result;
    } catch (e) {
      try {
        await conn.run('ROLLBACK');
      } catch {
        // The transaction is already aborted; closing the connection discards it either way.
      }
      throw e;
    }
  }

  private async ensureTables(conn: DuckDBConnection): Promise<void> {
    const create = async () => {
      await conn.run(createRegistryTableSql(this.loc.table));
      await conn.run(createHistoryTableSql(this.loc.historyTable));
      if (this.hooks.cache) await conn.run(createCacheTableSql(cacheTableName(this.loc.table)));
    };
    await create();
    const tables = await this.tableColumns(conn);
    try {
      this.assertColumns(this.loc.table, REGISTRY_COLUMNS, tables.get(this.loc.table.toLowerCase()));
      this.assertColumns(this.loc.historyTable, HISTORY_COLUMNS, tables.get(this.loc.historyTable.toLowerCase()));
    } catch (e) {
      if (!this.hooks.cache) throw e;
      // A cache holds nothing that is not in the sources: replace tables of another shape.
      this.hooks.warn(`modelgov: warning: ${(e as Error).message.split(';')[0]}; rebuilding the registry cache from the manifests`);
      for (const t of [this.loc.table, this.loc.historyTable, cacheTableName(this.loc.table)]) await conn.run(`DROP TABLE IF EXISTS ${quoteIdentifier(t)}`);
      await create();
      this.distrust = true;
    }
  }

  /**
   * Brings the cache in line with its sources inside the caller's transaction. Without `force`
   * an unchanged fingerprint costs one small query and nothing else.
   */
  private async rebuild(conn: DuckDBConnection, force: boolean): Promise<CacheRefresh> {
    const sources = await this.hooks.cache!();
    const cacheTable = cacheTableName(this.loc.table);
    const stored = (await conn.runAndReadAll(readFingerprintSql(cacheTable))).getRows()[0]?.[0];
    const stale = this.distrust || stored !== sources.fingerprint;
    this.fresh = true;
    if (!stale && !force) return { plan: { inserted: [], updated: [], unchanged: [], orphans: [], writes: [], history: [] }, removed: [], wrote: false, affectedRows: 0 };
    const existing = await this.rowsOn(conn);
    const result = this.planFrom(sources, existing);
    if (!stale && result.plan.writes.length === 0 && result.removed.length === 0) return result;
    const content = sources.load();
    let affected = 0;
    const rowBatch = this.encodeRows(result.plan.writes);
    if (rowBatch.length > 0) {
      const now = formatNaiveTimestamp(BigInt(Date.now()) * 1000n);
      affected += (await conn.run(mergeRegistrySql(this.loc.table), { rows: JSON.stringify(rowBatch), now })).rowsChanged;
    }
    if (result.removed.length > 0) {
      affected += (await conn.run(deleteRowsNotInSql(this.loc.table), { ids: JSON.stringify(content.rows.map((r) => r.model_id)) })).rowsChanged;
    }
    // History of systems with a history file is a mirror of that file; other systems' events
    // (a gs:// manifest) live only here and are kept, plus this plan's field changes for them.
    await conn.run(deleteHistoryOfSystemsSql(this.loc.historyTable), { systems: JSON.stringify(content.historySystems) });
    const own = result.plan.history.filter((e) => !content.historySystems.includes(e.system_id));
    const events = [...content.events, ...own];
    if (events.length > 0) await this.insertEvents(conn, this.encodeEvents(events));
    await conn.run(writeFingerprintSql(cacheTable), { fingerprint: sources.fingerprint });
    this.distrust = false;
    return { plan: { ...result.plan, history: own }, removed: result.removed, wrote: true, affectedRows: affected };
  }

  private planFrom(sources: CacheSources, existing: RegistryRow[]): CacheRefresh {
    const content = sources.load();
    const plan = planSync(content.rows, existing, { now: content.now, by: content.by, commit: content.commit, systems: content.systems, versions: content.versions });
    const wanted = new Set(content.rows.map((r) => r.model_id));
    const removed = existing.filter((r) => !wanted.has(r.model_id));
    return { plan: { ...plan, orphans: [] }, removed, wrote: false, affectedRows: 0 };
  }

  private async rowsOn(conn: DuckDBConnection): Promise<RegistryRow[]> {
    const reader = await conn.runAndReadAll(selectSql(this.loc.table, REGISTRY_COLUMNS, [], ['system_id', 'model_id']));
    return reader.getRowObjects().map((r) => decodeRecord<RegistryRow>(REGISTRY_COLUMNS, r));
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

  /**
   * Opens the file (waiting for another process's lock), runs `fn`, always closes. After a
   * read-write session the path must still name the file that was opened: a registry deleted or
   * replaced meanwhile took this session's writes with it, which is an error, not a success.
   */
  private async withConnection<T>(mode: Mode, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (mode === 'READ_WRITE') {
      try {
        await mkdir(dirname(this.file), { recursive: true });
      } catch (e) {
        throw ioError(this.file, e);
      }
    }
    const instance = await this.open(mode);
    let opened: Stats | undefined;
    let conn: DuckDBConnection | undefined;
    let result: T;
    try {
      opened = statSync(this.file);
      conn = await instance.connect();
      result = await fn(conn);
    } catch (e) {
      throw isModelgovError(e) ? e : ioError(this.file, e);
    } finally {
      conn?.closeSync();
      instance.closeSync();
    }
    if (mode === 'READ_WRITE') {
      let now: Stats | undefined;
      try {
        now = statSync(this.file);
      } catch {
        now = undefined;
      }
      if (!now || !sameFile(opened, now)) {
        this.fresh = false;
        throw new ModelgovError('IO', `registry ${this.file} was ${now ? 'replaced' : 'deleted'} while this command used it; what it wrote went to the old file and is not in ${this.file}`, {
          file: this.file,
          fix: 'Find what removes or swaps the registry file while modelgov runs (a cleanup job, a second checkout step), then run the command again.',
        });
      }
    }
    return result;
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
      const aside = this.hooks.cache ? this.setWalAside() : undefined;
      try {
        const instance = await this.duckdb.DuckDBInstance.create(this.file, options);
        if (aside) this.dropWal(aside);
        return instance;
      } catch (e) {
        if (aside) this.restoreWal(aside);
        if (!isLockError(e)) {
          if (this.hooks.cache && existsSync(this.file) && isUnreadableDatabase(e)) {
            this.setBrokenAside(e);
            continue;
          }
          throw ioError(this.file, e);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw this.lockedError(e, Date.now() - started);
        await sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, 200);
      }
    }
  }

  /**
   * DuckDB replays whatever `<file>.wal` lies beside the file it opens, even one written for
   * another database. modelgov closes every session with a checkpoint, so a .wal present before
   * the open is either a crash leftover or foreign; for a cache neither is worth the risk. It is
   * moved aside before the open: if the open then fails on the lock, another process is using it
   * and it is put back; otherwise it is dropped and the cache is rebuilt from its sources.
   */
  private setWalAside(): string | undefined {
    const wal = `${this.file}.wal`;
    if (!existsSync(wal)) return undefined;
    const aside = `${wal}.modelgov-${process.pid}`;
    try {
      renameSync(wal, aside);
      return aside;
    } catch {
      return undefined;
    }
  }

  private restoreWal(aside: string): void {
    try {
      if (!existsSync(`${this.file}.wal`)) renameSync(aside, `${this.file}.wal`);
      else rmSync(aside, { force: true });
    } catch {
      // Best effort: the next open moves it aside again.
    }
  }

  private dropWal(aside: string): void {
    rmSync(aside, { force: true });
    this.distrust = true;
    this.hooks.warn(`modelgov: warning: ${this.file}.wal was left beside the registry cache (a crash, or copied from another database); it was not replayed, the cache is rebuilt from the manifests`);
  }

  /** A cache file DuckDB cannot read is moved to `<file>.broken` (kept for a look) and rebuilt. */
  private setBrokenAside(cause: unknown): void {
    const broken = `${this.file}.broken`;
    try {
      rmSync(`${this.file}.wal`, { force: true });
      renameSync(this.file, broken);
    } catch (e) {
      throw ioError(this.file, e);
    }
    this.distrust = true;
    this.hooks.warn(`modelgov: warning: ${this.file} is not a readable DuckDB database (${messageOf(cause).split('\n')[0]}); moved it to ${broken} and rebuilding the registry cache from the manifests`);
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
