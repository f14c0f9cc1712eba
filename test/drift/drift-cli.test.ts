import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, PROD_ID, runGit, writeJson } from '../helpers/example.js';

/** The example, synced and with fresh docs, committed: a repo with no drift. */
async function cleanRepo(): Promise<string> {
  const dir = copyExample();
  expect((await run(dir, ['sync'])).code).toBe(0);
  expect((await run(dir, ['docs'])).code).toBe(0);
  runGit(dir, 'commit', '-q', '-am', 'docs: generated section');
  return dir;
}

const drift = async (dir: string, ...extra: string[]) => {
  const r = await run(dir, ['drift', '--json', ...extra]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
};

describe('modelgov drift on the example', () => {
  let clean: string;
  beforeAll(async () => {
    clean = await cleanRepo();
  });

  it('a clean repo: exit 0, no findings', async () => {
    const r = await drift(clean);
    expect(r.stderr).toBe('');
    expect(r.report).toEqual({ ok: true, findings: [], unreachable: [] });
    expect(r.code).toBe(0);
    const human = await run(clean, ['drift']);
    expect(human.stdout).toMatch(/^no drift: \d+ place\(s\) agree with the manifest\.$/m);
  });

  it('a DuckDB registry that lags the manifest is a cache, not drift: it is rebuilt and drift stays clean', async () => {
    const dir = await cleanRepo();
    const m = exampleManifest();
    m.models[PROD_ID].training_end = '2026-01-31';
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    expect((await run(dir, ['sync'])).code).toBe(0);
    runGit(dir, 'checkout', '--', EXAMPLE_MANIFEST); // the manifest says 2026-01-08 again
    const r = await drift(dir);
    expect(r.report).toEqual({ ok: true, findings: [], unreachable: [] });
    expect(r.code).toBe(0);
    expect(parsed(await run(dir, ['--json', 'info', PROD_ID])).model.training_end_date).toBe('2026-01-08');
  });

  it('env var pointing at catboost_v9_feb_02_retrain.cbm: kind deployment-model with the exact gcloud command', async () => {
    const dir = await cleanRepo();
    const yaml = join(dir, 'deploy', 'prediction-worker.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('catboost_v9_33features_20260201_011018.cbm', 'catboost_v9_feb_02_retrain.cbm'));
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toEqual([
      {
        kind: 'deployment-model',
        system: 'catboost_v9',
        subject: 'prediction-worker CATBOOST_V9_MODEL_PATH',
        expected: exampleManifest().models[PROD_ID].gcs_path,
        actual: 'gs://nba-props-platform-models/catboost/v9/catboost_v9_feb_02_retrain.cbm (catboost_v9_feb_02_retrain, status deprecated)',
        fix: `gcloud run services update prediction-worker --region=us-west2 --project=nba-props-platform --update-env-vars=CATBOOST_V9_MODEL_PATH=${exampleManifest().models[PROD_ID].gcs_path}`,
      },
    ]);
  });

  it('a hand-edited section: kind docs', async () => {
    const dir = await cleanRepo();
    const file = join(dir, 'CLAUDE.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('2026-01-08', '2026-01-31'));
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]).toMatchObject({ kind: 'docs', subject: 'CLAUDE.md', fix: 'modelgov docs' });
  });

  it('a commit in predictions/worker after the deployed commit: kind deployment-code', async () => {
    const dir = await cleanRepo();
    writeFileSync(join(dir, 'predictions', 'worker', 'worker.py'), '# changed after deploy\n', { flag: 'a' });
    runGit(dir, 'commit', '-q', '-am', 'worker: change after the deploy');
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0].kind).toBe('deployment-code');
    expect(r.report.findings[0].actual).toMatch(/^1 commit\(s\) since: [0-9a-f]+ worker: change after the deploy$/);
    expect(r.report.findings[0].fix).toMatch(/git log --oneline --end-of-options [0-9a-f]{40}\.\.HEAD -- predictions\/worker shared/);
  });

  it('a deployed commit this clone does not have: kind deployment-code saying so', async () => {
    const dir = await cleanRepo();
    const yaml = join(dir, 'deploy', 'prediction-worker.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/commit-sha: [0-9a-f]{40}/g, 'commit-sha: deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'));
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]).toMatchObject({ kind: 'deployment-code', actual: 'commit not found (fetch it: git fetch --unshallow, or redeploy)' });
  });

  it('an artifact name that is neither conventional nor legacy: kind filename with the correct name', async () => {
    const dir = await cleanRepo();
    const cfgFile = join(dir, 'modelgov.config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8'));
    cfg.systems[0].artifacts.legacy = cfg.systems[0].artifacts.legacy.filter((n: string) => !n.startsWith('catboost_v9_33features'));
    writeJson(cfgFile, cfg);
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]).toMatchObject({ kind: 'filename', subject: 'catboost_v9_33features_20260201_011018.cbm' });
    expect(r.report.findings[0].expected).toBe('catboost_v9_33f_train20251102-20260108_20260201_011018.cbm');
  });

  it('an invalid manifest: kind manifest naming the path and what to edit', async () => {
    const dir = await cleanRepo();
    const m = exampleManifest();
    m.models.catboost_v9_2026_02.status = 'production';
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings.filter((f: any) => f.kind === 'manifest')).toHaveLength(1);
    expect(r.report.findings[0].actual).toContain('2 models have status "production"');
  });

  it('a malformed service YAML: exit 2 naming the file; --offline warn checks the rest', async () => {
    const dir = await cleanRepo();
    writeFileSync(join(dir, 'deploy', 'prediction-worker.yaml'), 'metadata:\n  name: [unclosed\n');
    const r = await run(dir, ['drift']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deploy/prediction-worker.yaml');
    expect(r.stderr).toContain('invalid YAML');
    const warn = await run(dir, ['drift', '--offline', 'warn']);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('warning: not checked: deploy/prediction-worker.yaml');
  });
});
