import { basename, resolve } from 'node:path';
import { adapterOptions, openArtifactStore } from '../adapters/index.js';
import { locationKind } from '../config/location.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { statusMeaning } from '../manifest/statuses.js';
import type { ManifestView } from '../manifest/types.js';

/** Statuses whose artifacts must exist: what is serving or may serve (an extra status declared to mean one of them counts). */
const CHECKED = new Set(['production', 'active']);

function mustExist(status: string, statuses: Readonly<Record<string, string>>): boolean {
  const builtin = statusMeaning(status, statuses)?.builtin;
  return builtin !== undefined && CHECKED.has(builtin);
}

export interface ArtifactResult {
  system: string;
  model_id: string;
  path: string;
  status: 'ok' | 'missing' | 'mismatch' | 'unverified';
  expected: string | null;
  actual: string | null;
}

/** Where to read an artifact: a configured local mirror directory wins over gs:// (offline validation). */
export function artifactPath(gcsPath: string, root: string, dir?: string): string {
  if (dir) return resolve(root, dir, basename(gcsPath));
  return locationKind(gcsPath) === 'gcs' ? gcsPath : resolve(root, gcsPath);
}

/**
 * Streams every production/active artifact (every model with `all`) through sha256 and compares
 * it with the manifest. `missing` and `mismatch` are failures; `unverified` means the manifest
 * has no sha256 to compare with.
 */
export async function validateArtifacts(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  manifests: ManifestView[],
  systems: SystemConfig[],
  opts: { all?: boolean; onProgress?: (path: string, read: number, total: number | undefined) => void } = {},
): Promise<ArtifactResult[]> {
  const aopts = adapterOptions(loaded, env);
  const results: ArtifactResult[] = [];
  for (const m of manifests) {
    const sys = systems.find((s) => s.id === m.system)!;
    for (const [id, entry] of Object.entries(m.manifest.models)) {
      if (!opts.all && !mustExist(entry.status, m.statuses)) continue;
      const path = artifactPath(entry.gcs_path, loaded.root, sys.artifacts?.dir);
      const store = await openArtifactStore(path, aopts);
      const check = await store.hash(path, opts.onProgress && ((read, total) => opts.onProgress!(path, read, total)));
      const expected = entry.sha256 ? entry.sha256.toLowerCase() : null;
      const status = !check.exists ? 'missing' : !expected ? 'unverified' : check.sha256 === expected ? 'ok' : 'mismatch';
      results.push({ system: m.system, model_id: id, path, status, expected, actual: check.sha256 ?? null });
    }
  }
  return results;
}
