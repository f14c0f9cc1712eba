import { openConfiguredRegistry } from './registry-cache.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { isModelgovError } from '../errors.js';
import { duplicateWindowGate, evaluateGates, type GateResult } from '../gates/evaluate-gates.js';
import { promotionOf } from '../gates/production-at.js';
import type { ManifestView } from '../manifest/types.js';
import type { HistoryEvent, RegistryRow } from '../ports.js';
import { buildTimeline, type Timeline } from '../timeline/build-timeline.js';
import { readHistory } from './history.js';
import { loadManifests, selectSystems } from './load-manifests.js';
import { runDrift, type DriftReport, type UnreachableSource } from './drift.js';

/** One model's line in the report's table. */
export interface ReportModel {
  id: string;
  status: string;
  training: { start: string; end: string };
  production_since: string | null;
  production_end_date: string | null;
  evaluation: Record<string, unknown>;
  gates: GateResult[];
}

/** A recorded promotion: who, when, from → to, forced past which gates, and why. */
export interface ReportPromotion {
  at: string;
  by: string | null;
  from: string | null;
  to: string;
  forced: boolean;
  reason: string | null;
  failedGates: string[];
  commit: string | null;
}

export interface ReportSystem {
  id: string;
  manifest: string;
  production: string | null;
  timeline: Timeline;
  models: ReportModel[];
  promotions: ReportPromotion[];
}

/** Everything `modelgov report` shows. */
export interface ReportData {
  config: string;
  systems: ReportSystem[];
  drift: DriftReport;
  /** Sources the report itself could not read (the registry's history). */
  unreachable: UnreachableSource[];
}

/** Rows the chart shows; the table lists every model. */
export const REPORT_TIMELINE_LIMIT = 60;

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Gates of every model of one manifest, with the duplicate-window twins found in memory (the
 * manifest plus the registry's rows of models the manifest no longer lists), so a thousand models
 * cost one registry read, not a thousand.
 */
export function gatesOfManifest(loaded: LoadedConfig, m: ManifestView, rows: readonly RegistryRow[]): Map<string, GateResult[]> {
  const windows = new Map<string, { model_id: string; status: string | null }[]>();
  const add = (start: string | null, end: string | null, twin: { model_id: string; status: string | null }) => {
    const key = `${start}\u0000${end}`;
    const list = windows.get(key) ?? [];
    list.push(twin);
    windows.set(key, list);
  };
  for (const [id, e] of Object.entries(m.manifest.models)) add(e.training_start, e.training_end, { model_id: id, status: e.status });
  for (const r of rows) {
    if (r.system_id === m.system && !Object.hasOwn(m.manifest.models, r.model_id)) add(r.training_start_date, r.training_end_date, { model_id: r.model_id, status: r.status });
  }
  const prodId = m.manifest.production_model;
  const prodEntry = prodId ? m.manifest.models[prodId] : undefined;
  const production = prodEntry && prodId !== null ? { id: prodId, entry: prodEntry } : undefined;
  const gates = new Map<string, GateResult[]>();
  for (const [id, entry] of Object.entries(m.manifest.models)) {
    const model = { id, entry };
    gates.set(id, [
      duplicateWindowGate(model, windows.get(`${entry.training_start}\u0000${entry.training_end}`) ?? []),
      ...evaluateGates(model, production, loaded.config.gates ?? [], { system: m.system }),
    ]);
  }
  return gates;
}

function promotionsOf(system: string, events: readonly HistoryEvent[]): ReportPromotion[] {
  return events
    .filter((e) => e.event_type === 'promote' && e.system_id === system)
    .map((e) => {
      const { from, to, details } = promotionOf(e);
      const gates = Array.isArray(details?.gates) ? (details.gates as { id?: unknown; passed?: unknown }[]) : [];
      return {
        at: e.changed_at,
        by: e.changed_by,
        from,
        to,
        forced: details?.forced === true,
        reason: typeof details?.reason === 'string' ? details.reason : null,
        failedGates: gates.filter((g) => g.passed === false).map((g) => String(g.id)),
        commit: e.git_commit,
      };
    })
    .reverse(); // newest first, like the chart
}

/**
 * Collects the report: manifests (must load: exit 2 otherwise), the registry's rows and history
 * (listed as unreachable when the registry cannot be read), and a drift run (its unreachable
 * sources listed as such). Nothing is written.
 */
export async function collectReport(loaded: LoadedConfig, env: NodeJS.ProcessEnv, opts: { system?: string } = {}): Promise<ReportData> {
  const systems: SystemConfig[] = selectSystems(loaded, opts.system);
  const manifests = await loadManifests(loaded, env, systems);
  const unreachable: UnreachableSource[] = [];
  let rows: RegistryRow[] = [];
  let events: HistoryEvent[] = [];
  try {
    // A DuckDB registry is a cache: open it the way every command does, so it is rebuilt when stale.
    const registry = await openConfiguredRegistry(loaded, env);
    try {
      rows = await registry.list();
      events = await readHistory(loaded, registry, opts.system ? { system: opts.system } : {});
    } finally {
      await registry.close();
    }
  } catch (e) {
    if (!isModelgovError(e)) throw e;
    unreachable.push({ system: null, source: loaded.config.registry, message: `history and registry rows not shown: ${e.message}`, fix: e.fix });
  }
  // After the registry is closed: DuckDB allows one open handle per file, and drift opens its own.
  const drift = await runDrift(loaded, env, systems);

  const reportSystems = manifests.map((m): ReportSystem => {
    const gates = gatesOfManifest(loaded, m, rows);
    const models = Object.entries(m.manifest.models)
      .map(([id, e]): ReportModel => ({
        id,
        status: e.status,
        training: { start: e.training_start, end: e.training_end },
        production_since: e.production_since ?? null,
        production_end_date: e.production_end_date ?? null,
        evaluation: { ...(e.evaluation ?? {}) },
        gates: gates.get(id) ?? [],
      }))
      .sort(byId);
    return {
      id: m.system,
      manifest: m.location,
      production: m.manifest.production_model ?? null,
      timeline: buildTimeline(m.system, m.manifest, events, { limit: REPORT_TIMELINE_LIMIT }),
      models,
      promotions: promotionsOf(m.system, events),
    };
  });
  return { config: loaded.file, systems: reportSystems, drift, unreachable };
}
