import type { ManifestView } from '../manifest/types.js';
import { isRetiredStatus } from '../manifest/statuses.js';
import { modelVariantTags } from '../naming/variant-tags.js';
import type { Registry, RegistryRow } from '../ports.js';
import { manifestToRows } from '../sync/to-rows.js';

/** What makes two models duplicates: same system, training window, feature count and variant tags. */
export interface DuplicateKey {
  start: string;
  end: string;
  system?: string;
  /** Compared when given; a twin whose feature count is unknown may be the same model and counts. */
  features?: number;
  /** Compared as a set, always: no tags means a plain model (a q0.43 variant is not its twin). */
  variants?: readonly string[];
}

/** Models trained on the key's window, split into real duplicates and retired ones (which never count). */
export interface Duplicates {
  duplicates: RegistryRow[];
  /** Same key, but the status means retired (deprecated, archived, rolled_back, or declared so). */
  retired: RegistryRow[];
}

/**
 * Every model that duplicates `key`: the manifests (the truth for their own models) plus registry
 * rows of models they no longer list, since the registry may lag or remember retrains that were
 * dropped from the manifest. One rule for `check-duplicate` and the built-in duplicate-window
 * gate. A registry row keeps its `created_at` when the manifest has none.
 */
export async function findDuplicates(manifests: ManifestView[], registry: Registry, key: DuplicateKey): Promise<Duplicates> {
  const registered = await registry.findByWindow(key.start, key.end, key.system);
  const byId = new Map(registered.map((r) => [r.model_id, r]));
  for (const m of manifests) {
    if (key.system && m.system !== key.system) continue;
    for (const row of manifestToRows(m.system, m.manifest)) {
      if (row.training_start_date !== key.start || row.training_end_date !== key.end) continue;
      const stored = byId.get(row.model_id);
      byId.set(row.model_id, { ...row, created_at: row.created_at ?? stored?.created_at ?? null });
    }
  }
  const statuses = Object.assign({}, ...manifests.map((m) => m.statuses)) as Record<string, string>;
  const wanted = [...(key.variants ?? [])].sort().join('_');
  const same = [...byId.values()]
    .filter((r) => key.features === undefined || r.feature_count === null || r.feature_count === key.features)
    .filter((r) => modelVariantTags(r.system_id, r.model_id, r.gcs_path).join('_') === wanted)
    .sort((a, b) => a.model_id.localeCompare(b.model_id));
  return { duplicates: same.filter((r) => !isRetiredStatus(r.status, statuses)), retired: same.filter((r) => isRetiredStatus(r.status, statuses)) };
}
