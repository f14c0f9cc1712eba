/**
 * Checks against the real Google Cloud, run by test/cloud/live.test.ts in a child process (the
 * vitest process refuses every non-loopback connection). Opt-in only:
 *   MODELGOV_LIVE_PROJECT   project for the BigQuery checks (jobs run there)      required
 *   MODELGOV_LIVE_DATASET   dataset for a throw-away registry table (default modelgov_live_test,
 *                           created in MODELGOV_LIVE_LOCATION, default US, if missing)
 *   MODELGOV_LIVE_BUCKET    bucket for a throw-away manifest object                 optional
 *   MODELGOV_LIVE_CLOUDRUN  cloudrun:project/region/service to read                 optional
 * Prints one JSON line per check: {"check", "ok", "detail"}. Cleans up what it created.
 */
import { randomUUID } from 'node:crypto';
import { createGcsArtifactStore } from '../../src/adapters/artifacts/gcs.js';
import { createCloudRunReader } from '../../src/adapters/deployment/cloud-run.js';
import { createGcsManifestStore } from '../../src/adapters/manifest/gcs.js';
import { createBigQueryRegistry } from '../../src/adapters/registry/bigquery.js';
import { isModelgovError } from '../../src/errors.js';
import type { AdapterOptions } from '../../src/ports.js';
import { historyEvent, realisticRow } from './registry-rows.js';

const env = process.env;
const project = env.MODELGOV_LIVE_PROJECT!;
const opts: AdapterOptions = { root: process.cwd(), env: {}, location: env.MODELGOV_LIVE_LOCATION ?? 'US', timeoutMs: 30_000 };

function report(check: string, ok: boolean, detail = ''): void {
  process.stdout.write(`${JSON.stringify({ check, ok, detail })}\n`);
}
async function step(check: string, fn: () => Promise<string | void>): Promise<void> {
  try {
    report(check, true, (await fn()) ?? '');
  } catch (err) {
    report(check, false, isModelgovError(err) ? `${err.code}: ${err.message} ${err.fix ?? ''}` : String((err as Error)?.stack ?? err));
  }
}
function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}

async function bigquery(): Promise<void> {
  const dataset = env.MODELGOV_LIVE_DATASET ?? 'modelgov_live_test';
  const table = `live_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const reg = await createBigQueryRegistry(`bigquery:${project}.${dataset}.${table}`, opts);
  const rows = [realisticRow(0), realisticRow(1), realisticRow(2)];
  try {
    await step('bigquery: first sync creates the tables and inserts', async () => {
      const r = await reg.upsert(rows, [historyEvent(1, rows[0].model_id)]);
      assert(r.affectedRows === 3, `affectedRows 3, got ${r.affectedRows}`);
      return `requests=${r.requests}`;
    });
    await step('bigquery: rows round-trip exactly (DATE values, not NULL)', async () => {
      const listed = await reg.list();
      assert(listed.length === 3, 'three rows');
      const row = listed.find((r) => r.model_id === rows[0].model_id)!;
      assert(row.training_start_date === rows[0].training_start_date, `start date ${row.training_start_date}`);
      assert(row.training_end_date === rows[0].training_end_date, `end date ${row.training_end_date}`);
      assert(row.evaluation_json === JSON.stringify(JSON.parse(rows[0].evaluation_json!), Object.keys(JSON.parse(rows[0].evaluation_json!)).sort()), 'evaluation_json canonical');
    });
    await step('bigquery: second sync changes nothing and is one job', async () => {
      const r = await reg.upsert(rows, []);
      assert(r.affectedRows === 0 && r.requests === 1, JSON.stringify(r));
    });
    await step('bigquery: findByWindow and history are parameterized reads', async () => {
      const found = await reg.findByWindow(rows[1].training_start_date!, rows[1].training_end_date!);
      assert(found.some((r) => r.model_id === rows[1].model_id), 'window finds the model');
      assert((await reg.history({ modelId: rows[0].model_id })).length === 1, 'one history event');
    });
  } finally {
    const { BigQuery } = await import('@google-cloud/bigquery');
    const bq = new BigQuery({ projectId: project });
    for (const t of [table, `${table}_history`]) await bq.dataset(dataset).table(t).delete({ ignoreNotFound: true }).catch(() => {});
  }
}

async function gcs(bucket: string): Promise<void> {
  const object = `modelgov-live-test/${randomUUID()}/manifest.json`;
  const location = `gs://${bucket}/${object}`;
  const a = await createGcsManifestStore(location, opts);
  const b = await createGcsManifestStore(location, opts);
  try {
    await step('gcs: create, read, conditional write, lost race is CONFLICT', async () => {
      const { version: v1 } = await a.write('{"v":1}\n', '0');
      const read = await b.read();
      assert(read.text === '{"v":1}\n' && read.version === v1, 'read returns what was written');
      await a.write('{"v":2}\n', v1);
      try {
        await b.write('{"v":3}\n', v1);
        throw new Error('stale write succeeded');
      } catch (err) {
        assert(isModelgovError(err) && err.code === 'CONFLICT', `CONFLICT, got ${String(err)}`);
      }
      assert((await a.read()).text === '{"v":2}\n', 'winner kept');
    });
    await step('gcs: artifact hash streams the object', async () => {
      const store = await createGcsArtifactStore(opts);
      const check = await store.hash(location);
      assert(check.exists && check.size === 8, JSON.stringify(check));
      assert(!(await store.hash(`gs://${bucket}/modelgov-live-test/does-not-exist`)).exists, 'missing object');
    });
  } finally {
    const { Storage } = await import('@google-cloud/storage');
    await new Storage().bucket(bucket).file(object).delete({ ignoreNotFound: true }).catch(() => {});
  }
}

async function cloudRun(location: string): Promise<void> {
  await step('cloud run: reads the service', async () => {
    const state = await (await createCloudRunReader(location, opts)).read('CATBOOST_V9_MODEL_PATH');
    assert(state.service === location.split('/').pop(), 'service name');
    return JSON.stringify(state);
  });
  await step('cloud run: a missing service is NOT_FOUND', async () => {
    const missing = location.replace(/[^/]+$/, `modelgov-missing-${randomUUID().slice(0, 8)}`);
    try {
      await (await createCloudRunReader(missing, opts)).read('X');
      throw new Error('read a service that does not exist');
    } catch (err) {
      assert(isModelgovError(err) && err.code === 'NOT_FOUND', `NOT_FOUND, got ${String(err)}`);
    }
  });
}

await bigquery();
if (env.MODELGOV_LIVE_BUCKET) await gcs(env.MODELGOV_LIVE_BUCKET);
if (env.MODELGOV_LIVE_CLOUDRUN) await cloudRun(env.MODELGOV_LIVE_CLOUDRUN);
