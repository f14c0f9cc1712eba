import type { GateConfig } from '../config/types.js';
import type { ModelEntry } from '../manifest/types.js';

/** A model as the gates see it: its id and its manifest entry. */
export interface GateSubject {
  id: string;
  entry: ModelEntry;
}

/** The outcome of one gate for one model. Every configured gate gives one, pass or fail. */
export interface GateResult {
  id: string;
  /** The evaluation key the gate reads (`training window` for the built-in duplicate gate). */
  metric: string;
  /** The model's value, null when missing or not a number. */
  value: number | string | null;
  /** The threshold as people read it: `>= 60`, `|x| <= 1.5`, `< 4.82 (production)`. */
  threshold: string;
  passed: boolean;
  /** Why it passed or failed, naming the fix when it failed. */
  message: string;
  /** True for the gate modelgov runs unless the config turns it off (duplicate-window). */
  builtin: boolean;
  /** `block`: a failure refuses promote; `warn`: a soft gate, reported without blocking. */
  severity: 'block' | 'warn';
}

/** True when the result stops a promotion: failed, and not a soft (`warn`) gate. */
export function blocks(result: GateResult): boolean {
  return !result.passed && result.severity === 'block';
}

/** Id of the built-in gate that rejects a second model trained on the same window. */
export const DUPLICATE_WINDOW_GATE = 'duplicate-window';

const fmt = (n: number): string => String(Number.isInteger(n) ? n : Number(n.toPrecision(12)));

/** The threshold of a gate as text, independent of any model. */
export function describeThreshold(gate: GateConfig, baseline?: number | null): string {
  const parts: string[] = [];
  if (gate.min !== undefined) parts.push(`>= ${fmt(gate.min)}`);
  if (gate.max !== undefined) parts.push(`<= ${fmt(gate.max)}`);
  if (gate.abs_max !== undefined) parts.push(`|x| <= ${fmt(gate.abs_max)}`);
  if (gate.better_than === 'production') {
    const op = (gate.direction ?? 'lower') === 'lower' ? '<' : '>';
    parts.push(baseline === undefined || baseline === null ? `${op} production` : `${op} ${fmt(baseline)} (production)`);
  }
  if (gate.min_sample) parts.push(`with ${gate.min_sample.metric} >= ${fmt(gate.min_sample.value)}`);
  return parts.join(' and ').replace(' and with ', ' with ');
}

/** A number from an evaluation, or why there is none. */
function metricOf(entry: ModelEntry, metric: string): { value: number } | { missing: true } | { notNumber: unknown } {
  const ev = entry.evaluation;
  if (!ev || !Object.prototype.hasOwnProperty.call(ev, metric) || ev[metric] === null || ev[metric] === undefined) return { missing: true };
  const v = ev[metric];
  return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { notNumber: v };
}

function checkOne(model: GateSubject, production: GateSubject | undefined, gate: GateConfig): GateResult {
  const severity = gate.severity === 'warn' ? 'warn' : 'block';
  const where = `models.${model.id}.evaluation.${gate.metric}`;
  const got = metricOf(model.entry, gate.metric);
  const comparable = gate.better_than === 'production' && production && production.id !== model.id ? metricOf(production.entry, gate.metric) : undefined;
  const knownBaseline = comparable && 'value' in comparable ? comparable.value : undefined;
  const missing = (message: string): GateResult => ({ id: gate.id, metric: gate.metric, value: null, threshold: describeThreshold(gate, knownBaseline), passed: false, message, builtin: false, severity });
  if ('missing' in got) return missing(`${gate.metric} is missing from the evaluation of ${model.id}; add ${where} to the manifest (evaluate the model first)`);
  if ('notNumber' in got) return missing(`${gate.metric} is ${JSON.stringify(got.notNumber)}, not a number; write ${where} as a number`);
  const value = got.value;
  const failures: string[] = [];
  const notes: string[] = [];
  if (gate.min !== undefined && value < gate.min) failures.push(`${gate.metric} ${fmt(value)} is below the minimum ${fmt(gate.min)}`);
  if (gate.max !== undefined && value > gate.max) failures.push(`${gate.metric} ${fmt(value)} is above the maximum ${fmt(gate.max)}`);
  if (gate.abs_max !== undefined && Math.abs(value) > gate.abs_max) failures.push(`${gate.metric} ${fmt(value)} is outside ±${fmt(gate.abs_max)}`);
  if (gate.better_than === 'production') {
    const direction = gate.direction ?? 'lower';
    if (!production || production.id === model.id) {
      // Nothing to beat: the model is the baseline itself (or there is none). The absolute
      // gates still guard it; refusing here would make a first model unpromotable.
      notes.push(production ? `${model.id} is the production model, the baseline itself: nothing to compare` : 'no production model to compare with');
    } else if (comparable && 'notNumber' in comparable) {
      // A baseline that is there but is not a finite number (NaN, "Infinity", text) must never
      // let a model pass by default: nothing can be shown to beat it.
      failures.push(`the production model ${production.id} has ${gate.metric} ${typeof comparable.notNumber === 'number' ? String(comparable.notNumber) : JSON.stringify(comparable.notNumber)}, not a finite number, so nothing can be shown to beat it; fix models.${production.id}.evaluation.${gate.metric}`);
    } else if (knownBaseline === undefined) {
      notes.push(`the production model ${production.id} has no numeric ${gate.metric}, so there is no baseline (add models.${production.id}.evaluation.${gate.metric} to compare)`);
    } else if (direction === 'lower' ? !(value < knownBaseline) : !(value > knownBaseline)) {
      failures.push(`${gate.metric} ${fmt(value)} is not ${direction} than the production model's ${fmt(knownBaseline)} (${production.id})`);
    }
  }
  const threshold = describeThreshold(gate, knownBaseline);
  if (gate.min_sample) {
    const { metric, value: need } = gate.min_sample;
    const sample = metricOf(model.entry, metric);
    if ('missing' in sample) failures.push(`the sample size ${metric} is missing from the evaluation of ${model.id}; add models.${model.id}.evaluation.${metric}`);
    else if ('notNumber' in sample) failures.push(`the sample size ${metric} is ${JSON.stringify(sample.notNumber)}, not a number`);
    else if (sample.value < need) failures.push(`only ${fmt(sample.value)} ${metric} (need >= ${fmt(need)}): too small a sample to trust ${gate.metric}`);
  }
  return {
    id: gate.id,
    metric: gate.metric,
    value,
    threshold,
    passed: failures.length === 0,
    message:
      failures.length > 0
        ? failures.join('; ')
        : notes.length > 0
          ? `${gate.metric} ${fmt(value)} passes: ${notes.join('; ')}`
          : `${gate.metric} ${fmt(value)} meets ${threshold}`,
    builtin: false,
    severity,
  };
}

/**
 * Evaluates the configured gates for one model (pure). Every gate that applies to `system`
 * gives one result; a missing or non-numeric metric is a failed gate, never an exception.
 * `better_than: "production"` passes when there is nothing to compare with: the model is the
 * production model itself, or the production model lacks the metric (the message says so).
 */
export function evaluateGates(model: GateSubject, productionModel: GateSubject | undefined, gates: readonly GateConfig[], opts: { system: string }): GateResult[] {
  return gates.filter((g) => g.severity !== 'off' && (!g.systems || g.systems.includes(opts.system))).map((g) => checkOne(model, productionModel, g));
}

/** Another model trained on the same window, as the duplicate gate reports it. */
export interface WindowTwin {
  model_id: string;
  status: string | null;
}

/**
 * The built-in gate: no other live model of the system may be a duplicate (same training window,
 * feature count and variant tags: the `check-duplicate` rule). `twins` are those duplicates from
 * the manifest and the registry, retired ones already left out; the model itself is ignored.
 */
export function duplicateWindowGate(model: GateSubject, twins: readonly WindowTwin[], severity: 'block' | 'warn' = 'block'): GateResult {
  const window = `${model.entry.training_start} → ${model.entry.training_end}`;
  const others = [...new Map(twins.filter((t) => t.model_id !== model.id).map((t) => [t.model_id, t])).values()].sort((a, b) => a.model_id.localeCompare(b.model_id));
  return {
    id: DUPLICATE_WINDOW_GATE,
    metric: 'training window',
    value: window,
    threshold: 'no other model with this window',
    passed: others.length === 0,
    builtin: true,
    severity,
    message:
      others.length === 0
        ? `no other model is trained on ${window}`
        : `${others.length} other model(s) with the same window, feature count and variant tags (${window}): ${others.map((o) => `${o.model_id} (${o.status ?? 'unknown status'})`).join(', ')}; promote the one that should serve and retrain on a new window rather than ship a duplicate`,
  };
}
