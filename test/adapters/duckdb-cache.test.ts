import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { loadManifests, openConfiguredRegistry, runSync } from '../../src/index.js';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, PROD_ID, writeJson } from '../helpers/example.js';
import { rawQuery } from './duckdb-helpers.js';

const DB = '.modelgov/registry.duckdb';
const RETRAIN = 'catboost_v9_feb_02_retrain';
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('warning'));

/** A DuckDB write-ahead log of another database (a table `evil`), as a crash would leave it. */
async function foreignWal(): Promise<string> {
  const duckdb = await import('@duckdb/node-api');
  const dir = mkdtempSync(join(tmpdir(), 'modelgov-foreign-'));
  const instance = await duckdb.DuckDBInstance.create(join(dir, 'other.duckdb'));
  const conn = await instance.connect();
  // Keep the changes in the log: no checkpoint until the copy is taken.
  await conn.run("SET checkpoint_threshold = '1TB'");
  await conn.run('CREATE TABLE evil (x INTEGER)');
  await conn.run('INSERT INTO evil VALUES (42)');
  copyFileSync(join(dir, 'other.duckdb.wal'), join(dir, 'copied.wal'));
  conn.closeSync();
  instance.closeSync();
  return join(dir, 'copied.wal');
}

describe('the DuckDB registry is a cache of the repository', { timeout: 120_000 }, () => {
  it('deleting .modelgov/ loses nothing: rows and the forced promotion with its reason come back', async () => {
    const dir = copyExample();
    expect((await run(dir, ['promote', RETRAIN, '--force', '--reason', 'new season'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' })).code).toBe(0);
    rmSync(join(dir, '.modelgov'), { recursive: true });
    const list = await run(dir, ['--json', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toBe('');
    expect(parsed(list).models.map((m: { model_id: string }) => m.model_id)).toHaveLength(3);
    const events = parsed(await run(dir, ['--json', 'history'])).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event_type: 'promote', model_id: RETRAIN, details: { forced: true, reason: 'new season' } });
  });

  it('a manifest edit is seen by the next reading command (no sync), and an unchanged cache is not rewritten', async () => {
    const dir = copyExample({ git: false });
    expect(parsed(await run(dir, ['--json', 'info', PROD_ID])).model.training_end_date).toBe('2026-01-08');
    const m = exampleManifest();
    m.models[PROD_ID].training_end = '2026-01-07';
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    expect(parsed(await run(dir, ['--json', 'info', PROD_ID])).model.training_end_date).toBe('2026-01-07');
  });

  it('a file that is not a DuckDB database is moved to .broken and rebuilt, with one warning line', async () => {
    const dir = copyExample({ git: false });
    expect((await run(dir, ['list'])).code).toBe(0);
    writeFileSync(join(dir, DB), 'this is not a database '.repeat(500));
    const r = await run(dir, ['--json', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(parsed(r).models).toHaveLength(3);
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/not a readable DuckDB database.*moved it to .*registry\.duckdb\.broken/);
    expect(existsSync(join(dir, `${DB}.broken`))).toBe(true);
    expect((await run(dir, ['list'])).stderr).toBe('');
  });

  it('a DuckDB file whose tables have another shape (foreign) is rebuilt, with one warning line', async () => {
    const dir = copyExample({ git: false });
    expect((await run(dir, ['list'])).code).toBe(0);
    await rawQuery(join(dir, DB), 'DROP TABLE model_registry; CREATE TABLE model_registry (model_id VARCHAR, something_else INTEGER)');
    const r = await run(dir, ['--json', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(parsed(r).models).toHaveLength(3);
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('rebuilding the registry cache');
  });

  it('a .wal that does not belong to the registry file is never replayed into it: dropped, cache rebuilt, one warning line', async () => {
    const dir = copyExample({ git: false });
    expect((await run(dir, ['list'])).code).toBe(0);
    copyFileSync(await foreignWal(), join(dir, `${DB}.wal`));
    const r = await run(dir, ['--json', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(parsed(r).models).toHaveLength(3);
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('registry.duckdb.wal');
    const tables = await rawQuery(join(dir, DB), 'SELECT table_name FROM duckdb_tables() ORDER BY table_name');
    expect(tables.map((t) => t.table_name)).not.toContain('evil');
    expect(readdirSync(join(dir, '.modelgov')).filter((f) => f.includes('.wal'))).toEqual([]);
  });

  it('a registry file deleted while sync writes is an error (exit 2 class), not "inserted"', async () => {
    const dir = copyExample({ git: false });
    const loaded = loadConfig({ cwd: dir });
    const manifests = await loadManifests(loaded, process.env);
    const registry = await openConfiguredRegistry(loaded, process.env, { warn: () => undefined, afterCommit: (file) => unlinkSync(file) });
    const error = await runSync(manifests, registry, { dryRun: false, by: null, commit: null }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await registry.close();
    expect(error).toMatchObject({ name: 'ModelgovError', code: 'IO' });
    expect((error as Error).message).toMatch(/registry\.duckdb was deleted while this command used it/);
  });

  it('a registry file replaced while sync writes is an error too', async () => {
    const dir = copyExample({ git: false });
    const loaded = loadConfig({ cwd: dir });
    const manifests = await loadManifests(loaded, process.env);
    const registry = await openConfiguredRegistry(loaded, process.env, {
      warn: () => undefined,
      afterCommit: (file) => {
        unlinkSync(file);
        writeFileSync(file, 'someone else');
      },
    });
    await expect(runSync(manifests, registry, { dryRun: false, by: null, commit: null })).rejects.toThrow(/was replaced while this command used it/);
    await registry.close();
  });
});
