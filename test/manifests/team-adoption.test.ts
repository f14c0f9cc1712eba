import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { CATBOOST_MANIFEST, catboostManifest, git, json, LGBM_A, makeTeamRepo, teamConfig, V12_HUBER, V12_PLAIN, V9_BLOCKED, V9_PROD, V9_TWIN } from './team-repo.js';

const NOW = { MODELGOV_NOW: '2026-02-12T15:00:00Z' };
const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8');
function put(dir: string, rel: string, text = 'model bytes\n'): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}
/** Commits through the real hook command (what the installed pre-commit hook runs). */
async function commitWithHook(dir: string, files: string[]) {
  git(dir, 'add', '--', ...files);
  return await run(dir, ['hook', 'pre-commit']);
}

describe('adopting modelgov in a team repository: artifacts, names, duplicates, soft gates', () => {
  it('artifacts by path: requirements.txt is no model file; a LightGBM .txt under models/lgbm is judged', async () => {
    const dir = makeTeamRepo();
    put(dir, 'requirements.txt', 'catboost==1.2.8\n');
    const r = await commitWithHook(dir, ['requirements.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('bad model file name');

    put(dir, 'models/lgbm/v1/lgbm_model_final.txt');
    const bad = await commitWithHook(dir, ['models/lgbm/v1/lgbm_model_final.txt']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad model file name: models/lgbm/v1/lgbm_model_final.txt');
    git(dir, 'reset', '-q');

    put(dir, `models/lgbm/v1/${LGBM_A}.txt`);
    expect((await commitWithHook(dir, [`models/lgbm/v1/${LGBM_A}.txt`])).code).toBe(0);

    // lint-names with paths asks the same owner: a .txt outside the include globs is ignored.
    const l = parsed(await run(dir, ['--json', 'lint-names', 'requirements.txt', 'docs/notes.txt', `models/lgbm/v1/${LGBM_A}.txt`]));
    expect(l).toMatchObject({ ok: true, checked: 1, ignored: 2 });
  });

  it('extensions alone keep working: a .cbm anywhere is a catboost model file', async () => {
    const dir = makeTeamRepo();
    put(dir, 'scratch/final.cbm');
    const r = await commitWithHook(dir, ['scratch/final.cbm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad model file name: scratch/final.cbm');
  });

  it('a suggested name keeps the model\'s system and its variant tags', async () => {
    const dir = makeTeamRepo();
    // The team's old v12 name, listed in the shared manifest under catboost_v12.
    const old = 'catboost_v12_50f_huber_rsm50_20260210_101010';
    const manifest = catboostManifest() as { models: Record<string, Record<string, unknown>> };
    manifest.models[old] = { ...manifest.models[V12_HUBER], gcs_path: `gs://team-models/catboost/v12/${old}.cbm` };
    delete manifest.models[V12_HUBER];
    writeFileSync(join(dir, CATBOOST_MANIFEST), json(manifest));
    const r = parsed(await run(dir, ['--json', 'lint-names', `models/${old}.cbm`]));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].expected).toBe('catboost_v12_50f_huber_rsm50_train20251102-20260131_20260210_101010.cbm');

    // With catboost_v12 not configured, the v9 system takes the file; no catboost_v9_ name is offered.
    const config = teamConfig();
    config.systems.splice(1, 1);
    writeFileSync(join(dir, 'modelgov.config.json'), json(config));
    const r2 = parsed(await run(dir, ['--json', 'lint-names', `models/${old}.cbm`]));
    expect(r2.violations).toHaveLength(1);
    expect(r2.violations[0].expected).toBeUndefined();
    expect(r2.violations[0].reason).toContain('configured: catboost_v9, lgbm_v1');
    expect(JSON.stringify(r2)).not.toContain('catboost_v9_50f');
  });

  it('check-duplicate: same system + window + features + variant tags (a retired twin is still listed)', async () => {
    const dir = makeTeamRepo();
    const base = ['--json', 'check-duplicate', '--system', 'catboost_v9', '--train-start', '2025-11-02', '--train-end', '2026-01-08'];
    const plain = await run(dir, [...base, '--features', '33']);
    expect(plain.code).toBe(1);
    const out = parsed(plain);
    // The blocked model has the same key: retraining it is still a duplicate training run.
    expect(out.models.map((m: { model_id: string; status: string }) => [m.model_id, m.status])).toEqual([
      [V9_PROD, 'production'],
      [V9_BLOCKED, 'blocked'],
    ]);
    const q = parsed(await run(dir, [...base, '--features', '33', '--variant', 'q0.43']));
    expect(q.models.map((m: { model_id: string }) => m.model_id)).toEqual([V9_TWIN]);
    expect((await run(dir, [...base, '--features', '40'])).code).toBe(0);
    expect((await run(dir, [...base, '--features', '33', '--variant', 'wt'])).code).toBe(0);
    // v12: two models on one window are no duplicates when their tags differ.
    const v12 = ['check-duplicate', '--system', 'catboost_v12', '--train-start', '2025-11-02', '--train-end', '2026-01-31', '--features', '50'];
    expect(parsed(await run(dir, ['--json', ...v12, '--variant', 'rsm50', '--variant', 'huber'])).models.map((m: { model_id: string }) => m.model_id)).toEqual([V12_HUBER]);
    expect(parsed(await run(dir, ['--json', ...v12])).models.map((m: { model_id: string }) => m.model_id)).toEqual([V12_PLAIN]);
    expect((await run(dir, ['check-duplicate', ...base.slice(2), '--features', 'x'])).code).toBe(2);
  });

  it('the duplicate-window gate ignores retired twins and variants; warn reports, off skips', async () => {
    const dir = makeTeamRepo();
    // The q0.43 twin shares the production model's window and features but not its tags.
    const g = parsed(await run(dir, ['--json', 'gates', V9_TWIN]));
    expect(g.gates.find((x: { id: string }) => x.id === 'duplicate-window')).toMatchObject({ result: 'pass' });
    // A plain retrain of the production model's key is a duplicate; the blocked one is not named.
    const manifest = catboostManifest() as { models: Record<string, Record<string, unknown>> };
    const again = 'catboost_v9_33f_train20251102-20260108_20260209_080000';
    manifest.models[again] = { ...manifest.models[V9_TWIN], gcs_path: `gs://team-models/catboost/v9/${again}.cbm` };
    writeFileSync(join(dir, CATBOOST_MANIFEST), json(manifest));
    const dup = await run(dir, ['--json', 'gates', again]);
    expect(dup.code).toBe(1);
    const gate = parsed(dup).gates.find((x: { id: string }) => x.id === 'duplicate-window');
    expect(gate).toMatchObject({ result: 'fail', severity: 'block' });
    expect(gate.message).toContain(V9_PROD);
    expect(gate.message).not.toContain(V9_BLOCKED);

    const config = teamConfig();
    config.builtinGates = { 'duplicate-window': { severity: 'warn' } };
    writeFileSync(join(dir, 'modelgov.config.json'), json(config));
    const warned = await run(dir, ['--json', 'gates', again]);
    expect(warned.code).toBe(0);
    expect(parsed(warned).gates.find((x: { id: string }) => x.id === 'duplicate-window')).toMatchObject({ result: 'warn', severity: 'warn' });

    config.builtinGates = { 'duplicate-window': { severity: 'off' } };
    writeFileSync(join(dir, 'modelgov.config.json'), json(config));
    expect(parsed(await run(dir, ['--json', 'gates', again])).gates.map((x: { id: string }) => x.id)).not.toContain('duplicate-window');
  });

  it('a soft gate ("severity": "warn") reports without blocking promote; a blocking one still refuses', async () => {
    const dir = makeTeamRepo();
    // V12_HUBER's mae 4.9 is worse than production's 4.8: the soft mae-improvement gate fails.
    const r = await run(dir, ['promote', V12_HUBER, '--no-docs'], NOW);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mae-improvement\s+mae\s+4\.9\s+< 4\.8 \(production\)\s+WARN$/m);
    expect(r.stdout).toContain('WARN mae-improvement: mae 4.9 is not lower than the production model\'s 4.8');
    expect(r.stdout).toContain(`promoted ${V12_HUBER} to production in catboost_v12`);
    expect(JSON.parse(read(dir, CATBOOST_MANIFEST)).production_model).toBe(V12_HUBER);

    const config = teamConfig();
    delete config.gates[1].severity;
    const dir2 = makeTeamRepo({ config });
    const before = read(dir2, CATBOOST_MANIFEST);
    const refused = await run(dir2, ['promote', V12_HUBER, '--no-docs'], NOW);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('refused:');
    expect(read(dir2, CATBOOST_MANIFEST)).toBe(before);
  });
});
