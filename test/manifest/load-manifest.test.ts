import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/load-manifest.js';
import { exampleManifest, PROD_ID } from '../helpers/example.js';

const F = 'models/catboost_v9/manifest.json';
const check = (m: unknown) => parseManifest(JSON.stringify(m), F);

describe('parseManifest', () => {
  it('accepts the example manifest and keeps unknown fields', () => {
    const m = exampleManifest() as any;
    m.team_owner = 'ml-platform';
    m.models[PROD_ID].calibration = { method: 'isotonic' };
    const r = check(m);
    expect(r.errors).toEqual([]);
    expect((r.value as any).team_owner).toBe('ml-platform');
    expect((r.value as any).models[PROD_ID].calibration).toEqual({ method: 'isotonic' });
  });

  it('names file, line and column for truncated JSON', () => {
    const text = JSON.stringify(exampleManifest(), null, 2);
    const r = parseManifest(text.slice(0, 200), F);
    expect(r.value).toBeUndefined();
    expect(r.errors[0]).toMatch(/^models\/catboost_v9\/manifest\.json:\d+:\d+: invalid JSON/);
  });

  it('rejects a production_model that does not exist', () => {
    const m = exampleManifest();
    m.production_model = 'catboost_v9_nope';
    const r = check(m);
    expect(r.errors.join('\n')).toContain(`${F}: production_model: "catboost_v9_nope" is not a key of models`);
  });

  it('rejects two production models, naming both', () => {
    const m = exampleManifest();
    m.models.catboost_v9_2026_02.status = 'production';
    const r = check(m);
    expect(r.errors.join('\n')).toMatch(/2 models have status "production" \(catboost_v9_33features_20260201_011018, catboost_v9_2026_02\)/);
  });

  it('rejects production_model disagreeing with the production status', () => {
    const m = exampleManifest();
    m.production_model = 'catboost_v9_2026_02';
    const r = check(m);
    expect(r.errors.join('\n')).toContain('production_model: is "catboost_v9_2026_02" but the model with status "production" is');
  });

  it('rejects 2026-02-30 naming the JSON path', () => {
    const m = exampleManifest();
    m.models[PROD_ID].training_end = '2026-02-30';
    expect(check(m).errors).toEqual([
      `${F}: models.${PROD_ID}.training_end: not a calendar date "2026-02-30" (use YYYY-MM-DD, a day that exists)`,
    ]);
  });

  it('rejects a start after the end', () => {
    const m = exampleManifest();
    m.models[PROD_ID].training_start = '2026-01-09';
    expect(check(m).errors[0]).toBe(`${F}: models.${PROD_ID}.training_start: 2026-01-09 is after training_end 2026-01-08; fix the training window`);
  });

  it('rejects a bad sha256', () => {
    const m = exampleManifest();
    m.models[PROD_ID].sha256 = '5b3a187b1b6d';
    expect(check(m).errors[0]).toContain(`models.${PROD_ID}.sha256: "5b3a187b1b6d" does not match sha-256 of the artifact: 64 hex characters`);
  });

  it('rejects an unknown status listing the allowed ones', () => {
    const m = exampleManifest() as any;
    m.models.catboost_v9_2026_02.status = 'retired';
    expect(check(m).errors[0]).toContain('models.catboost_v9_2026_02.status: "retired" is not one of "production", "active"');
  });

  it('rejects a missing required key and wrong types', () => {
    const m = exampleManifest() as any;
    delete m.models[PROD_ID].training_start;
    m.models[PROD_ID].feature_count = '33';
    const errors = check(m).errors;
    expect(errors).toContain(`${F}: models.${PROD_ID}.training_start: required key is missing`);
    expect(errors).toContain(`${F}: models.${PROD_ID}.feature_count: expected integer or null, got string "33"`);
  });

  it('accepts leap days and a BOM', () => {
    const m = exampleManifest();
    m.models[PROD_ID].training_start = '2024-02-29';
    expect(parseManifest('\uFEFF' + JSON.stringify(m), F).errors).toEqual([]);
    m.models[PROD_ID].training_start = '2025-02-29';
    expect(check(m).errors[0]).toContain('not a calendar date "2025-02-29"');
  });
});
