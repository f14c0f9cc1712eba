import { ModelgovError } from '../errors.js';
import type { LoadedManifest } from '../manifest/types.js';
import type { Registry } from '../ports.js';
import { planSync, type SyncPlan } from '../sync/plan-sync.js';
import { manifestToRows } from '../sync/to-rows.js';

export interface SyncReport extends SyncPlan {
  dryRun: boolean;
  affectedRows: number;
  requests: number;
}

/**
 * Sync: read the registry once, plan the writes in the pure core, then ONE upsert call for all
 * new and changed models (with their history events). An unchanged registry is not written.
 */
export async function runSync(
  manifests: LoadedManifest[],
  registry: Registry,
  ctx: { dryRun: boolean; by: string | null; commit: string | null; now?: string },
): Promise<SyncReport> {
  const wanted = manifests.flatMap((m) => manifestToRows(m.system, m.manifest));
  // model_id is the registry key: the same id in two systems would overwrite one with the other.
  const owner = new Map<string, LoadedManifest>();
  for (const m of manifests) {
    for (const id of Object.keys(m.manifest.models)) {
      const first = owner.get(id);
      if (first) {
        throw new ModelgovError('MANIFEST_INVALID', `${m.location}: models.${id}: the id is also used in ${first.location} (system ${first.system})`, {
          file: m.location,
          fix: 'Model ids are the registry key and must be unique across systems: rename one of them.',
        });
      }
      owner.set(id, m);
    }
  }
  const existing = await registry.list();
  const plan = planSync(wanted, existing, {
    now: ctx.now ?? new Date().toISOString(),
    by: ctx.by,
    commit: ctx.commit,
    systems: manifests.map((m) => m.system),
  });
  if (ctx.dryRun || plan.writes.length === 0) return { ...plan, dryRun: ctx.dryRun, affectedRows: 0, requests: 0 };
  const { affectedRows, requests } = await registry.upsert(plan.writes, plan.history);
  return { ...plan, dryRun: false, affectedRows, requests };
}
