import type { LoadedManifest } from '../manifest/types.js';
import type { Registry, RegistryRow } from '../ports.js';
import { manifestToRows } from '../sync/to-rows.js';

/**
 * Every model trained on exactly this window: the manifests (the truth for their own models)
 * plus registry rows of models they no longer list, since the registry may lag or remember
 * retrains that were dropped from the manifest. One rule for `check-duplicate` and the
 * built-in duplicate-window gate. A registry row keeps its `created_at` when the manifest has none.
 */
export async function findWindowTwins(
  manifests: LoadedManifest[],
  registry: Registry,
  window: { start: string; end: string; system?: string },
): Promise<RegistryRow[]> {
  const registered = await registry.findByWindow(window.start, window.end, window.system);
  const byId = new Map(registered.map((r) => [r.model_id, r]));
  for (const m of manifests) {
    if (window.system && m.system !== window.system) continue;
    for (const row of manifestToRows(m.system, m.manifest)) {
      if (row.training_start_date !== window.start || row.training_end_date !== window.end) continue;
      const stored = byId.get(row.model_id);
      byId.set(row.model_id, { ...row, created_at: row.created_at ?? stored?.created_at ?? null });
    }
  }
  return [...byId.values()].sort((a, b) => a.model_id.localeCompare(b.model_id));
}
