import { adapterOptions, openManifestStore } from '../adapters/index.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import { parseManifestOrThrow } from '../manifest/load-manifest.js';
import type { LoadedManifest } from '../manifest/types.js';

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

/** Reads and validates each system's manifest, in parallel (GCS reads overlap). */
export async function loadManifests(loaded: LoadedConfig, env: NodeJS.ProcessEnv, systems: SystemConfig[] = loaded.config.systems): Promise<LoadedManifest[]> {
  const opts = adapterOptions(loaded, env);
  return Promise.all(
    systems.map(async (s) => {
      const store = await openManifestStore(s.manifest, opts);
      const { text, version } = await store.read();
      const warnings: string[] = [];
      return { system: s.id, location: s.manifest, manifest: parseManifestOrThrow(text, s.manifest, warnings), text, version, warnings };
    }),
  );
}
