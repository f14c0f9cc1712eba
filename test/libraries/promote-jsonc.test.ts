import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPromotion, promotedManifest } from '../../src/gates/apply-promotion.js';
import type { Manifest } from '../../src/manifest/types.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';
import { changedLines } from '../helpers/line-diff.js';

// promote's manifest edit goes through jsonc-parser (modify + applyEdits); these pin what a
// reviewer sees: the 5-line diff, the file's own style, CRLF and a BOM.
const RETRAIN = 'catboost_v9_feb_02_retrain';
const original = readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST), 'utf8');
const manifest = JSON.parse(original) as Manifest;
const edit = { to: RETRAIN, retireAs: 'deprecated' as const, day: '2026-02-12' };

describe('promote edits the manifest text with jsonc-parser', () => {
  it('a CRLF manifest with a BOM: the same 5 added / 3 removed lines, all CRLF, BOM kept', () => {
    const text = '\uFEFF' + original.replace(/\n/g, '\r\n');
    const out = applyPromotion(text, manifest, edit);
    expect(out.startsWith('\uFEFF{\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const { removed, added } = changedLines(text, out, { keepEol: true });
    expect(removed).toHaveLength(3);
    expect(added).toEqual([
      `  "production_model": "${RETRAIN}",\r\n`,
      '      "status": "deprecated",\r\n',
      '      "production_end_date": "2026-02-12",\r\n',
      '      "status": "production",\r\n',
      '      "production_since": "2026-02-12",\r\n',
    ]);
    // The same edit as on the LF original, byte for byte once the line endings are matched.
    expect(out.slice(1).replace(/\r\n/g, '\n')).toBe(applyPromotion(original, manifest, edit));
  });

  it('keeps unusual spacing, escapes and number spellings outside the edited lines', () => {
    const text = original
      .replace('"model_type": "catboost"', '"model_type"  :  "cat\\u0062oost"')
      .replace('"high_edge_hit_rate_5plus": 79.0', '"high_edge_hit_rate_5plus": 7.90e1');
    expect(text).not.toBe(original);
    const m = JSON.parse(text) as Manifest;
    const out = applyPromotion(text, m, edit);
    expect(out).toContain('"model_type"  :  "cat\\u0062oost"');
    expect(out).toContain('"high_edge_hit_rate_5plus": 7.90e1');
    expect(changedLines(text, out, { keepEol: true }).added).toHaveLength(5);
    expect(JSON.parse(out)).toEqual(promotedManifest(m, edit));
  });

  it('inserts new keys in a 3-space file with 3-space steps, after their sibling', () => {
    const text = JSON.stringify(manifest, null, 3) + '\n';
    const out = applyPromotion(text, manifest, edit);
    expect(out).toContain(`"production_since": "2026-02-08",\n${' '.repeat(9)}"production_end_date": "2026-02-12",\n`);
    expect(out).toContain(`"status": "production",\n${' '.repeat(9)}"production_since": "2026-02-12",\n`);
    expect(changedLines(text, out, { keepEol: true }).added).toHaveLength(5);
  });

  it('a model with no production_end_date gets one after status when production_since is missing too', () => {
    const m = structuredClone(manifest);
    delete m.models[PROD_ID].production_since;
    const text = JSON.stringify(m, null, 2) + '\n';
    const out = applyPromotion(text, m, edit);
    expect(out).toContain('"status": "deprecated",\n      "production_end_date": "2026-02-12",\n');
  });
});
