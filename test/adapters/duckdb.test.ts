import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_COLUMNS, REGISTRY_COLUMNS } from '../../src/adapters/registry/columns.js';
import { createDuckDbRegistry } from '../../src/adapters/registry/duckdb.js';
import { ModelgovError } from '../../src/errors.js';
import type { Registry, RegistryRow } from '../../src/ports.js';
import { event, rawQuery, row, tempRoot } from './duckdb-helpers.js';

let root: string;
let cleanup: () => void;
beforeEach(() => {
  ({ root, cleanup } = tempRoot());
});
afterEach(() => cleanup());

const open = (location = 'duckdb:.modelgov/registry.duckdb', timeoutMs?: number): Promise<Registry> =>
  createDuckDbRegistry(location, { root, env: {}, timeoutMs });
const dbFile = () => join(root, '.modelgov', 'registry.duckdb');

async function rejection(p: Promise<unknown>): Promise<ModelgovError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected the call to reject').toBeInstanceOf(ModelgovError);
  return e as ModelgovError;
}

describe('the registry location (parsed by the config\'s location parser)', () => {
  it.each([
    'bigquery:p.d.t',
    'duckdb:',
    'duckdb:#model_registry',
    'duckdb::memory:',
    'duckdb:/var/db/r.duckdb',
    'duckdb:r.duckdb#x;DROP TABLE y',
    'duckdb:r.duckdb#1abc',
    'duckdb:r.duckdb#a"b',
    'duckdb:r.duckdb#',
  ])('rejects %j as CONFIG_INVALID', async (location) => {
    const err = await rejection(createDuckDbRegistry(location, { root, env: {} }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.fix).toContain('duckdb:');
  });
});

describe('DuckDB registry: schema and first use', () => {
  it('reads on a missing file return nothing and create nothing', async () => {
    const reg = await open();
    expect(await reg.list()).toEqual([]);
    expect(await reg.list({ system: 'catboost_v9' })).toEqual([]);
    expect(await reg.get('m1')).toBeUndefined();
    expect(await reg.findByWindow('2025-11-02', '2026-01-08')).toEqual([]);
    expect(await reg.history()).toEqual([]);
    expect(await reg.upsert([], [])).toEqual({ affectedRows: 0, requests: 0 });
    await reg.appendHistory([]);
    await reg.close();
    expect(readdirSync(root)).toEqual([]);
  });

  it('creates the parent directory and both tables from the shared column list on first write', async () => {
    const reg = await open('duckdb:nested/dir/reg.duckdb');
    await reg.upsert([row('m1')], []);
    const file = join(root, 'nested', 'dir', 'reg.duckdb');
    expect(existsSync(file)).toBe(true);

    const cols = await rawQuery(
      file,
      "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY table_name, column_index",
    );
    const expectedType = { STRING: 'VARCHAR', INT64: 'BIGINT', FLOAT64: 'DOUBLE', BOOL: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', JSON: 'VARCHAR' };
    const of = (table: string) => cols.filter((c) => c.table_name === table).map((c) => [c.column_name, c.data_type, c.is_nullable]);
    expect(of('model_registry')).toEqual(
      REGISTRY_COLUMNS.map((c) => [c.name, expectedType[c.type], !(c.required || c.name === 'model_id')]),
    );
    expect(of('model_registry_history')).toEqual(HISTORY_COLUMNS.map((c) => [c.name, expectedType[c.type], !c.required]));

    const pk = await rawQuery(
      file,
      "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'",
    );
    expect(pk).toEqual([{ table_name: 'model_registry', constraint_column_names: ['model_id'] }]);
  });

  it('treats table names case-insensitively, as DuckDB does', async () => {
    await (await open('duckdb:r.duckdb#team_models')).upsert([row('m1')], []);
    const upper = await open('duckdb:r.duckdb#Team_Models');
    expect((await upper.list()).map((r) => r.model_id)).toEqual(['m1']);
    await upper.upsert([row('m2')], []);
    expect(await upper.list()).toHaveLength(2);
  });

  it('uses the table named after # and <table>_history', async () => {
    const reg = await open('duckdb:r.duckdb#team_models');
    await reg.upsert([row('m1')], [event('e1')]);
    const tables = await rawQuery(join(root, 'r.duckdb'), 'SELECT table_name FROM duckdb_tables() ORDER BY table_name');
    expect(tables.map((t) => t.table_name)).toEqual(['team_models', 'team_models_history']);
    // Another table name in the same file starts empty, and reading it creates nothing.
    const other = await open('duckdb:r.duckdb#other_models');
    expect(await other.list()).toEqual([]);
    expect(await other.history()).toEqual([]);
    const after = await rawQuery(join(root, 'r.duckdb'), 'SELECT count(*)::INT AS n FROM duckdb_tables()');
    expect(after).toEqual([{ n: 2 }]);
  });

  it('does not load DuckDB until the factory is called', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('@duckdb'));
      const mod = await import('./src/adapters/registry/duckdb.ts');
      const before = loaded();
      await mod.createDuckDbRegistry('duckdb:x.duckdb', { root: ${JSON.stringify(root)}, env: {} });
      console.log(JSON.stringify({ before, after: loaded() }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ before: false, after: true });
  });
});

describe('DuckDB registry: upsert', () => {
  it('inserts, then updates only what changed and keeps the creation stamp', async () => {
    const reg = await open();
    const a = row('m1');
    const b = row('m2', { created_at: null, created_by: null });
    const before = Date.now();
    expect(await reg.upsert([a, b], [])).toEqual({ affectedRows: 2, requests: 1 });
    const after = Date.now();

    const stored = await reg.list();
    expect(stored[0]).toEqual(a);
    // No created_at on the row: stamped with the time of the write; created_by stays null.
    expect(stored[1]).toEqual({ ...b, created_at: stored[1].created_at });
    const stamped = Date.parse(stored[1].created_at!);
    expect(stamped).toBeGreaterThanOrEqual(before - 1);
    expect(stamped).toBeLessThanOrEqual(after + 1);

    const changed = {
      ...a,
      status: 'deprecated',
      training_end_date: '2026-01-31',
      evaluation_mae: 5.01,
      is_production: true,
      notes: null,
      created_at: '2030-01-01T00:00:00.000Z',
      created_by: 'mallory',
    };
    expect(await reg.upsert([changed, b], [])).toEqual({ affectedRows: 1, requests: 1 });
    expect(await reg.get('m1')).toEqual({ ...changed, created_at: a.created_at, created_by: a.created_by });
    expect(await reg.get('m2')).toEqual(stored[1]);
  });

  it('is idempotent: the same rows twice leave the same table and report nothing changed', async () => {
    const reg = await open();
    const rows = [row('m1'), row('m2', { created_at: null }), row('m3', { system_id: 'xgb_v1', notes: null })];
    await reg.upsert(rows, []);
    const dump = () => rawQuery(dbFile(), 'SELECT * FROM model_registry ORDER BY model_id');
    const first = await dump();
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 0, requests: 1 });
    expect(await dump()).toEqual(first);
    expect(first).toHaveLength(3);
  });

  it('appends the history events in the same write, ordered by changed_at then event_id', async () => {
    const reg = await open();
    const events = [
      event('e3', { changed_at: '2026-02-09T00:00:00.000Z' }),
      event('e2', { changed_at: '2026-02-08T00:00:00.000Z', model_id: 'm2', system_id: 'xgb_v1' }),
      event('e1', { changed_at: '2026-02-09T00:00:00.000Z', event_type: 'promote', field: null, old_value: null, new_value: null, details_json: '{"from":"m0","to":"m1","forced":false}' }),
    ];
    await reg.upsert([row('m1'), row('m2', { system_id: 'xgb_v1' })], events);
    expect(await reg.history()).toEqual([events[1], events[2], events[0]]);
    expect(await reg.history({ modelId: 'm1' })).toEqual([events[2], events[0]]);
    expect(await reg.history({ system: 'xgb_v1' })).toEqual([events[1]]);
    expect(await reg.history({ modelId: 'm1', system: 'xgb_v1' })).toEqual([]);

    const more = event('e4', { changed_at: '2026-03-01T00:00:00.000Z' });
    await reg.appendHistory([more]);
    expect((await reg.history()).map((e) => e.event_id)).toEqual(['e2', 'e1', 'e3', 'e4']);
    // History only: no rows, the registry is untouched.
    await reg.upsert([], [event('e5', { changed_at: '2026-03-02T00:00:00.000Z' })]);
    expect((await reg.history()).map((e) => e.event_id)).toEqual(['e2', 'e1', 'e3', 'e4', 'e5']);
    expect(await reg.list()).toHaveLength(2);
  });

  it('is all or nothing: a failing history insert leaves no registry rows (and vice versa)', async () => {
    // A history table someone extended with a NOT NULL column makes the second statement fail.
    mkdirSync(join(root, '.modelgov'));
    await rawQuery(dbFile(), `CREATE TABLE model_registry_history (${HISTORY_COLUMNS.map((c) => `"${c.name}" VARCHAR`).join(', ')}, extra VARCHAR NOT NULL)`);
    const reg = await open();
    const e = await rejection(reg.upsert([row('m1')], [event('e1')]));
    expect(e.code).toBe('IO');
    expect(e.file).toBe(dbFile());
    expect(e.message).toContain(dbFile());
    expect(await reg.list()).toEqual([]);
    const tables = await rawQuery(dbFile(), 'SELECT table_name FROM duckdb_tables()');
    expect(tables.map((t) => t.table_name)).toEqual(['model_registry_history']);

    // The other way round: the MERGE fails, so no history event is kept.
    await rawQuery(dbFile(), 'DROP TABLE model_registry_history');
    await rawQuery(dbFile(), `CREATE TABLE model_registry (${REGISTRY_COLUMNS.map((c) => `"${c.name}" VARCHAR`).join(', ')}, extra VARCHAR NOT NULL)`);
    expect((await rejection(reg.upsert([row('m1')], [event('e1')]))).code).toBe('IO');
    expect(await reg.history()).toEqual([]);
  });

  it('stores hostile strings verbatim and never executes them', async () => {
    const hostile = [
      "'; DROP TABLE model_registry; --",
      'quote\'s "double" `back`',
      'back\\slash \\n not a newline \\\\',
      'emoji 😀🚀 and 🇺🇸 flags, ünïcödé, 中文',
      'multi\nline\r\nwith\ttabs',
      '$rows $now ? :x %s',
      '"); DELETE FROM model_registry_history; --',
      'nul\u0000byte',
      ' leading and trailing spaces ',
    ];
    const rows = hostile.map((s, i) => row(s, { notes: s, system_id: `sys ${s}`, gcs_path: s, created_by: s, evaluation_json: JSON.stringify({ note: s }), sha256_hash: `${i}${s}` }));
    const events = hostile.map((s, i) => event(`ev ${s}`, { model_id: s, field: s, old_value: s, new_value: s, changed_by: s, details_json: s, changed_at: `2026-02-08T14:47:${String(i).padStart(2, '0')}.000Z` }));
    const reg = await open();
    await reg.upsert(rows, events);

    const byId = new Map((await reg.list()).map((r) => [r.model_id, r]));
    expect(byId.size).toBe(hostile.length);
    for (const r of rows) expect(byId.get(r.model_id)).toEqual(r);
    for (const s of hostile) expect(await reg.get(s)).toEqual(rows[hostile.indexOf(s)]);
    expect(await reg.list({ system: `sys ${hostile[0]}` })).toEqual([rows[0]]);
    expect(await reg.history()).toEqual(events);
    expect(await reg.history({ modelId: hostile[6] })).toEqual([events[6]]);
    const tables = await rawQuery(dbFile(), 'SELECT table_name FROM duckdb_tables() ORDER BY 1');
    expect(tables.map((t) => t.table_name)).toEqual(['model_registry', 'model_registry_history']);
  });

  it('stores NULL in every nullable column of every type', async () => {
    const nullable = REGISTRY_COLUMNS.filter((c) => !c.required).map((c) => c.name);
    const allNull = { ...row('m1') } as Record<string, unknown>;
    for (const n of nullable) allNull[n] = null;
    const ev = event('e1') as unknown as Record<string, unknown>;
    for (const c of HISTORY_COLUMNS) if (!c.required) ev[c.name] = null;
    const reg = await open();
    await reg.upsert([allNull as unknown as RegistryRow], [ev as never]);

    const got = (await reg.get('m1')) as unknown as Record<string, unknown>;
    for (const n of nullable) {
      if (n === 'created_at') expect(got.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      else expect(got[n], n).toBeNull();
    }
    expect(await reg.history()).toEqual([ev]);
    const raw = await rawQuery(dbFile(), `SELECT ${nullable.filter((n) => n !== 'created_at').map((n) => `"${n}" IS NULL AS "${n}"`).join(', ')} FROM model_registry`);
    expect(Object.values(raw[0]).every((v) => v === true)).toBe(true);
  });

  it('round-trips numbers and booleans with their JS types', async () => {
    const r = row('m1', {
      feature_count: 0,
      training_samples: Number.MAX_SAFE_INTEGER,
      evaluation_mae: 0.1 + 0.2,
      evaluation_hit_rate_edge_3plus: -0.3,
      evaluation_hit_rate_edge_5plus: 1e-300,
      is_production: true,
    });
    const reg = await open();
    await reg.upsert([r, row('m2', { is_production: false, training_samples: -5 })], []);
    const [m1, m2] = await reg.list();
    expect(m1).toEqual(r);
    expect(typeof m1.training_samples).toBe('number');
    expect(typeof m1.feature_count).toBe('number');
    expect(m1.is_production).toBe(true);
    expect(m2.is_production).toBe(false);
    expect(m2.training_samples).toBe(-5);
  });
});

describe('DuckDB registry: dates and timestamps', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC'])('stores calendar dates unshifted with TZ=%s', async (tz) => {
    process.env.TZ = tz;
    const dates = ['2026-01-08', '2024-02-29', '1999-12-31', '2026-01-01', '0001-01-01', '9999-12-31'];
    const rows = dates.map((d, i) => row(`m${i}`, { training_end_date: d, training_start_date: d, production_start_date: d }));
    const reg = await open();
    await reg.upsert(rows, []);
    expect((await reg.list()).map((r) => r.training_end_date)).toEqual(dates);
    expect(await reg.list()).toEqual(rows);
    // The stored DATE itself is right, not just the read-back.
    const raw = await rawQuery(dbFile(), "SELECT strftime(training_end_date, '%Y-%m-%d') AS d, typeof(training_end_date) AS t FROM model_registry WHERE model_id = 'm0'");
    expect(raw).toEqual([{ d: '2026-01-08', t: 'DATE' }]);
  });

  it('stores timestamps as UTC and reads them back as ISO strings with Z', async () => {
    process.env.TZ = 'Asia/Kolkata';
    const reg = await open();
    await reg.upsert(
      [
        row('ms', { created_at: '2026-02-08T14:47:49.123Z' }),
        row('micro', { created_at: '2026-02-08T14:47:49.123456Z' }),
        row('offset', { created_at: '2026-02-08T15:47:49+01:00' }),
        row('old', { created_at: '1969-12-31T23:59:59.999Z' }),
      ],
      [],
    );
    const at = async (id: string) => (await reg.get(id))!.created_at;
    expect(await at('ms')).toBe('2026-02-08T14:47:49.123Z');
    expect(await at('micro')).toBe('2026-02-08T14:47:49.123456Z');
    expect(await at('offset')).toBe('2026-02-08T14:47:49.000Z');
    expect(await at('old')).toBe('1969-12-31T23:59:59.999Z');
    const raw = await rawQuery(dbFile(), "SELECT CAST(created_at AS VARCHAR) AS t FROM model_registry WHERE model_id = 'offset'");
    expect(raw).toEqual([{ t: '2026-02-08 14:47:49' }]);
  });

  it('finds rows by exact training window, optionally within one system', async () => {
    const reg = await open();
    await reg.upsert(
      [
        row('a', { training_start_date: '2025-11-02', training_end_date: '2026-01-08' }),
        row('b', { training_start_date: '2025-11-02', training_end_date: '2026-01-31' }),
        row('c', { training_start_date: '2025-11-02', training_end_date: '2026-01-08', system_id: 'xgb_v1' }),
        row('d', { training_start_date: '2025-11-03', training_end_date: '2026-01-08' }),
        row('e', { training_start_date: null, training_end_date: null }),
      ],
      [],
    );
    expect((await reg.findByWindow('2025-11-02', '2026-01-08')).map((r) => r.model_id)).toEqual(['a', 'c']);
    expect((await reg.findByWindow('2025-11-02', '2026-01-08', 'xgb_v1')).map((r) => r.model_id)).toEqual(['c']);
    expect((await reg.findByWindow('2025-11-02', '2026-01-31')).map((r) => r.model_id)).toEqual(['b']);
    expect(await reg.findByWindow('2020-01-01', '2020-01-02')).toEqual([]);
    const bad = await rejection(reg.findByWindow('2026-02-30', '2026-03-01'));
    expect(bad.code).toBe('USAGE');
    expect(bad.message).toContain('2026-02-30');
  });
});

describe('DuckDB registry: listing', () => {
  it('lists ordered by system_id then model_id, filtered by system', async () => {
    const reg = await open();
    await reg.upsert([row('z1', { system_id: 'a_sys' }), row('b2'), row('a1'), row('c3', { system_id: 'a_sys' })], []);
    expect((await reg.list()).map((r) => `${r.system_id}/${r.model_id}`)).toEqual([
      'a_sys/c3',
      'a_sys/z1',
      'catboost_v9/a1',
      'catboost_v9/b2',
    ]);
    expect((await reg.list({ system: 'catboost_v9' })).map((r) => r.model_id)).toEqual(['a1', 'b2']);
    expect(await reg.list({ system: 'nope' })).toEqual([]);
  });

  it('upserts 10,000 rows in one call', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      row(`catboost_v9_33f_train20251102-20260108_${String(i).padStart(5, '0')}`, { training_samples: i, notes: `model ${i}`, created_at: null }),
    );
    const reg = await open();
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 10_000, requests: 1 });
    const stored = await reg.list();
    expect(stored).toHaveLength(10_000);
    expect(stored[1234]).toEqual({ ...rows[1234], created_at: stored[1234].created_at });
    rows[9999] = { ...rows[9999], status: 'deprecated' };
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 1, requests: 1 });
  });

  it('serialises concurrent calls on one file within a process', async () => {
    const regs = await Promise.all([open(), open(), open()]);
    await Promise.all(
      regs.flatMap((reg, i) => [reg.upsert([row(`m${i}`)], [event(`e${i}`)]), reg.list(), reg.appendHistory([event(`x${i}`)])]),
    );
    expect((await regs[0].list()).map((r) => r.model_id)).toEqual(['m0', 'm1', 'm2']);
    expect(await regs[1].history()).toHaveLength(6);
  });
});

describe('DuckDB registry: refusing bad input and bad files', () => {
  it('validates every value before touching the file', async () => {
    const reg = await open();
    const cases: [RegistryRow[], string][] = [
      [[row('m1'), row('m1')], 'appears twice'],
      [[row('m1', { training_end_date: '2026-02-30' })], 'training_end_date: not a calendar date'],
      [[row('m1', { production_start_date: '2026-1-8' })], 'production_start_date'],
      [[row('m1', { evaluation_mae: Number.NaN })], 'evaluation_mae'],
      [[row('m1', { feature_count: 33.5 })], 'feature_count'],
      [[row('m1', { created_at: '2026-02-08 14:47:49' })], 'created_at'],
      [[row('m1', { is_production: null as unknown as boolean })], 'is_production: is required'],
    ];
    for (const [rows, message] of cases) {
      const e = await rejection(reg.upsert(rows, []));
      expect(e.code).toBe('MANIFEST_INVALID');
      expect(e.message).toContain(message);
    }
    expect((await rejection(reg.upsert([row('m1')], [event('e1', { changed_at: 'yesterday' })]))).code).toBe('INTERNAL');
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports a file that is not a DuckDB database as IO, naming the file', async () => {
    mkdirSync(join(root, '.modelgov'));
    writeFileSync(dbFile(), 'this is not a database\n'.repeat(500));
    const reg = await open();
    for (const p of [reg.list(), reg.upsert([row('m1')], [])]) {
      const e = await rejection(p);
      expect(e.code).toBe('IO');
      expect(e.file).toBe(dbFile());
      expect(e.message).toContain(dbFile());
    }
  });

  it('reports a registry table with missing columns, with the fix', async () => {
    mkdirSync(join(root, '.modelgov'));
    await rawQuery(dbFile(), 'CREATE TABLE model_registry (model_id VARCHAR PRIMARY KEY, system_id VARCHAR)');
    const reg = await open();
    const e = await rejection(reg.list());
    expect(e.code).toBe('IO');
    expect(e.message).toContain('lacks columns model_version');
    expect(e.fix).toContain('modelgov sync');
  });
});
