import { parseInstant } from '../util/instant.js';
import type { Manifest } from '../manifest/types.js';
import type { HistoryEvent } from '../ports.js';

/** What a promotion event records in `details_json`. */
export interface PromotionDetails {
  from: string | null;
  to: string;
  forced: boolean;
  reason: string | null;
  retired_as: string | null;
  production_since: string;
  gates: unknown[];
  manifest: string;
}

/** Which model served a system on a given day, and which record says so. */
export interface ProductionAt {
  system: string;
  /** null when neither the history nor the manifest knows. */
  model: string | null;
  /** `history`: a promotion event on or before the day; `manifest`: production_since / production_end_date. */
  source: 'history' | 'manifest' | null;
  /** First day of that model's period (YYYY-MM-DD), when known. */
  since: string | null;
  /** Day the period ended (exclusive), null when it had not ended by the newest record. */
  until: string | null;
  /** The promotion event that answered (source `history`). */
  event?: HistoryEvent;
}

/** The UTC day (YYYY-MM-DD) of an ISO timestamp or a day. */
export function utcDay(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return parseInstant(iso)?.utcDate ?? iso.slice(0, 10);
}

/** The `to` / `from` of a promotion event: details_json first, else new_value / old_value. */
export function promotionOf(e: HistoryEvent): { from: string | null; to: string; details?: Partial<PromotionDetails> } {
  let details: Partial<PromotionDetails> | undefined;
  if (e.details_json) {
    try {
      const parsed: unknown = typeof e.details_json === 'string' ? JSON.parse(e.details_json) : e.details_json;
      if (parsed && typeof parsed === 'object') details = parsed as Partial<PromotionDetails>;
    } catch {
      // A hand-edited row with broken JSON still has from/to in old_value/new_value.
    }
  }
  return { from: details?.from ?? e.old_value ?? null, to: details?.to ?? e.new_value ?? e.model_id, details };
}

const byTime = (a: HistoryEvent, b: HistoryEvent) => Date.parse(a.changed_at) - Date.parse(b.changed_at) || a.event_id.localeCompare(b.event_id);

/**
 * Which model was production in `system` on `day` (pure). Promotion events answer when one
 * happened on or before that day (a promotion counts from its own UTC day, like the
 * `production_since` it writes). Days before the first recorded promotion (periods before
 * modelgov existed) are answered from the manifest: the model with the latest
 * `production_since <= day` whose `production_end_date` is absent or after the day.
 */
export function productionAt(system: string, day: string, events: readonly HistoryEvent[], manifest: Manifest | undefined): ProductionAt {
  const promotions = events.filter((e) => e.event_type === 'promote' && e.system_id === system).sort(byTime);
  let answer: HistoryEvent | undefined;
  let next: HistoryEvent | undefined;
  for (const e of promotions) {
    if (utcDay(e.changed_at) <= day) answer = e;
    else if (!next) next = e;
  }
  if (answer) {
    return {
      system,
      model: promotionOf(answer).to,
      source: 'history',
      since: utcDay(answer.changed_at),
      until: next ? utcDay(next.changed_at) : null,
      event: answer,
    };
  }
  let best: { id: string; since: string; until: string | null } | undefined;
  for (const [id, m] of Object.entries(manifest?.models ?? {})) {
    const since = m.production_since;
    if (!since || since > day) continue;
    const end = m.production_end_date ?? null;
    if (end !== null && end <= day) continue;
    if (!best || since > best.since) best = { id, since, until: end };
  }
  if (best) return { system, model: best.id, source: 'manifest', since: best.since, until: best.until ?? (next ? utcDay(next.changed_at) : null) };
  return { system, model: null, source: null, since: null, until: null };
}
