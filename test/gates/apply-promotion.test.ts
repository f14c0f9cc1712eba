import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPromotion, promotedManifest } from '../../src/gates/apply-promotion.js';
import { parseManifest } from '../../src/manifest/load-manifest.js';
import type { Manifest } from '../../src/manifest/types.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';
import { changedLines } from '../helpers/line-diff.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const original = readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST), 'utf8');
const manifest = JSON.parse(original) as Manifest;
const edit = { to: RETRAIN, retireAs: 'deprecated' as const, day: '2026-02-12' };

describe('applyPromotion', () => {
  it('changes only the promotion values and inserts missing keys beside their siblings', () => {
    const out = applyPromotion(original, manifest, edit);
    const { removed, added } = changedLines(original, out);
    expect(removed.sort()).toEqual(['      "status": "deprecated",', '      "status": "production",', `  "production_model": "${PROD_ID}",`].sort());
    expect(added.sort()).toEqual(
      ['      "status": "production",', '      "status": "deprecated",', '      "production_end_date": "2026-02-12",', '      "production_since": "2026-02-12",', `  "production_model": "${RETRAIN}",`].sort(),
    );
    // The inserted keys sit right after the key they belong with.
    expect(out).toContain('"production_since": "2026-02-08",\n      "production_end_date": "2026-02-12",');
    expect(out).toContain('"status": "production",\n      "production_since": "2026-02-12",\n      "created_at": "2026-02-02T09:30:00Z"');
    // Number spelling (79.0), unknown fields, the trailing newline: untouched.
    expect(out).toContain('"high_edge_hit_rate_5plus": 79.0,');
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(promotedManifest(manifest, edit));
    expect(parseManifest(out, 'm.json').errors).toEqual([]);
  });

  it('keeps 4-space, tab, CRLF, BOM and no-trailing-newline files in their own style', () => {
    for (const [indent, eol, bom, tail] of [
      [4, '\n', '', '\n'],
      ['\t', '\n', '', ''],
      [2, '\r\n', '', '\r\n'],
      [2, '\n', '\ufeff', '\n'],
    ] as const) {
      const text = bom + JSON.stringify(manifest, null, indent).replace(/\n/g, eol) + tail;
      const out = applyPromotion(text, manifest, edit);
      const unit = typeof indent === 'number' ? ' '.repeat(indent) : indent;
      expect(out.startsWith(bom + '{' + eol + unit + '"production_model"')).toBe(true);
      expect(out).toContain(`${eol}${unit.repeat(3)}"production_end_date": "2026-02-12",${eol}`);
      expect(out.endsWith('}' + tail)).toBe(true);
      if (eol === '\r\n') expect(out.replace(/\r\n/g, '')).not.toContain('\n');
      expect(JSON.parse(out.replace(/^\ufeff/, ''))).toEqual(promotedManifest(manifest, edit));
    }
  });

  it('edits a one-line manifest without adding line breaks', () => {
    const text = JSON.stringify(manifest);
    const out = applyPromotion(text, manifest, edit);
    expect(out).not.toContain('\n');
    expect(JSON.parse(out)).toEqual(promotedManifest(manifest, edit));
  });

  it('clears an old production_end_date of a model promoted again and keeps unknown keys', () => {
    const m = structuredClone(manifest) as Manifest;
    m.models[RETRAIN].production_end_date = '2026-02-05';
    m.models[RETRAIN].owner = { team: 'ml', pager: ['a', 'b'] };
    m.registry_hint = 'keep me';
    const text = JSON.stringify(m, null, 2) + '\n';
    const out = applyPromotion(text, m, { ...edit, retireAs: 'active' });
    const next = JSON.parse(out);
    expect(next.models[RETRAIN].production_end_date).toBeNull();
    expect(next.models[RETRAIN].owner).toEqual({ team: 'ml', pager: ['a', 'b'] });
    expect(next.registry_hint).toBe('keep me');
    expect(next.models[PROD_ID].status).toBe('active');
    expect(Object.keys(next)).toEqual(Object.keys(m));
  });

  it('gives exactly the intended manifest for any formatting (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 4, '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom('active', 'deprecated', 'rolled_back', 'archived'),
        fc.constantFrom(RETRAIN, 'catboost_v9_2026_02'),
        fc.boolean(),
        (indent, eol, trailing, retireAs, to, dropSince) => {
          const m = structuredClone(manifest) as Manifest;
          if (dropSince) delete m.models[PROD_ID].production_since;
          const text = JSON.stringify(m, null, indent).replace(/\n/g, eol) + (trailing ? eol : '');
          const e = { to, retireAs, day: '2026-03-01' } as const;
          const out = applyPromotion(text, m, e);
          expect(JSON.parse(out)).toEqual(promotedManifest(m, e));
          expect(out.endsWith(trailing ? '}' + eol : '}')).toBe(true);
          expect(parseManifest(out, 'm.json').errors).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
