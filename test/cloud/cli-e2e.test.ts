/**
 * The CLI on the example repo with every location switched to the cloud — the config edit being
 * the only change — against the three loopback fakes: sync, list, production, info,
 * check-duplicate, validate, docs, drift and promote, plus faults. The commands run in-process
 * through main() with their own environment (endpoints, no credentials); one drift runs the built
 * CLI (bin/modelgov.js) in a child process with the loopback guard (NODE_OPTIONS), so the client
 * libraries as bundled are seen to reach all three fakes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BigQueryFake, startBigQueryFake } from '../fakes/bigquery-fake.js';
import { type CloudRunFake, startCloudRunFake } from '../fakes/cloud-run-fake.js';
import { type GcsFake, startGcsFake } from '../fakes/gcs-fake.js';
import { BIN, run as runInProcess } from '../helpers/cli.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, PROD_ID, REPO_ROOT, copyExample, runGit, writeJson } from '../helpers/example.js';

const PROJECT = 'nba-props-platform';
const MANIFEST_BUCKET = 'mg-manifests';
const MANIFEST_OBJECT = 'catboost_v9/manifest.json';
const MODELS_BUCKET = 'nba-props-platform-models';
const NET_GUARD = join(REPO_ROOT, 'test', 'setup', 'net-guard.mjs');

let gcs: GcsFake;
let bq: BigQueryFake;
let run: CloudRunFake;
let dir: string;
let head: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** The environment of every command: the fakes' endpoints, no credentials. */
const cloudEnv = (): NodeJS.ProcessEnv => ({
  MODELGOV_GCS_ENDPOINT: gcs.url,
  MODELGOV_BIGQUERY_ENDPOINT: bq.url,
  MODELGOV_CLOUDRUN_ENDPOINT: run.url,
  GOOGLE_APPLICATION_CREDENTIALS: '',
});
/** Runs the CLI in-process (main() awaits the clients, so the fakes in this process keep answering). */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> {
  return runInProcess(dir, args, { ...cloudEnv(), ...extraEnv });
}
/** Runs the built CLI asynchronously in a child process with the loopback guard. */
function spawned(args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '', METADATA_SERVER_DETECTION: 'none', NODE_OPTIONS: `--import ${NET_GUARD}`, ...cloudEnv() };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => {
      expect(stderr).not.toMatch(/net-guard: refused/);
      resolve({ code, stdout, stderr });
    });
  });
}
const json = (r: Result): any => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
};

/** Newest mtime under a directory. */
function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

beforeAll(async () => {
  // `npm test` builds first; a direct `vitest run test/cloud` may find dist older than src.
  const built = statSync(join(REPO_ROOT, 'dist', 'cli.js'), { throwIfNoEntry: false });
  if (!built || newest(join(REPO_ROOT, 'src')) > built.mtimeMs) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  }
  [gcs, bq, run] = await Promise.all([startGcsFake({ buckets: [MANIFEST_BUCKET, MODELS_BUCKET] }), startBigQueryFake(), startCloudRunFake()]);

  dir = copyExample();
  head = runGit(dir, 'rev-parse', 'HEAD');
  // The only change from the embedded setup: the three locations (and no local artifact mirror).
  const config = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
  config.registry = `bigquery:${PROJECT}.ml.model_registry`;
  config.location = 'US';
  // Generous on purpose: a healthy request on a loaded CI machine must never hit the bound.
  // The hang test below uses its own config with a short bound.
  config.timeoutMs = 120_000;
  config.systems[0].manifest = `gs://${MANIFEST_BUCKET}/${MANIFEST_OBJECT}`;
  delete config.systems[0].artifacts.dir;
  config.systems[0].deployment.service = `cloudrun:${PROJECT}/us-west2/prediction-worker`;
  writeJson(join(dir, 'modelgov.config.json'), config);
  runGit(dir, 'commit', '-qam', 'config: cloud locations');
  head = runGit(dir, 'rev-parse', 'HEAD');

  gcs.put(MANIFEST_BUCKET, MANIFEST_OBJECT, readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST)), 'application/json');
  for (const f of readdirSync(join(EXAMPLE_DIR, 'models/catboost_v9/artifacts'))) {
    gcs.put(MODELS_BUCKET, `catboost/v9/${f}`, readFileSync(join(EXAMPLE_DIR, 'models/catboost_v9/artifacts', f)));
  }
  run.setService(PROJECT, 'us-west2', 'prediction-worker', {
    env: { CATBOOST_V9_MODEL_PATH: `gs://${MODELS_BUCKET}/catboost/v9/${PROD_ID}.cbm`, GCP_PROJECT_ID: PROJECT },
    labels: { 'commit-sha': head },
    updateTime: '2026-02-08T15:00:00Z',
  });
});
afterAll(async () => {
  await Promise.all([gcs?.close(), bq?.close(), run?.close()]);
});

describe('the CLI on cloud locations (fakes)', () => {
  it('sync upserts every model in one MERGE, then a second sync writes nothing', async () => {
    const first = await cli(['sync', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const r = json(first);
    expect(r.inserted.sort()).toEqual(['catboost_v9_2026_02', PROD_ID, 'catboost_v9_feb_02_retrain'].sort());
    expect(r.affectedRows).toBe(3);
    expect(bq.queries.filter((q) => q.kind === 'MERGE')).toHaveLength(1);
    expect(bq.rows(`${PROJECT}.ml.model_registry`)).toHaveLength(3);
    expect(bq.rows(`${PROJECT}.ml.model_registry_history`).length).toBe(r.historyEvents);

    const merges = bq.queries.filter((q) => q.kind === 'MERGE').length;
    const second = json(await cli(['sync', '--json']));
    expect(second).toMatchObject({ inserted: [], updated: [], affectedRows: 0 });
    expect(bq.queries.filter((q) => q.kind === 'MERGE')).toHaveLength(merges);
  });

  it('list, production and info read BigQuery', async () => {
    const list = await cli(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/catboost_v9_33features_20260201_011018\s+production\s+2025-11-02 → 2026-01-08/);
    expect(json(await cli(['production', '--json'])).production.map((m: { model_id: string }) => m.model_id)).toEqual([PROD_ID]);
    const info = json(await cli(['info', PROD_ID, '--json']));
    expect(info.model).toMatchObject({ training_start_date: '2025-11-02', training_end_date: '2026-01-08', is_production: true, feature_count: 33, evaluation_mae: 4.82 });
  });

  it('check-duplicate finds the window in the registry (exit 1) and not another (exit 0)', async () => {
    const dup = await cli(['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-08']);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toContain(PROD_ID);
    const none = await cli(['check-duplicate', '--train-start', '2024-01-01', '--train-end', '2024-02-01']);
    expect(none.code, none.stderr).toBe(0);
    const windowQuery = bq.queries.filter((q) => q.query.includes('training_start_date = @start')).at(-1)!;
    expect(windowQuery.params.get('start')).toEqual({ t: 'DATE', v: '2024-01-01' });
  });

  it('validate streams gs:// artifacts and catches a changed one', async () => {
    const ok = await cli(['validate']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok\s+catboost_v9_33features_20260201_011018/m);
    const original = gcs.get(MODELS_BUCKET, `catboost/v9/${PROD_ID}.cbm`)!;
    gcs.put(MODELS_BUCKET, `catboost/v9/${PROD_ID}.cbm`, Buffer.concat([original, Buffer.from('tampered')]));
    try {
      const bad = await cli(['validate']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/MISMATCH\s+catboost_v9_33features_20260201_011018/);
    } finally {
      gcs.put(MODELS_BUCKET, `catboost/v9/${PROD_ID}.cbm`, original);
    }
  });

  it('docs from the GCS manifest, then drift is clean; a wrong Cloud Run env var is deployment drift with the gcloud fix', async () => {
    const docs = await cli(['docs']);
    expect(docs.code, docs.stderr).toBe(0);
    runGit(dir, 'commit', '-qam', 'docs: regenerate');
    run.setService(PROJECT, 'us-west2', 'prediction-worker', { ...run.services.get(`${PROJECT}/us-west2/prediction-worker`)!, labels: { 'commit-sha': runGit(dir, 'rev-parse', 'HEAD') } });

    // The built bundle, in a child process: its client libraries reach GCS, BigQuery and Cloud Run.
    const clean = await spawned(['drift', '--json']);
    expect(json(clean), clean.stderr).toMatchObject({ ok: true, findings: [] });
    expect(clean.code).toBe(0);

    const wrong = `gs://${MODELS_BUCKET}/catboost/v9/catboost_v9_feb_02_retrain.cbm`;
    const spec = run.services.get(`${PROJECT}/us-west2/prediction-worker`)!;
    run.setService(PROJECT, 'us-west2', 'prediction-worker', { ...spec, env: { ...spec.env, CATBOOST_V9_MODEL_PATH: wrong } });
    try {
      const drift = await cli(['drift', '--json']);
      expect(drift.code).toBe(1);
      const finding = json(drift).findings.find((f: { kind: string }) => f.kind === 'deployment-model');
      expect(finding.actual).toContain(wrong);
      expect(finding.fix).toBe(
        `gcloud run services update prediction-worker --region=us-west2 --project=${PROJECT} --update-env-vars=CATBOOST_V9_MODEL_PATH=gs://${MODELS_BUCKET}/catboost/v9/${PROD_ID}.cbm`,
      );
    } finally {
      run.setService(PROJECT, 'us-west2', 'prediction-worker', spec);
    }
  });

  it('a hung Cloud Run answer makes drift exit 2 within the configured bound; --offline warn checks the rest', async () => {
    // A short bound only here, in a config git does not see, so no other test depends on speed.
    const short = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
    short.timeoutMs = 1_500;
    writeJson(join(dir, 'hung.config.json'), short);
    appendFileSync(join(dir, '.git', 'info', 'exclude'), 'hung.config.json\n');
    run.inject({ kind: 'hang', times: 2 });
    // Without the bound this call would hang until the test times out.
    const hung = await cli(['--config', 'hung.config.json', 'drift']);
    expect(hung.code).toBe(2);
    expect(hung.stderr).toMatch(/did not answer within 1500 ms|within 1500 ?ms/);
    const warn = await cli(['--config', 'hung.config.json', 'drift', '--offline', 'warn']);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/not checked/);
  });

  it('a 503 twice from BigQuery is retried: list still succeeds', async () => {
    bq.inject({ kind: 'status', status: 503, times: 2 });
    const list = await cli(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(bq.pendingFaults()).toEqual([]);
  });

  it('a 403 from BigQuery is exit 2 naming the permission', async () => {
    bq.inject({ kind: 'status', status: 403, reason: 'accessDenied', message: 'Access Denied: User does not have bigquery.jobs.create permission in project nba-props-platform.' });
    const list = await cli(['list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/bigquery\.jobs\.create/);
  });

  it('promote writes the GCS manifest at its generation; a writer that got there first makes it exit 2 and keeps its bytes', async () => {
    const before = gcs.generation(MANIFEST_BUCKET, MANIFEST_OBJECT)!;
    const racer = `${JSON.stringify({ production_model: PROD_ID, models: {} })}\n`;
    gcs.inject({ kind: 'race', data: racer, match: (r) => r.query.get('name') === MANIFEST_OBJECT });
    const lost = await cli(['promote', 'catboost_v9_2026_02', '--force', '--reason', 'e2e race']);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/Someone else changed the manifest gs:\/\/mg-manifests\/catboost_v9\/manifest\.json since it was read/);
    expect(gcs.get(MANIFEST_BUCKET, MANIFEST_OBJECT)?.toString()).toBe(racer);

    gcs.put(MANIFEST_BUCKET, MANIFEST_OBJECT, readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST)), 'application/json');
    const won = await cli(['promote', 'catboost_v9_2026_02', '--force', '--reason', 'e2e']);
    expect(won.code, won.stdout + won.stderr).toBe(0);
    const stored = JSON.parse(gcs.get(MANIFEST_BUCKET, MANIFEST_OBJECT)!.toString());
    expect(stored.production_model).toBe('catboost_v9_2026_02');
    expect(BigInt(gcs.generation(MANIFEST_BUCKET, MANIFEST_OBJECT)!)).toBeGreaterThan(BigInt(before));
    const row = bq.rows(`${PROJECT}.ml.model_registry`).find((r) => r.model_id === 'catboost_v9_2026_02')!;
    expect(row.is_production).toBe(true);
  });
});
