/**
 * Model timelines: which model was trained on which window and served when. Pure: the docs
 * layer prints it as a Mermaid gantt block (`{{timeline}}`, mermaid-gantt.ts), `modelgov report`
 * draws it as SVG.
 */
import { promotionOf, utcDay } from '../gates/production-at.js';
import type { ModelEntry, ModelStatus } from '../manifest/types.js';
import type { HistoryEvent } from '../ports.js';

/** One stretch of time a model served as production. Days are YYYY-MM-DD. */
export interface ProductionPeriod {
  /** First day served. */
  start: string;
  /** First day no longer served (exclusive); null while it still serves. */
  end: string | null;
  /** `history`: a recorded promotion; `manifest`: production_since / production_end_date. */
  source: 'history' | 'manifest';
  /** The promotion that started the period (source `history`). */
  promotion?: { by: string | null; forced: boolean; reason: string | null; at: string };
}

/** One model as the timeline shows it. */
export interface TimelineRow {
  id: string;
  status: string;
  /** deprecated, archived or rolled_back: drawn greyed. */
  retired: boolean;
  /** The manifest's production_model. */
  current: boolean;
  /** Training window, both days inclusive as in the manifest. */
  training: { start: string; end: string };
  /** Oldest first, never overlapping. */
  periods: ProductionPeriod[];
}

/** The data behind `{{timeline}}` and the report's chart. */
export interface Timeline {
  system: string;
  /** Newest first (training end, then training start, descending; then id), at most `limit`. */
  rows: TimelineRow[];
  /** Models left out by the limit. */
  omitted: number;
  limit: number;
  /**
   * Where an ongoing period is drawn to: DRAW_AHEAD_DAYS after the latest day the data names.
   * Derived from the data, never from a clock, so the same inputs give the same chart.
   */
  horizon: string;
}

export interface TimelineOptions {
  /** Rows to show (default DEFAULT_TIMELINE_LIMIT); the production model is always one of them. */
  limit?: number;
}

export const DEFAULT_TIMELINE_LIMIT = 20;
/** How far past the latest known day an ongoing production period is drawn. */
export const DRAW_AHEAD_DAYS = 7;

const RETIRED: readonly string[] = ['deprecated', 'archived', 'rolled_back'] satisfies ModelStatus[];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `day` plus `n` days (UTC calendar arithmetic). */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Start {
  model: string;
  day: string;
  source: 'history' | 'manifest';
  /** production_end_date from the manifest, when that is what ended it. */
  end: string | null;
  promotion?: ProductionPeriod['promotion'];
}

/**
 * Production periods of a system's models: the recorded promotions (each lasts until the next
 * one), plus the manifest's production_since / production_end_date for periods no promotion
 * recorded (before modelgov, or hand edits). A manifest period that a promotion of the same model
 * on the same day already covers is not counted twice.
 */
export function productionPeriods(system: string, models: Record<string, ModelEntry>, events: readonly HistoryEvent[]): Map<string, ProductionPeriod[]> {
  const starts: Start[] = [];
  for (const e of events) {
    if (e.event_type !== 'promote' || e.system_id !== system) continue;
    const { to, details } = promotionOf(e);
    const day = utcDay(e.changed_at);
    if (!DAY.test(day) || !Object.hasOwn(models, to)) continue;
    starts.push({
      model: to,
      day,
      source: 'history',
      end: null,
      promotion: { by: e.changed_by ?? null, forced: details?.forced === true, reason: typeof details?.reason === 'string' ? details.reason : null, at: e.changed_at },
    });
  }
  const recorded = new Set(starts.map((s) => `${s.model}\u0000${s.day}`));
  for (const [id, m] of Object.entries(models)) {
    const since = m.production_since;
    if (typeof since !== 'string' || !DAY.test(since) || recorded.has(`${id}\u0000${since}`)) continue;
    const end = typeof m.production_end_date === 'string' && DAY.test(m.production_end_date) ? m.production_end_date : null;
    starts.push({ model: id, day: since, source: 'manifest', end });
  }
  // By day; on one day a recorded promotion counts before a manifest date, then by time and id.
  starts.sort((a, b) => cmp(a.day, b.day) || (a.source === b.source ? 0 : a.source === 'history' ? -1 : 1) || cmp(a.promotion?.at ?? '', b.promotion?.at ?? '') || cmp(a.model, b.model));

  const periods = new Map<string, ProductionPeriod[]>();
  starts.forEach((s, i) => {
    const next = starts.slice(i + 1).find((n) => n.day > s.day || n.model !== s.model);
    let end: string | null = next ? next.day : null;
    // The manifest's end date ends the period early (a fleet left without a champion); one from
    // an earlier period of the same model (before a re-promotion) is not about this one.
    const ownEnd = s.end ?? models[s.model]?.production_end_date;
    if (typeof ownEnd === 'string' && DAY.test(ownEnd) && ownEnd > s.day && (end === null || ownEnd < end)) end = ownEnd;
    if (end !== null && end <= s.day) return; // superseded the same day: nothing to draw
    const list = periods.get(s.model) ?? [];
    const last = list.at(-1);
    // Back-to-back periods of one model (a re-recorded date) read as one.
    if (last && last.end === s.day) last.end = end;
    else list.push({ start: s.day, end, source: s.source, ...(s.promotion ? { promotion: s.promotion } : {}) });
    periods.set(s.model, list);
  });
  return periods;
}

/**
 * Builds the timeline of one system (pure, deterministic: no clock, no locale). Models whose
 * training dates are not calendar days are left out (the manifest check reports them).
 */
export function buildTimeline(system: string, manifest: { production_model: string | null; models: Record<string, ModelEntry> }, events: readonly HistoryEvent[] = [], options: TimelineOptions = {}): Timeline {
  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_TIMELINE_LIMIT));
  const current = manifest.production_model ?? null;
  const periods = productionPeriods(system, manifest.models, events);
  const all: TimelineRow[] = [];
  for (const [id, m] of Object.entries(manifest.models)) {
    if (!DAY.test(String(m.training_start)) || !DAY.test(String(m.training_end))) continue;
    all.push({
      id,
      status: String(m.status),
      retired: RETIRED.includes(String(m.status)),
      current: id === current,
      training: { start: m.training_start, end: m.training_end },
      periods: periods.get(id) ?? [],
    });
  }
  all.sort((a, b) => cmp(b.training.end, a.training.end) || cmp(b.training.start, a.training.start) || cmp(a.id, b.id));

  let rows = all.slice(0, limit);
  const production = all.find((r) => r.current);
  if (production && !rows.includes(production)) {
    // The serving model is the one people look for: it takes the last place.
    rows = [...rows.slice(0, limit - 1), production];
  }

  let latest = '0000-01-01';
  for (const r of all) {
    const trainedTo = addDays(r.training.end, 1);
    if (trainedTo > latest) latest = trainedTo;
    for (const p of r.periods) for (const d of [p.start, p.end]) if (d !== null && d > latest) latest = d;
  }
  return { system, rows, omitted: all.length - rows.length, limit, horizon: addDays(latest, DRAW_AHEAD_DAYS) };
}
