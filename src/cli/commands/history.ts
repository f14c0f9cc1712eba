import { parseInstant } from '../../util/instant.js';
import type { OptionsOf } from '../command-specs.js';
import { productionOn, readHistory } from '../../app/history.js';
import { selectSystems } from '../../app/load-manifests.js';
import { ModelgovError } from '../../errors.js';
import { promotionOf, type ProductionAt } from '../../gates/production-at.js';
import type { HistoryEvent } from '../../ports.js';
import { isCalendarDate } from '../../util/calendar.js';
import type { CommandContext, CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { show, table } from '../report/table.js';

function parseDetails(e: HistoryEvent): unknown {
  if (e.details_json === null || e.details_json === undefined) return null;
  if (typeof e.details_json !== 'string') return e.details_json;
  try {
    return JSON.parse(e.details_json);
  } catch {
    return e.details_json;
  }
}

/** One line of what an event changed. */
function describe(e: HistoryEvent): string {
  if (e.event_type === 'insert') return 'inserted';
  if (e.event_type === 'update') return describeUpdate(String(e.field), e.old_value, e.new_value);
  const { from, to, details } = promotionOf(e);
  const gates = Array.isArray(details?.gates) ? (details.gates as { id?: string; passed?: boolean }[]) : [];
  const failed = gates.filter((g) => g.passed === false).map((g) => g.id);
  const parts = [`${from ?? '—'} -> ${to}`];
  if (details?.forced) parts.push(`FORCED past ${failed.join(', ') || 'failed gates'}`);
  else if (gates.length) parts.push(`gates: all ${gates.length} passed`);
  if (details?.reason) parts.push(`reason: ${details.reason}`);
  if (details?.retired_as) parts.push(`previous -> ${details.retired_as}`);
  return parts.join('; ');
}

const asObject = (v: unknown): Record<string, unknown> | undefined => {
  let value = v;
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      value = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};

/** Shown per line of `history`; the full values are in `--json`. */
const MAX_KEYS_SHOWN = 3;

/**
 * An update of an object field (evaluation) shows the keys that changed, not both whole
 * objects: a line stays readable however many metrics a model has.
 */
function describeUpdate(field: string, oldValue: unknown, newValue: unknown): string {
  const before = asObject(oldValue);
  const after = asObject(newValue);
  if (!before || !after) return `${field}: ${show(oldValue)} -> ${show(newValue)}`;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((k) => `${field}.${k}: ${k in before ? show(before[k]) : '(none)'} -> ${k in after ? show(after[k]) : '(none)'}`);
  if (keys.length > MAX_KEYS_SHOWN) shown.push(`+${keys.length - MAX_KEYS_SHOWN} more keys (see --json)`);
  return shown.join(', ') || `${field}: unchanged`;
}

const when = (iso: string) => {
  const i = parseInstant(iso);
  return i === undefined ? iso : `${i.utcDate} ${i.utcTime}`;
};

function sourceText(p: ProductionAt): string {
  if (p.source === 'history') {
    const ev = p.event!;
    return `history: promoted ${when(ev.changed_at)} UTC by ${ev.changed_by ?? 'unknown'}`;
  }
  if (p.source === 'manifest') return 'manifest: production_since / production_end_date (before any recorded promotion)';
  return 'unknown: no promotion on or before that day, and no manifest period covers it';
}

async function answerAt(ctx: CommandContext, id: string | undefined, day: string, system: string | undefined): Promise<'ok'> {
  const loaded = ctx.config();
  const answers = await withRegistry(ctx, (registry) => productionOn(loaded, ctx.env, registry, day, system));
  const was = id === undefined ? undefined : answers.some((a) => a.model === id);
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: true,
        at: day,
        ...(id === undefined ? {} : { model: id, wasProduction: was }),
        production: answers.map((a) => ({ system: a.system, model: a.model, source: a.source, since: a.since, until: a.until, event_id: a.event?.event_id ?? null })),
      }),
    );
    return 'ok';
  }
  ctx.out(`production on ${day}:`);
  ctx.out(table(['system', 'model', 'since', 'until', 'source'], answers.map((a) => [a.system, a.model, a.since, a.until, sourceText(a)])));
  if (id !== undefined) ctx.out(`${id} was ${was ? '' : 'not '}production on ${day}.`);
  return 'ok';
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new ModelgovError('USAGE', `--limit: "${raw}" is not a positive whole number`, { fix: 'Pass e.g. --limit 20 for the 20 newest events.' });
  return Number(raw);
}

/** `modelgov history [<id>] [--at DATE] [--system S]`: the audit trail, or who was production on a day. */
export const run: CommandRun<OptionsOf<'history'>> = async (ctx, args, opts) => {
  const id = args[0] as string | undefined;
  const system = typeof opts.system === 'string' ? opts.system : undefined;
  if (opts.at !== undefined) {
    const day = String(opts.at);
    if (!isCalendarDate(day)) {
      throw new ModelgovError('USAGE', `--at: not a calendar date "${day}"`, { fix: 'Pass --at as YYYY-MM-DD, a day that exists, e.g. --at 2026-02-09.' });
    }
    return answerAt(ctx, id, day, system);
  }
  const loaded = ctx.config();
  if (system !== undefined) selectSystems(loaded, system);
  const limit = parseLimit(opts.limit);
  const all = await withRegistry(ctx, (registry) => readHistory(loaded, registry, { modelId: id, system }));
  const events = limit === undefined ? all : all.slice(Math.max(0, all.length - limit));
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, events: events.map((e) => ({ ...e, details: parseDetails(e) })) }));
    return 'ok';
  }
  if (events.length === 0) {
    ctx.out(`no history events${id ? ` for ${id}` : ''} in ${loaded.config.registry} (sync and promote write them).`);
    return 'ok';
  }
  ctx.out(
    table(
      ['when (UTC)', 'event', 'system', 'model', 'change', 'by', 'commit'],
      events.map((e) => [when(e.changed_at), e.event_type, e.system_id, e.model_id, describe(e), e.changed_by, e.git_commit?.slice(0, 7) ?? null]),
    ),
  );
  ctx.out(events.length < all.length ? `${events.length} newest of ${all.length} event(s), oldest first.` : `${events.length} event(s), oldest first.`);
  return 'ok';
};
