import { createHash } from 'node:crypto';
import type { HistoryEvent, RegistryRow } from '../ports.js';
import { diffRow, type FieldChange } from './to-rows.js';

export interface SyncPlan {
  inserted: RegistryRow[];
  updated: { row: RegistryRow; changes: FieldChange[] }[];
  unchanged: string[];
  /** Registry rows of the synced systems whose model is no longer in the manifest (kept, reported). */
  orphans: RegistryRow[];
  /** Rows to write (inserted + updated), in one MERGE. */
  writes: RegistryRow[];
  history: HistoryEvent[];
}

const asText = (v: unknown): string | null => (v == null ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** A 128-bit hex id from the parts that identify an event. */
export function stableEventId(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Decides what a sync writes: only new and changed rows, with one history event per inserted
 * model and per changed field. An unchanged registry gives an empty plan (no write at all).
 */
export function planSync(
  wanted: RegistryRow[],
  existing: RegistryRow[],
  ctx: { now: string; by: string | null; commit: string | null; systems: string[]; versions?: Record<string, string> },
): SyncPlan {
  const byId = new Map(existing.map((r) => [r.model_id, r]));
  const plan: SyncPlan = { inserted: [], updated: [], unchanged: [], orphans: [], writes: [], history: [] };
  const wantedIds = new Set<string>();
  // The id is derived from the change itself and the manifest version it came from: two syncs
  // racing on one change produce the same ids, so a registry that skips stored ids keeps one.
  const event = (e: Omit<HistoryEvent, 'event_id' | 'changed_at' | 'changed_by' | 'git_commit'>): HistoryEvent => ({
    event_id: stableEventId([e.event_type, e.system_id, e.model_id, e.field, e.old_value, e.new_value, ctx.versions?.[e.system_id] ?? null]),
    changed_at: ctx.now,
    changed_by: ctx.by,
    git_commit: ctx.commit,
    ...e,
  });
  for (const want of wanted) {
    wantedIds.add(want.model_id);
    const have = byId.get(want.model_id);
    if (!have) {
      const row = { ...want, created_by: want.created_by ?? ctx.by };
      plan.inserted.push(row);
      plan.writes.push(row);
      plan.history.push(
        event({ event_type: 'insert', system_id: want.system_id, model_id: want.model_id, field: null, old_value: null, new_value: null, details_json: JSON.stringify(row) }),
      );
      continue;
    }
    const changes = diffRow(want, have);
    if (changes.length === 0) {
      plan.unchanged.push(want.model_id);
      continue;
    }
    // Keep the original creation stamp: it is set once, on insert.
    const row = { ...want, created_at: have.created_at, created_by: have.created_by };
    plan.updated.push({ row, changes });
    plan.writes.push(row);
    for (const c of changes) {
      plan.history.push(
        event({ event_type: 'update', system_id: want.system_id, model_id: want.model_id, field: c.field, old_value: asText(c.old), new_value: asText(c.new), details_json: null }),
      );
    }
  }
  const systems = new Set(ctx.systems);
  plan.orphans = existing.filter((r) => systems.has(r.system_id) && !wantedIds.has(r.model_id));
  return plan;
}
