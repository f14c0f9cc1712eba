import { ModelgovError } from '../errors.js';
import type { ManifestView } from '../manifest/types.js';
import type { HistoryEvent, Registry } from '../ports.js';
import { planSync, type SyncPlan } from '../sync/plan-sync.js';
import { manifestToRows } from '../sync/to-rows.js';

export interface SyncReport extends SyncPlan {
  dryRun: boolean;
  affectedRows: number;
  requests: number;
}

/**
 * Sync. A cache registry (DuckDB) refreshes itself from its sources in one locked transaction.
 * A shared registry (BigQuery): read the registry once, plan the writes in the pure core, then ONE upsert call for all
 * new and changed models (with their history events). An unchanged registry is not written.
 */
export async function runSync(
  manifests: ManifestView[],
  registry: Registry,
  ctx: { dryRun: boolean; by: string | null; commit: string | null; now?: string; fileEvents?: HistoryEvent[] },
): Promise<SyncReport> {
  assertUniqueModelIds(manifests);
  if (registry.refresh) {
    // A cache registry reads its sources, plans and writes under its own lock.
    const r = await registry.refresh({ dryRun: ctx.dryRun });
    return { ...r.plan, orphans: r.removed, dryRun: ctx.dryRun, affectedRows: r.affectedRows, requests: r.wrote ? 1 : 0 };
  }
  const wanted = manifests.flatMap((m) => manifestToRows(m.system, m.manifest));
  const existing = await registry.list();
  const plan = planSync(wanted, existing, {
    now: ctx.now ?? new Date().toISOString(),
    by: ctx.by,
    commit: ctx.commit,
    systems: manifests.map((m) => m.system),
    versions: Object.fromEntries(manifests.map((m) => [m.system, m.version])),
  });
  // The history files' events (promotions recorded in git) go to a shared registry too; it
  // skips ids it already stores, so this is a no-op once they are there.
  const fileEvents = ctx.fileEvents ?? [];
  if (ctx.dryRun) return { ...plan, dryRun: true, affectedRows: 0, requests: 0 };
  if (plan.writes.length === 0) {
    if (fileEvents.length > 0) await registry.appendHistory(fileEvents);
    return { ...plan, dryRun: false, affectedRows: 0, requests: fileEvents.length > 0 ? 1 : 0 };
  }
  const { affectedRows, requests } = await registry.upsert(plan.writes, [...fileEvents, ...plan.history]);
  return { ...plan, dryRun: false, affectedRows, requests };
}

/** model_id is the registry key: the same id in two systems would overwrite one with the other. */
export function assertUniqueModelIds(manifests: ManifestView[]): void {
  const owner = new Map<string, ManifestView>();
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
}
