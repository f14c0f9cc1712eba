import { dirname, resolve } from 'node:path';
import { adapterOptions, openRegistry } from '../adapters/index.js';
import { loadManifests } from '../app/load-manifests.js';
import { runSync } from '../app/sync.js';
import { loadConfig } from '../config/load-config.js';
import { ModelgovError } from '../errors.js';
import { locationKind } from '../config/location.js';

/** The CloudEvent type Cloud Storage sends when an object (a new generation) is written. */
export const FINALIZED = 'google.cloud.storage.object.v1.finalized';

/** The part of a CloudEvent this handler reads (the functions framework's CloudEvent has more). */
export interface StorageCloudEvent {
  id?: string;
  type?: string;
  data?: { bucket?: string; name?: string; generation?: string | number } | string;
}

export interface TriggerResult {
  /** `ignored`: not a finalized object, or not a configured manifest; `synced`: the system was synced. */
  status: 'ignored' | 'synced';
  reason?: string;
  system?: string;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  historyEvents?: number;
}

/**
 * The body of the `modelgovSync` Cloud Run function: when a configured `gs://` manifest was
 * written, sync THAT system into the BigQuery registry. Anything else is ignored (the bucket
 * may hold other objects). Redelivery is harmless (Eventarc delivers at least once): the sync
 * reads the live manifest, writes nothing when the registry already matches it, and its history
 * events have ids derived from the change, which the append skips when stored.
 */
export async function syncOnStorageEvent(event: StorageCloudEvent, opts: { config: string; env?: NodeJS.ProcessEnv }): Promise<TriggerResult> {
  const env = opts.env ?? process.env;
  if (event.type !== undefined && event.type !== FINALIZED) return { status: 'ignored', reason: `event type ${event.type}` };
  const data = typeof event.data === 'string' ? (JSON.parse(event.data) as Exclude<StorageCloudEvent['data'], string>) : event.data;
  if (!data?.bucket || !data.name) return { status: 'ignored', reason: 'no bucket/name in the event data' };
  const loaded = loadConfig({ cwd: dirname(resolve(opts.config)), configPath: resolve(opts.config) });
  if (locationKind(loaded.config.registry) !== 'bigquery') {
    throw new ModelgovError('CONFIG_INVALID', `${loaded.file}: the trigger syncs into a bigquery: registry, not ${loaded.config.registry}`, {
      file: loaded.file,
      fix: 'Set "registry" to bigquery:<project>.<dataset>.<table> in the function\'s modelgov.config.json (modelgov trigger init writes it).',
    });
  }
  const object = `gs://${data.bucket}/${data.name}`;
  const systems = loaded.config.systems.filter((s) => s.manifest === object);
  if (systems.length === 0) return { status: 'ignored', reason: `${object} is not a configured manifest` };
  const manifests = await loadManifests(loaded, env, systems);
  const registry = await openRegistry(loaded.config.registry, adapterOptions(loaded, env));
  try {
    const report = await runSync(manifests, registry, { dryRun: false, by: 'modelgov-trigger', commit: null });
    return {
      status: 'synced',
      system: systems.map((s) => s.id).join(','),
      inserted: report.inserted.length,
      updated: report.updated.length,
      unchanged: report.unchanged.length,
      historyEvents: report.writes.length > 0 ? report.history.length : 0,
    };
  } finally {
    await registry.close();
  }
}
