import { describe, expect, it } from 'vitest';
import { productionAt } from '../../src/gates/production-at.js';
import type { HistoryEvent } from '../../src/ports.js';
import { exampleManifest, PROD_ID } from '../helpers/example.js';

const promotion = (id: string, at: string, from: string | null, to: string, system = 'catboost_v9'): HistoryEvent => ({
  event_id: id,
  event_type: 'promote',
  system_id: system,
  model_id: to,
  field: null,
  old_value: from,
  new_value: to,
  changed_at: at,
  changed_by: 'a@b',
  git_commit: null,
  details_json: JSON.stringify({ from, to, forced: false, reason: null }),
});

const manifest = exampleManifest();
manifest.models[PROD_ID].production_end_date = '2026-02-12';
manifest.models.catboost_v9_2026_02.production_since = '2026-02-12';
const events = [promotion('e1', '2026-02-12T15:00:00.000Z', PROD_ID, 'catboost_v9_2026_02'), promotion('e2', '2026-02-20T08:00:00Z', 'catboost_v9_2026_02', 'catboost_v9_feb_02_retrain')];

describe('productionAt', () => {
  it('answers from the promotion events on and after the first promotion day', () => {
    expect(productionAt('catboost_v9', '2026-02-12', events, manifest)).toMatchObject({ model: 'catboost_v9_2026_02', source: 'history', since: '2026-02-12', until: '2026-02-20' });
    expect(productionAt('catboost_v9', '2026-02-19', events, manifest)).toMatchObject({ model: 'catboost_v9_2026_02', source: 'history' });
    expect(productionAt('catboost_v9', '2027-01-01', [...events].reverse(), manifest)).toMatchObject({ model: 'catboost_v9_feb_02_retrain', source: 'history', until: null });
  });

  it('answers days before any recorded promotion from the manifest periods', () => {
    expect(productionAt('catboost_v9', '2026-02-09', events, manifest)).toMatchObject({ model: PROD_ID, source: 'manifest', since: '2026-02-08', until: '2026-02-12' });
    expect(productionAt('catboost_v9', '2026-02-08', events, manifest)).toMatchObject({ model: PROD_ID, source: 'manifest' });
    expect(productionAt('catboost_v9', '2026-02-07', events, manifest)).toMatchObject({ model: null, source: null });
  });

  it('uses the manifest alone when nothing was promoted with modelgov, and ignores other systems', () => {
    const other = [promotion('x', '2026-01-01T00:00:00Z', null, 'xgb_1', 'xgb_v2')];
    expect(productionAt('catboost_v9', '2026-02-13', other, manifest)).toMatchObject({ model: 'catboost_v9_2026_02', source: 'manifest' });
  });

  it('takes the latest production_since whose period has not ended', () => {
    const m = exampleManifest();
    m.models.catboost_v9_feb_02_retrain.production_since = '2026-01-01';
    m.models.catboost_v9_feb_02_retrain.production_end_date = '2026-02-08';
    expect(productionAt('catboost_v9', '2026-01-15', [], m).model).toBe('catboost_v9_feb_02_retrain');
    expect(productionAt('catboost_v9', '2026-02-08', [], m).model).toBe(PROD_ID);
  });

  it('falls back to old_value / new_value when details_json is unreadable', () => {
    const e = { ...promotion('e', '2026-02-12T00:00:00Z', PROD_ID, 'catboost_v9_2026_02'), details_json: '{broken' };
    expect(productionAt('catboost_v9', '2026-02-12', [e], manifest).model).toBe('catboost_v9_2026_02');
  });
});
