/**
 * Race-free sync: N concurrent syncs of one change record it once. DuckDB reads, plans and
 * writes under one file lock; BigQuery derives event ids from the change and skips ids it
 * already stores, and its MERGE is idempotent. Each case loops 20 rounds of 8 syncs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { loadManifests, openConfiguredRegistry, runSync } from '../../src/index.js';
import type { SyncReport } from '../../src/app/sync.js';
import { startBigQueryFake, type BigQueryFake } from '../fakes/bigquery-fake.js';
import { startGcsFake, type GcsFake } from '../fakes/gcs-fake.js';
import { BIN } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, writeJson } from '../helpers/example.js';
import { rawQuery } from './duckdb-helpers.js';

const UNTESTED = 'catboost_v9_2026_02';
const ROUNDS = 20;
const SYNCS = 8;

let gcs: GcsFake;
let bq: BigQueryFake;
beforeAll(async () => {
  [gcs, bq] = await Promise.all([startGcsFake({ buckets: ['mg-manifests'] }), startBigQueryFake()]);
});
afterAll(async () => {
  await Promise.all([gcs?.close(), bq?.close()]);
});

/** The example manifest with one change per round: a new MAE (two fields: evaluation_mae, evaluation_json). */
const roundManifest = (round: number) => {
  const m = exampleManifest();
  m.models[UNTESTED].evaluation = { ...(m.models[UNTESTED].evaluation ?? {}), mae: 5 + round / 100 };
  return m;
};

function withConfig(dir: string, edit: (c: Record<string, any>) => void): LoadedConfig {
  const file = join(dir, 'modelgov.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  edit(config);
  writeJson(file, config);
  return loadConfig({ cwd: dir });
}

/** SYNCS syncs at once, each with its own registry handle, as SYNCS commands would. */
async function concurrentSyncs(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<SyncReport[]> {
  const manifests = await loadManifests(loaded, env);
  const registries = await Promise.all(Array.from({ length: SYNCS }, () => openConfiguredRegistry(loaded, env, { warn: () => undefined })));
  try {
    return await Promise.all(registries.map((r) => runSync(manifests, r, { dryRun: false, by: 'race@test', commit: null })));
  } finally {
    await Promise.all(registries.map((r) => r.close()));
  }
}

const updatedBy = (reports: SyncReport[]) => reports.filter((r) => r.updated.length > 0);

describe('concurrent syncs of one change', { timeout: 300_000 }, () => {
  it(`DuckDB cache, local manifest: of ${SYNCS} syncs exactly one applies the change, ${ROUNDS} rounds`, async () => {
    const dir = copyExample({ git: false });
    const loaded = loadConfig({ cwd: dir });
    for (let round = 0; round < ROUNDS; round++) {
      writeJson(join(dir, EXAMPLE_MANIFEST), roundManifest(round));
      const reports = await concurrentSyncs(loaded, process.env);
      // Round 0 also inserts (the cache is created by the first sync to get the lock).
      expect(updatedBy(reports).length + reports.filter((r) => r.inserted.length > 0).length, `round ${round}`).toBe(1);
      expect(reports.filter((r) => r.writes.length === 0 && r.unchanged.length === 3), `round ${round}`).toHaveLength(SYNCS - 1);
    }
  });

  it(`DuckDB registry, gs:// manifest (history kept in the registry): one event per change, ${ROUNDS} rounds`, async () => {
    const dir = copyExample({ git: false });
    const loaded = withConfig(dir, (c) => {
      c.systems[0].manifest = 'gs://mg-manifests/race/manifest.json';
      delete c.systems[0].artifacts.dir;
    });
    const env = { ...process.env, MODELGOV_GCS_ENDPOINT: gcs.url };
    for (let round = 0; round < ROUNDS; round++) {
      gcs.put('mg-manifests', 'race/manifest.json', JSON.stringify(roundManifest(round), null, 2), 'application/json');
      await concurrentSyncs(loaded, env);
    }
    const events = await rawQuery(join(dir, '.modelgov/registry.duckdb'), "SELECT event_type, model_id, field FROM model_registry_history WHERE event_type = 'update'");
    expect(events.filter((e) => e.field === 'evaluation_mae')).toHaveLength(ROUNDS - 1);
    expect(events.filter((e) => e.field === 'evaluation_json')).toHaveLength(ROUNDS - 1);
    expect(events).toHaveLength(2 * (ROUNDS - 1));
  });

  it(`BigQuery: ${SYNCS} syncs of one change append one event per changed field, ${ROUNDS} rounds`, async () => {
    const dir = copyExample({ git: false });
    const loaded = withConfig(dir, (c) => {
      c.registry = 'bigquery:race-project.ml.model_registry';
      c.location = 'US';
    });
    const env = { ...process.env, MODELGOV_BIGQUERY_ENDPOINT: bq.url, METADATA_SERVER_DETECTION: 'none' };
    // Round 0 alone: it creates the dataset and tables (their creation is not what is raced here).
    writeJson(join(dir, EXAMPLE_MANIFEST), roundManifest(0));
    await runSync(await loadManifests(loaded, env), await openConfiguredRegistry(loaded, env), { dryRun: false, by: null, commit: null });
    for (let round = 1; round < ROUNDS; round++) {
      writeJson(join(dir, EXAMPLE_MANIFEST), roundManifest(round));
      await concurrentSyncs(loaded, env);
    }
    const history = bq.rows('race-project.ml.model_registry_history');
    const updates = history.filter((e) => e.event_type === 'update');
    expect(updates.filter((e) => e.field === 'evaluation_mae')).toHaveLength(ROUNDS - 1);
    expect(updates).toHaveLength(2 * (ROUNDS - 1));
    expect(history.filter((e) => e.event_type === 'insert')).toHaveLength(3);
    expect(new Set(history.map((e) => e.event_id)).size).toBe(history.length);
    expect(bq.rows('race-project.ml.model_registry').find((r) => r.model_id === UNTESTED)?.evaluation_mae).toBe(5 + (ROUNDS - 1) / 100);
  });

  it(`${SYNCS} sync processes on one DuckDB file: one reports the change, the others nothing to write`, async () => {
    const dir = copyExample({ git: false });
    // Eight processes queue for one file lock on a busy machine: let them wait as long as it takes.
    withConfig(dir, (c) => {
      c.timeoutMs = 120_000;
    });
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, '--json', 'sync'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c));
        child.stderr.on('data', (c: Buffer) => (err += c));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    for (let round = 1; round <= 2; round++) {
      writeJson(join(dir, EXAMPLE_MANIFEST), roundManifest(round));
      const results = await Promise.all(Array.from({ length: SYNCS }, run));
      for (const r of results) expect(r.code, r.out + r.err).toBe(0);
      const reports = results.map((r) => JSON.parse(r.out));
      expect(reports.filter((r) => r.updated.length + r.inserted.length > 0), `round ${round}`).toHaveLength(1);
    }
  });
});
