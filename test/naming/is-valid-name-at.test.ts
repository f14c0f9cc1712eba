import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatModelName, parseModelName } from '../../src/naming/index.js';
// Internal: the allocation-free shortcut lintNames takes for valid names.
import { isValidNameAt } from '../../src/naming/is-valid-name-at.js';
import { NEAR_MISS_SYSTEMS, nearMissName, validNameCase } from './arbitraries.js';

/** Runs the shortcut on `name` as lintNames would, for `system` and an extension of `extLength`. */
function fast(name: string, system: string, extLength: number, dir = ''): boolean {
  const path = dir + name;
  return isValidNameAt(path, dir.length + system.length + 1, path.length - extLength);
}

describe('isValidNameAt (lintNames fast path)', () => {
  it('accepts the product examples in place, also inside a longer path', () => {
    expect(fast('catboost_v9_33f_train20251102-20260108_20260208_144749.cbm', 'catboost_v9', 4)).toBe(true);
    expect(fast('catboost_v9_33f_q0.43_noveg_wt_train20251102-20260131_20260210_101010.cbm', 'catboost_v9', 4, 'models/v9/')).toBe(true);
  });

  it.each([
    ['catboost_v9_33f_train20251102-20260230_20260308_144749.cbm', 'not a calendar date'],
    ['catboost_v9_33f_train20260109-20260108_20260208_144749.cbm', 'start after end'],
    ['catboost_v9_33f_train20251102-20260209_20260208_144749.cbm', 'end after creation'],
    ['catboost_v9_33f_train20251102-20260108_20260208_240000.cbm', 'hour 24'],
    ['catboost_v9_033f_train20251102-20260108_20260208_144749.cbm', 'leading zero'],
    ['catboost_v9_9007199254740992f_train20251102-20260108_20260208_144749.cbm', 'unsafe integer'],
    ['catboost_v9_33f__train20251102-20260108_20260208_144749.cbm', 'empty variant'],
    ['catboost_v9_33f_Wt_train20251102-20260108_20260208_144749.cbm', 'upper-case variant'],
    ['catboost_v9_33features_20260201_011018.cbm', 'old format'],
  ])('leaves %s to the full rules (%s)', (name) => {
    expect(fast(name, 'catboost_v9', 4)).toBe(false);
  });

  it('accepts every valid name (so valid names never pay for the full analyzer)', () => {
    fc.assert(
      fc.property(validNameCase, ({ parts, at }) => {
        const { createdDate: _d, createdTime: _t, ...rest } = parts;
        const name = formatModelName({ ...rest, at });
        expect(fast(name, parts.system, parts.ext.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts nothing the full rules reject', () => {
    fc.assert(
      fc.property(nearMissName, (name) => {
        // As lintNames does: the longest prefixing id; ids with spaces never reach the shortcut.
        const system = [...NEAR_MISS_SYSTEMS].sort((a, b) => b.length - a.length).find((id) => name.startsWith(`${id}_`));
        if (system === undefined || /\s/.test(system)) return;
        const ext = /(\.tar\.gz|\.cbm)$/.exec(name)?.[1];
        if (ext === undefined || !fast(name, system, ext.length)) return;
        const parsed = parseModelName(name, NEAR_MISS_SYSTEMS);
        expect(parsed.ok && parsed.value.system === system && parsed.value.ext === ext).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
