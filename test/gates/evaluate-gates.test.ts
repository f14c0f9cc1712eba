import { describe, expect, it } from 'vitest';
import type { GateConfig } from '../../src/config/types.js';
import { describeThreshold, duplicateWindowGate, evaluateGates, type GateSubject } from '../../src/gates/evaluate-gates.js';
import type { ModelEntry } from '../../src/manifest/types.js';
import { exampleManifest, PROD_ID } from '../helpers/example.js';

const manifest = exampleManifest();
const subject = (id: string): GateSubject => ({ id, entry: manifest.models[id] });
const PROD = subject(PROD_ID);
const RETRAIN = subject('catboost_v9_feb_02_retrain');
const NO_METRICS = subject('catboost_v9_2026_02');

/** The team's five metric gates, as in examples/catboost-v9/modelgov.config.json. */
const TEAM_GATES: GateConfig[] = [
  { id: 'vegas-bias', metric: 'vegas_bias', abs_max: 1.5 },
  { id: 'hit-rate-3plus', metric: 'high_edge_hit_rate_3plus', min: 60 },
  { id: 'sample-size', metric: 'graded_edge_3plus', min: 50 },
  { id: 'tier-bias', metric: 'tier_bias_max', abs_max: 5 },
  { id: 'mae-vs-baseline', metric: 'mae', better_than: 'production', direction: 'lower' },
];

const withEval = (evaluation: ModelEntry['evaluation'], id = 'candidate'): GateSubject => ({
  id,
  entry: { gcs_path: 'x.cbm', training_start: '2025-11-02', training_end: '2026-02-01', status: 'untested', evaluation },
});
const byId = (results: { id: string; passed: boolean }[]) => Object.fromEntries(results.map((r) => [r.id, r.passed]));

describe('evaluateGates', () => {
  it('fails the Feb-2 retrain on vegas bias, hit rate and tier bias, and passes its MAE', () => {
    const results = evaluateGates(RETRAIN, PROD, TEAM_GATES, { system: 'catboost_v9' });
    expect(byId(results)).toEqual({ 'vegas-bias': false, 'hit-rate-3plus': false, 'sample-size': true, 'tier-bias': false, 'mae-vs-baseline': true });
    const bias = results.find((r) => r.id === 'vegas-bias')!;
    expect(bias).toMatchObject({ metric: 'vegas_bias', value: -2.26, threshold: '|x| <= 1.5' });
    expect(bias.message).toContain('-2.26 is outside ±1.5');
    const hit = results.find((r) => r.id === 'hit-rate-3plus')!;
    expect(hit.message).toContain('51.2 is below the minimum 60');
    expect(results.find((r) => r.id === 'mae-vs-baseline')!.threshold).toBe('< 4.82 (production)');
  });

  it('passes the production model on every gate (better_than against itself passes and says so)', () => {
    const results = evaluateGates(PROD, PROD, TEAM_GATES, { system: 'catboost_v9' });
    expect(results.every((r) => r.passed)).toBe(true);
    expect(results.find((r) => r.id === 'mae-vs-baseline')!.message).toContain('baseline itself');
  });

  it('turns a model without an evaluation into failed gates that say "missing", never a crash', () => {
    const results = evaluateGates(NO_METRICS, PROD, TEAM_GATES, { system: 'catboost_v9' });
    expect(results).toHaveLength(TEAM_GATES.length);
    for (const r of results) {
      expect(r.passed).toBe(false);
      expect(r.value).toBeNull();
      expect(r.message).toMatch(/missing/);
      expect(r.message).toContain(`models.catboost_v9_2026_02.evaluation.${r.metric}`);
    }
  });

  it('fails a non-numeric metric with a message, and a null metric as missing', () => {
    const [s, n] = evaluateGates(withEval({ vegas_bias: '0.2', mae: null }), PROD, [TEAM_GATES[0], TEAM_GATES[4]], { system: 'catboost_v9' });
    expect(s.passed).toBe(false);
    expect(s.message).toContain('not a number');
    expect(n.passed).toBe(false);
    expect(n.message).toContain('missing');
  });

  it('checks min, max and abs_max at their bounds (inclusive)', () => {
    const gates: GateConfig[] = [
      { id: 'min', metric: 'm', min: 60 },
      { id: 'max', metric: 'm', max: 60 },
      { id: 'abs', metric: 'b', abs_max: 1.5 },
      { id: 'abs-neg', metric: 'c', abs_max: 1.5 },
    ];
    expect(byId(evaluateGates(withEval({ m: 60, b: 1.5, c: -1.5 }), undefined, gates, { system: 's' }))).toEqual({ min: true, max: true, abs: true, 'abs-neg': true });
    expect(byId(evaluateGates(withEval({ m: 60.01, b: 1.51, c: -1.51 }), undefined, gates, { system: 's' }))).toEqual({ min: true, max: false, abs: false, 'abs-neg': false });
    expect(byId(evaluateGates(withEval({ m: 59.99, b: 0, c: 0 }), undefined, gates, { system: 's' }))).toEqual({ min: false, max: true, abs: true, 'abs-neg': true });
  });

  it('combines kinds on one gate: every bound must hold', () => {
    const gate: GateConfig = { id: 'band', metric: 'm', min: 1, max: 2 };
    expect(describeThreshold(gate)).toBe('>= 1 and <= 2');
    expect(evaluateGates(withEval({ m: 1.5 }), undefined, [gate], { system: 's' })[0].passed).toBe(true);
    expect(evaluateGates(withEval({ m: 3 }), undefined, [gate], { system: 's' })[0].message).toContain('above the maximum 2');
  });

  it('compares better_than in the configured direction, strictly (a tie is not better)', () => {
    const lower: GateConfig = { id: 'mae', metric: 'mae', better_than: 'production' };
    const higher: GateConfig = { id: 'hit', metric: 'high_edge_hit_rate_3plus', better_than: 'production', direction: 'higher' };
    expect(evaluateGates(withEval({ mae: 4.5 }), PROD, [lower], { system: 's' })[0].passed).toBe(true);
    expect(evaluateGates(withEval({ mae: 4.82 }), PROD, [lower], { system: 's' })[0].passed).toBe(false);
    const worse = evaluateGates(withEval({ mae: 5.1 }), PROD, [lower], { system: 's' })[0];
    expect(worse.passed).toBe(false);
    expect(worse.message).toContain(`not lower than the production model's 4.82 (${PROD_ID})`);
    expect(evaluateGates(withEval({ high_edge_hit_rate_3plus: 72 }), PROD, [higher], { system: 's' })[0]).toMatchObject({ passed: true, threshold: '> 71.2 (production)' });
    expect(evaluateGates(withEval({ high_edge_hit_rate_3plus: 70 }), PROD, [higher], { system: 's' })[0].passed).toBe(false);
  });

  it('passes better_than when there is no baseline, and says why', () => {
    const gate: GateConfig = { id: 'mae', metric: 'mae', better_than: 'production' };
    const none = evaluateGates(withEval({ mae: 9 }), undefined, [gate], { system: 's' })[0];
    expect(none).toMatchObject({ passed: true });
    expect(none.message).toContain('no production model');
    const noMetric = evaluateGates(withEval({ mae: 9 }), NO_METRICS, [gate], { system: 's' })[0];
    expect(noMetric.passed).toBe(true);
    expect(noMetric.message).toContain('no baseline');
  });

  it('fails a gate whose min_sample is not met or missing', () => {
    const gate: GateConfig = { id: 'hit', metric: 'high_edge_hit_rate_3plus', min: 60, min_sample: { metric: 'graded_edge_3plus', value: 50 } };
    expect(describeThreshold(gate)).toBe('>= 60 with graded_edge_3plus >= 50');
    expect(evaluateGates(withEval({ high_edge_hit_rate_3plus: 75, graded_edge_3plus: 50 }), undefined, [gate], { system: 's' })[0].passed).toBe(true);
    const small = evaluateGates(withEval({ high_edge_hit_rate_3plus: 75, graded_edge_3plus: 12 }), undefined, [gate], { system: 's' })[0];
    expect(small.passed).toBe(false);
    expect(small.message).toContain('only 12 graded_edge_3plus');
    const absent = evaluateGates(withEval({ high_edge_hit_rate_3plus: 75 }), undefined, [gate], { system: 's' })[0];
    expect(absent.passed).toBe(false);
    expect(absent.message).toContain('graded_edge_3plus is missing');
  });

  it('applies a gate only to its systems', () => {
    const gates: GateConfig[] = [
      { id: 'all', metric: 'm', min: 0 },
      { id: 'other', metric: 'm', min: 0, systems: ['xgb_v2'] },
      { id: 'mine', metric: 'm', min: 0, systems: ['catboost_v9', 'xgb_v2'] },
    ];
    expect(evaluateGates(withEval({ m: 1 }), undefined, gates, { system: 'catboost_v9' }).map((r) => r.id)).toEqual(['all', 'mine']);
  });
});

describe('duplicateWindowGate', () => {
  it('fails listing every other model with the window, ignoring the model itself', () => {
    const r = duplicateWindowGate(RETRAIN, [
      { model_id: 'catboost_v9_feb_02_retrain', status: 'deprecated' },
      { model_id: 'catboost_v9_2026_02', status: 'untested' },
      { model_id: 'catboost_v9_2026_02', status: 'untested' },
      { model_id: 'a_registry_only_model', status: 'archived' },
    ]);
    expect(r).toMatchObject({ id: 'duplicate-window', passed: false, builtin: true, value: '2025-11-02 → 2026-01-31' });
    expect(r.message).toContain('2 other model(s)');
    expect(r.message).toContain('a_registry_only_model (archived), catboost_v9_2026_02 (untested)');
  });

  it('passes when only the model itself has the window', () => {
    expect(duplicateWindowGate(PROD, [{ model_id: PROD_ID, status: 'production' }]).passed).toBe(true);
  });
});
