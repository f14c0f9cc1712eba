import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, PROD_ID, writeJson } from '../helpers/example.js';

const DB = '.modelgov/registry.duckdb';
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe('sync and the registry commands on the example (real DuckDB file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copyExample();
  });

  it('sync inserts every model, then a second sync reports all unchanged and writes nothing', async () => {
    const first = await run(dir, ['sync', '--json']);
    expect(first.code).toBe(0);
    const r1 = json(first);
    expect(r1.inserted.sort()).toEqual(['catboost_v9_2026_02', PROD_ID, 'catboost_v9_feb_02_retrain'].sort());
    expect(r1.affectedRows).toBe(3);
    expect(r1.requests).toBe(1);
    // The DuckDB registry is a cache of the manifest: field changes are in the manifest's git
    // log, so the cache records no insert events (promotions live in the history file).
    expect(r1.historyEvents).toBe(0);
    const mtime = statSync(join(dir, DB)).mtimeMs;
    const second = json(await run(dir, ['sync', '--json']));
    expect(second).toMatchObject({ inserted: [], updated: [], affectedRows: 0, requests: 0, historyEvents: 0 });
    expect(second.unchanged).toHaveLength(3);
    expect(statSync(join(dir, DB)).mtimeMs).toBe(mtime);
  });

  it('list, production and info read the registry', async () => {
    const list = await run(dir, ['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/catboost_v9_33features_20260201_011018\s+production\s+2025-11-02 → 2026-01-08\s+33\s+4\.82\s+71\.2/);
    const prod = json(await run(dir, ['production', '--json']));
    expect(prod.production.map((r: any) => r.model_id)).toEqual([PROD_ID]);
    const info = json(await run(dir, ['info', PROD_ID, '--json']));
    expect(info.model).toMatchObject({ training_start_date: '2025-11-02', training_end_date: '2026-01-08', is_production: true, feature_count: 33, evaluation_mae: 4.82 });
    const missing = await run(dir, ['info', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('model "nope" is not in the registry');
  });

  it('sync reports an update with the changed fields and records history', async () => {
    const m = exampleManifest();
    m.models.catboost_v9_2026_02.status = 'shadow';
    m.models.catboost_v9_2026_02.evaluation = { mae: 4.7 };
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    const dry = await run(dir, ['sync', '--dry-run']);
    expect(dry.stdout).toContain('~ catboost_v9_2026_02 (would be updated)');
    expect(dry.stdout).toContain('    status: untested -> shadow');
    expect(dry.stdout).toContain('nothing written');
    const r = json(await run(dir, ['sync', '--json']));
    expect(r.updated).toHaveLength(1);
    expect(r.updated[0].changes.map((c: any) => c.field).sort()).toEqual(['evaluation_json', 'evaluation_mae', 'status']);
    expect(json(await run(dir, ['info', 'catboost_v9_2026_02', '--json'])).model.status).toBe('shadow');
  });

  it('validate checks artifacts exist and match sha256', async () => {
    const ok = await run(dir, ['validate', '--all']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('3 artifact(s) checked, 0 problem(s).');
    writeFileSync(join(dir, 'models/catboost_v9/artifacts', `${PROD_ID}.cbm`), 'tampered');
    const bad = await run(dir, ['validate', '--json']);
    expect(bad.code).toBe(1);
    expect(json(bad).artifacts).toEqual([expect.objectContaining({ model_id: PROD_ID, status: 'mismatch' })]);
    rmSync(join(dir, 'models/catboost_v9/artifacts', 'catboost_v9_2026_02.cbm'));
    const missing = await run(dir, ['validate', '--all']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^MISSING {3}catboost_v9_2026_02 .*catboost_v9_2026_02\.cbm does not exist/m);
  });

  it('check-duplicate finds a window in the manifest before any sync; a model the manifest dropped leaves the cache too', async () => {
    const fresh = copyExample({ git: false });
    const before = await run(fresh, ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-08', '--json']);
    expect(before.code).toBe(1);
    expect(json(before).models.map((m: any) => m.model_id)).toEqual([PROD_ID]);
    expect((await run(fresh, ['sync'])).code).toBe(0);
    const m = exampleManifest();
    delete (m.models as Record<string, unknown>).catboost_v9_feb_02_retrain;
    writeJson(join(fresh, EXAMPLE_MANIFEST), m);
    const dropped = json(await run(fresh, ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-31', '--json']));
    expect(dropped.models.map((x: any) => [x.model_id, x.status])).toEqual([['catboost_v9_2026_02', 'untested']]);
  });

  it('check-duplicate: exit 1 listing every model of the window; --force exits 0 with a warning; --json', async () => {
    const dup = await run(dir, ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-31']);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toMatch(/catboost_v9_2026_02\s+shadow\s+[0-9a-f]{12}\s+2026-02-10 10:10:10/);
    expect(dup.stdout).toMatch(/catboost_v9_feb_02_retrain\s+deprecated/);
    const forced = await run(dir, ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-31', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning: 2 model(s) already trained');
    const free = await run(dir, ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-30', '--json']);
    expect(free.code).toBe(0);
    expect(json(free)).toMatchObject({ ok: true, duplicate: false, models: [] });
    const badDate = await run(dir, ['check-duplicate', '--train-start', '2026-02-30', '--train-end', '2026-03-01']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--train-start: not a calendar date "2026-02-30"');
  });
});

describe('bad input: exit 2, one message naming file, place and fix; the registry is not touched', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['truncated JSON', (d) => writeFileSync(join(d, EXAMPLE_MANIFEST), readFileSync(join(d, EXAMPLE_MANIFEST), 'utf8').slice(0, 300)), /models\/catboost_v9\/manifest\.json:\d+:\d+: invalid JSON/],
    ['a production model that does not exist', (d) => writeJson(join(d, EXAMPLE_MANIFEST), { ...exampleManifest(), production_model: 'ghost' }), /production_model: "ghost" is not a key of models/],
    [
      'two production models',
      (d) => {
        const m = exampleManifest();
        m.models.catboost_v9_2026_02.status = 'production';
        writeJson(join(d, EXAMPLE_MANIFEST), m);
      },
      /2 models have status "production"/,
    ],
    [
      '2026-02-30',
      (d) => {
        const m = exampleManifest();
        m.models[PROD_ID].training_end = '2026-02-30';
        writeJson(join(d, EXAMPLE_MANIFEST), m);
      },
      /models\.catboost_v9_33features_20260201_011018\.training_end: not a calendar date "2026-02-30"/,
    ],
    [
      'start after end',
      (d) => {
        const m = exampleManifest();
        m.models[PROD_ID].training_start = '2026-02-01';
        writeJson(join(d, EXAMPLE_MANIFEST), m);
      },
      /training_start: 2026-02-01 is after training_end 2026-01-08/,
    ],
    [
      'a bad sha256',
      (d) => {
        const m = exampleManifest();
        m.models[PROD_ID].sha256 = 'xyz';
        writeJson(join(d, EXAMPLE_MANIFEST), m);
      },
      /sha256: "xyz" does not match/,
    ],
    [
      'an unknown config key',
      (d) => {
        const f = join(d, 'modelgov.config.json');
        writeJson(f, { ...JSON.parse(readFileSync(f, 'utf8')), registyr: 'x' });
      },
      /modelgov\.config\.json: registyr: unknown key "registyr" \(did you mean "registry"\?\)/,
    ],
    [
      'an unknown registry scheme',
      (d) => {
        const f = join(d, 'modelgov.config.json');
        writeJson(f, { ...JSON.parse(readFileSync(f, 'utf8')), registry: 'sqlite:x.db' });
      },
      /registry: "sqlite:x\.db" does not match .*use duckdb:<path>\[#table\] or bigquery:/,
    ],
  ];
  for (const [name, breakIt, message] of cases) {
    it(name, async () => {
      const dir = copyExample({ git: false });
      breakIt(dir);
      const r = await run(dir, ['sync']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/fix: /);
      expect(existsSync(join(dir, DB))).toBe(false);
    });
  }

  it('a missing flag and an unknown command are usage errors (exit 2)', async () => {
    const dir = copyExample({ git: false });
    const missing = await run(dir, ['check-duplicate', '--train-start', '2025-11-02']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--train-end <date>' not specified");
    const unknown = await run(dir, ['synk']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'synk'");
    expect(unknown.stderr).toContain('(Did you mean sync?)');
  });

  it('--json puts the error on stdout as JSON and nothing else', async () => {
    const dir = copyExample({ git: false });
    writeFileSync(join(dir, EXAMPLE_MANIFEST), '{');
    const r = await run(dir, ['sync', '--json']);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'MANIFEST_INVALID' } });
  });
});

describe('hostile strings are stored verbatim (parameters, never SQL text)', () => {
  it('quotes, backslashes, a DROP TABLE, emoji and newlines survive a sync', async () => {
    const dir = copyExample({ git: false });
    const m = exampleManifest();
    const hostile = `catboost_v9_x';DROP/**/TABLE/**/model_registry;--`; // ids have no whitespace
    const note = `it's a "test" \\ back\\slash 🏀\nline two; DROP TABLE model_registry_history; --`;
    m.models[hostile] = { ...m.models.catboost_v9_2026_02, evaluation: { note } };
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    expect((await run(dir, ['sync'])).code).toBe(0);
    const row = json(await run(dir, ['info', hostile, '--json'])).model;
    expect(row.model_id).toBe(hostile);
    expect(row.notes).toBe(note);
    expect(json(await run(dir, ['list', '--json'])).models).toHaveLength(4);
    expect(json(await run(dir, ['sync', '--json'])).unchanged).toHaveLength(4);
  });
});
