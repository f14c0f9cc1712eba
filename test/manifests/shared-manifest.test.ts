import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import {
  CATBOOST_MANIFEST,
  catboostManifest,
  git,
  json,
  LGBM_A,
  LGBM_MANIFEST,
  makeTeamRepo,
  teamConfig,
  V12_HUBER,
  V12_PLAIN,
  V9_BLOCKED,
  V9_PROD,
  V9_TWIN,
} from './team-repo.js';

const NOW = { MODELGOV_NOW: '2026-02-12T15:00:00Z' };
const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8');

describe('manifests as teams keep them: systems sharing a manifest, real states', () => {
  it('sync splits one manifest between catboost_v9 and catboost_v12 (select) and keeps the blocked status', async () => {
    const dir = makeTeamRepo();
    const s = await run(dir, ['--json', 'sync']);
    expect(s.code, s.stderr).toBe(0);
    const rows = parsed(await run(dir, ['--json', 'list'])).models as { model_id: string; system_id: string; status: string; is_production: boolean }[];
    const system = Object.fromEntries(rows.map((r) => [r.model_id, r.system_id]));
    expect(system).toEqual({
      [V9_PROD]: 'catboost_v9',
      [V9_TWIN]: 'catboost_v9',
      [V9_BLOCKED]: 'catboost_v9',
      [V12_HUBER]: 'catboost_v12',
      [V12_PLAIN]: 'catboost_v12',
      [LGBM_A]: 'lgbm_v1',
    });
    expect(rows.find((r) => r.model_id === V9_BLOCKED)?.status).toBe('blocked');
    // One production model per manifest file; the LightGBM fleet has none.
    expect(rows.filter((r) => r.is_production).map((r) => r.model_id)).toEqual([V9_PROD]);
    // --system still splits the shared file among all systems that share it.
    const v12 = parsed(await run(dir, ['--json', 'check-duplicate', '--system', 'catboost_v9', '--train-start', '2025-11-02', '--train-end', '2026-01-31']));
    expect(v12.models).toEqual([]);
  });

  it('without select, each model goes to the longest configured id that prefixes it', async () => {
    const config = teamConfig();
    delete config.systems[1].select;
    // A shorter id that also prefixes every model must not take the v12 ones.
    config.systems.push({ id: 'catboost', manifest: CATBOOST_MANIFEST });
    const dir = makeTeamRepo({ config });
    expect((await run(dir, ['sync'])).code).toBe(0);
    const rows = parsed(await run(dir, ['--json', 'list'])).models as { model_id: string; system_id: string }[];
    expect(rows.find((r) => r.model_id === V12_HUBER)?.system_id).toBe('catboost_v12');
    expect(rows.find((r) => r.model_id === V9_PROD)?.system_id).toBe('catboost_v9');
  });

  it('a model no system takes is exit 2 naming the model and every configured system; nothing written', async () => {
    const manifest = catboostManifest() as { models: Record<string, unknown> };
    manifest.models['xgb_v1_20f_train20251102-20260108_20260205_120000'] = { ...(manifest.models[V9_TWIN] as object), model_version: 'x1' };
    const dir = makeTeamRepo({ catboost: manifest });
    const before = read(dir, 'CLAUDE.md');
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(CATBOOST_MANIFEST);
    expect(r.stderr).toContain('models.xgb_v1_20f_train20251102-20260108_20260205_120000: no configured system takes this model');
    expect(r.stderr).toContain('all configured systems: catboost_v9, catboost_v12, lgbm_v1');
    expect(read(dir, 'CLAUDE.md')).toBe(before);
  });

  it('docs: each system gets its own section from the shared file; v12 says it has no production model; blocked is retired', async () => {
    const dir = makeTeamRepo();
    const r = await run(dir, ['docs']);
    expect(r.code, r.stderr).toBe(0);
    const doc = read(dir, 'CLAUDE.md');
    const v9 = doc.slice(doc.indexOf('modelgov:start catboost_v9'), doc.indexOf('modelgov:end catboost_v9'));
    const v12 = doc.slice(doc.indexOf('modelgov:start catboost_v12'), doc.indexOf('modelgov:end catboost_v12'));
    expect(v9).toContain(`| Production Model | \`${V9_PROD}\` |`);
    expect(v9).toContain(V9_TWIN);
    expect(v9).not.toContain(V12_HUBER);
    // "blocked" is declared to mean retired: not listed among the models that may serve.
    expect(v9).not.toContain(V9_BLOCKED);
    expect(v12).toContain('| Production Model | none: no model of catboost_v12 is production |');
    expect(v12).toContain(V12_HUBER);
    expect(v12).toContain(V12_PLAIN);
    expect(v12).not.toContain(V9_PROD);
    expect((await run(dir, ['docs', '--check'])).code).toBe(0);
  });

  it('promote of a v12 model makes it the production model of the shared file and retires the v9 one', async () => {
    const dir = makeTeamRepo();
    const r = await run(dir, ['--json', 'promote', V12_PLAIN, '--force', '--reason', 'v12 goes live', '--no-docs'], NOW);
    expect(r.code, r.stderr).toBe(0);
    const out = parsed(r);
    expect(out).toMatchObject({ status: 'promoted', model: V12_PLAIN, system: 'catboost_v12', from: V9_PROD });
    const after = JSON.parse(read(dir, CATBOOST_MANIFEST));
    expect(after.production_model).toBe(V12_PLAIN);
    expect(after.models[V12_PLAIN].status).toBe('production');
    expect(after.models[V9_PROD].status).toBe('active');
    // Everything else untouched, the blocked model included.
    expect(after.models[V9_BLOCKED].status).toBe('blocked');
    const prod = parsed(await run(dir, ['--json', 'production'])).production as { model_id: string; system_id: string }[];
    expect(prod.map((p) => [p.system_id, p.model_id])).toEqual([['catboost_v12', V12_PLAIN]]);
  });

  it('production_model null is a valid fleet without a champion; a production model with it is exit 2', async () => {
    const dir = makeTeamRepo();
    expect((await run(dir, ['validate', '--system', 'lgbm_v1'])).code).not.toBe(2);
    expect((await run(dir, ['sync'])).code).toBe(0);
    const lgbm = JSON.parse(read(dir, LGBM_MANIFEST));
    lgbm.models[LGBM_A].status = 'production';
    writeFileSync(join(dir, LGBM_MANIFEST), json(lgbm));
    const r = await run(dir, ['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${LGBM_MANIFEST}: production_model: is null but ${LGBM_A} has status "production"`);
  });

  it('an undeclared status is exit 2 whose fix is to declare it; a wrong type never prints "null null"', async () => {
    const config = teamConfig();
    delete config.statuses;
    const dir = makeTeamRepo({ config });
    const r = await run(dir, ['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`models.${V9_BLOCKED}.status: "blocked" is not one of`);
    expect(r.stderr).toContain('"statuses": {"blocked": "retired"}');

    const manifest = catboostManifest() as { models: Record<string, Record<string, unknown>> };
    manifest.models[V9_TWIN].training_start = null;
    const dir2 = makeTeamRepo({ catboost: manifest });
    const r2 = await run(dir2, ['sync']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`models.${V9_TWIN}.training_start: expected string, got null`);
    expect(r2.stderr).not.toContain('null null');
  });

  it('a status may only mean a built-in non-production status or retired (config exit 2 otherwise)', async () => {
    const config = teamConfig();
    config.statuses = { blocked: 'production' };
    const dir = makeTeamRepo({ config });
    const r = await run(dir, ['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('statuses.blocked');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
