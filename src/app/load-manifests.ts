import { posix } from 'node:path';
import { adapterOptions, openManifestStore } from '../adapters/index.js';
import type { LoadedConfig, ModelgovConfig, SystemConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import { loadSystemViews } from '../manifest/system-models.js';
import type { ManifestView } from '../manifest/types.js';
import { locationKind } from '../config/location.js';

/** The configured systems, or just one when `--system` names it (unknown id: a usage error). */
export function selectSystems(loaded: LoadedConfig, system?: string): SystemConfig[] {
  if (!system) return loaded.config.systems;
  const found = loaded.config.systems.filter((s) => s.id === system);
  if (found.length === 0) {
    throw new ModelgovError('USAGE', `unknown system "${system}"`, {
      file: loaded.file,
      fix: `Use one of: ${loaded.config.systems.map((s) => s.id).join(', ')} (systems[].id in ${loaded.file}).`,
    });
  }
  return found;
}

/** One key per manifest file: `./models/m.json` and `models/m.json` are the same file. */
export function manifestKey(location: string): string {
  return locationKind(location) === 'gcs' ? location : posix.normalize(location.replace(/\\/g, '/'));
}

/**
 * The configured systems grouped by the manifest file they read (config order inside a group):
 * systems may share a manifest, and a shared file is read, parsed and split once.
 */
export function manifestGroups(systems: readonly SystemConfig[]): Map<string, SystemConfig[]> {
  const groups = new Map<string, SystemConfig[]>();
  for (const s of systems) {
    const key = manifestKey(s.manifest);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** The manifest rules the config adds (extra statuses). */
export function manifestRules(config: ModelgovConfig): { statuses: Record<string, string> } {
  return { statuses: config.statuses ?? {} };
}

/**
 * Reads and validates the manifests of `systems`, in parallel (GCS reads overlap). A file that
 * several systems share is read once and split among ALL the systems that share it, also when
 * only one of them is asked for, so a model never lands in the wrong system.
 */
export async function loadManifests(loaded: LoadedConfig, env: NodeJS.ProcessEnv, systems: SystemConfig[] = loaded.config.systems): Promise<ManifestView[]> {
  const opts = adapterOptions(loaded, env);
  const wanted = new Set(systems.map((s) => s.id));
  const all = loaded.config.systems.map((s) => s.id);
  const rules = manifestRules(loaded.config);
  const groups = [...manifestGroups(loaded.config.systems).values()].filter((g) => g.some((s) => wanted.has(s.id)));
  const views = await Promise.all(
    groups.map(async (group) => {
      const location = group[0].manifest;
      const store = await openManifestStore(location, opts);
      const { text, version } = await store.read();
      return loadSystemViews(text, { location, version }, group, all, rules);
    }),
  );
  const bySystem = new Map(views.flat().map((v) => [v.system, v]));
  return systems.map((s) => bySystem.get(s.id)!);
}
