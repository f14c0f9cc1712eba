/**
 * Auto-sync: `modelgov trigger init <dir>` writes a Cloud Run functions source; the real
 * functions framework serves it on loopback (its modelgov dependency is this checkout), and
 * CloudEvents are posted to it as Eventarc would, against the GCS and BigQuery fakes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryFake, type BigQueryFake } from '../fakes/bigquery-fake.js';
import { startGcsFake, type GcsFake } from '../fakes/gcs-fake.js';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_DIR, EXAMPLE_MANIFEST, exampleManifest, REPO_ROOT, writeJson } from '../helpers/example.js';

const BUCKET = 'mg-manifests';
const OBJECT = 'catboost_v9/manifest.json';
const TABLE = 'trigger-project.ml.model_registry';
const NET_GUARD = join(REPO_ROOT, 'test', 'setup', 'net-guard.mjs');
const FRAMEWORK = join(REPO_ROOT, 'node_modules', '@google-cloud', 'functions-framework');

let gcs: GcsFake;
let bq: BigQueryFake;
let fn: ChildProcess | undefined;
let url: string;
let fnDir: string;
let fnLog = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Posts one CloudEvent in binary mode, the way Eventarc delivers to a Cloud Run function. */
async function post(id: string, object: string, type = 'google.cloud.storage.object.v1.finalized'): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'ce-id': id,
      'ce-specversion': '1.0',
      'ce-type': type,
      'ce-source': `//storage.googleapis.com/projects/_/buckets/${BUCKET}`,
      'ce-subject': `objects/${object}`,
      'ce-time': '2026-02-12T15:00:00Z',
    },
    body: JSON.stringify({ bucket: BUCKET, name: object, generation: '1', contentType: 'application/json' }),
  });
  await res.text();
  return res.status;
}

const merges = () => bq.queries.filter((q) => q.kind === 'MERGE' && !q.error);
const history = () => bq.rows(`${TABLE}_history`);

beforeAll(async () => {
  [gcs, bq] = await Promise.all([startGcsFake({ buckets: [BUCKET] }), startBigQueryFake()]);
  const repo = copyExample();
  const configFile = join(repo, 'modelgov.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.registry = `bigquery:${TABLE}`;
  config.location = 'US';
  config.systems[0].manifest = `gs://${BUCKET}/${OBJECT}`;
  writeJson(configFile, config);

  fnDir = join(mkdtempSync(join(tmpdir(), 'modelgov-fn-')), 'modelgov-sync');
  const init = await run(repo, ['--json', 'trigger', 'init', fnDir, '--region', 'us-west2']);
  expect(init.code, init.stderr).toBe(0);
  const out = parsed(init);
  expect(out.commands).toEqual([
    `gcloud functions deploy modelgov-sync --gen2 --runtime=nodejs20 --project=trigger-project --region=us-west2 --source=${out.commands[0].match(/--source=(\S+)/)[1]} --entry-point=modelgovSync --trigger-bucket=${BUCKET} --service-account=modelgov-sync@trigger-project.iam.gserviceaccount.com`,
  ]);
  expect(out.roles.join('\n')).toMatch(/roles\/bigquery\.jobUser[\s\S]*roles\/bigquery\.dataEditor[\s\S]*roles\/storage\.objectViewer on bucket gs:\/\/mg-manifests/);
  const pkg = JSON.parse(readFileSync(join(fnDir, 'package.json'), 'utf8'));
  expect(pkg.dependencies).toEqual({ '@google-cloud/functions-framework': '5.0.5', modelgov: expect.stringMatching(/^\d+\.\d+\.\d+/) });

  // What `npm install` would do in that directory, offline: the framework and this modelgov.
  mkdirSync(join(fnDir, 'node_modules', '@google-cloud'), { recursive: true });
  symlinkSync(REPO_ROOT, join(fnDir, 'node_modules', 'modelgov'));
  symlinkSync(FRAMEWORK, join(fnDir, 'node_modules', '@google-cloud', 'functions-framework'));

  gcs.put(BUCKET, OBJECT, readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST)), 'application/json');
  gcs.put(BUCKET, 'unrelated/report.csv', 'a,b\n1,2\n', 'text/csv');

  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  fn = spawn(process.execPath, [join(FRAMEWORK, 'build', 'src', 'main.js'), `--target=modelgovSync`, '--signature-type=cloudevent', `--port=${port}`, `--source=${fnDir}`], {
    cwd: fnDir,
    env: {
      ...process.env,
      NODE_OPTIONS: `--import ${NET_GUARD}`,
      MODELGOV_GCS_ENDPOINT: gcs.url,
      MODELGOV_BIGQUERY_ENDPOINT: bq.url,
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_APPLICATION_CREDENTIALS: '',
      HOST: '127.0.0.1',
    },
  });
  fn.stdout?.on('data', (c: Buffer) => (fnLog += c));
  fn.stderr?.on('data', (c: Buffer) => (fnLog += c));
  // Ready when it accepts a connection (an unrelated event is a harmless probe).
  for (;;) {
    if (fn.exitCode !== null) throw new Error(`functions framework exited: ${fnLog}`);
    try {
      await post('probe', 'unrelated/probe.txt');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  bq.queries.length = 0;
}, 120_000);

afterAll(async () => {
  fn?.kill();
  await Promise.all([gcs?.close(), bq?.close()]);
});

describe('modelgov trigger: the auto-sync function on the real functions framework', { timeout: 120_000 }, () => {
  it('an unrelated object in the bucket: 2xx and nothing at BigQuery', async () => {
    expect(await post('evt-unrelated', 'unrelated/report.csv')).toBeLessThan(300);
    expect(bq.queries).toEqual([]);
  });

  it('a manifest write: one MERGE at BigQuery; the same event delivered again adds no history', async () => {
    expect(await post('evt-1', OBJECT), fnLog).toBeLessThan(300);
    expect(merges()).toHaveLength(1);
    const after = history().length;
    expect(after).toBe(3); // one insert event per model of the first sync
    expect(bq.rows(TABLE)).toHaveLength(3);

    expect(await post('evt-1', OBJECT)).toBeLessThan(300);
    expect(merges()).toHaveLength(1);
    expect(history()).toHaveLength(after);
  });

  it('a changed manifest: one more MERGE with the field changes; redelivery of it changes nothing', async () => {
    const m = exampleManifest();
    m.models.catboost_v9_2026_02.status = 'shadow';
    gcs.put(BUCKET, OBJECT, JSON.stringify(m, null, 2), 'application/json');
    const before = history().length;
    expect(await post('evt-2', OBJECT)).toBeLessThan(300);
    expect(merges()).toHaveLength(2);
    expect(history().length).toBe(before + 1);
    expect(bq.rows(TABLE).find((r) => r.model_id === 'catboost_v9_2026_02')?.status).toBe('shadow');
    expect(await post('evt-2', OBJECT)).toBeLessThan(300);
    expect(merges()).toHaveLength(2);
    expect(history().length).toBe(before + 1);
  });
});
