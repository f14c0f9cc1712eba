import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SystemConfig } from '../../src/config/types.js';
import { formatModelName, lintNames, parseModelName } from '../../src/naming/index.js';
import { applyEdit, edit, NEAR_MISS_SYSTEMS, nearMissName, validNameCase } from './arbitraries.js';

describe('round trip (property)', () => {
  it('parse(format(x)) returns exactly x for every valid x', () => {
    fc.assert(
      fc.property(validNameCase, ({ parts, at, systemIds }) => {
        const { createdDate: _d, createdTime: _t, ...rest } = parts;
        expect(parseModelName(formatModelName({ ...rest, at }), systemIds)).toEqual({ ok: true, value: parts });
      }),
      { numRuns: 500 },
    );
  });

  it('format(parse(name)) gives back the same name', () => {
    fc.assert(
      fc.property(validNameCase, ({ parts, at, systemIds }) => {
        const { createdDate: _d, createdTime: _t, ...rest } = parts;
        const name = formatModelName({ ...rest, at });
        const parsed = parseModelName(name, systemIds);
        if (!parsed.ok) throw new Error(parsed.reason);
        const again = formatModelName({ ...parsed.value, at: new Date(`${parsed.value.createdDate}T${parsed.value.createdTime}Z`) });
        expect(again).toBe(name);
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts a variant outside [a-z0-9.]+', () => {
    fc.assert(
      fc.property(
        validNameCase,
        fc.stringMatching(/^[^_]{0,6}$/).filter((v) => !/^[a-z0-9.]+$/.test(v)),
        ({ parts, at, systemIds }, bad) => {
          const { createdDate: _d, createdTime: _t, ...rest } = parts;
          const name = formatModelName({ ...rest, variants: [], at }).replace('f_train', () => `f_${bad}_train`);
          expect(parseModelName(name, systemIds).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lintNames passes a name exactly when parseModelName accepts it with a configured extension (fast path = full rules)', () => {
    fc.assert(
      fc.property(validNameCase, fc.array(edit, { maxLength: 2 }), ({ parts, at, systemIds }, edits) => {
        const { createdDate: _d, createdTime: _t, ...rest } = parts;
        const name = edits.reduce(applyEdit, formatModelName({ ...rest, ext: '.cbm', at }));
        const extensions = ['.cbm', '.tar.gz'];
        const systems: SystemConfig[] = systemIds.map((id) => ({ id, manifest: 'm.json', artifacts: { extensions } }));
        const result = lintNames([`models/${name}`], { systems, manifests: new Map() });
        if (name.includes('/') || !/\.(cbm|tar\.gz)$/i.test(name)) return; // not a model file basename
        expect(result.checked).toBe(1);
        const parsed = parseModelName(name, systemIds);
        const shouldPass = parsed.ok && extensions.includes(parsed.value.ext);
        expect(result.violations.length === 0).toBe(shouldPass);
      }),
      { numRuns: 2000 },
    );
  });

  const NEAR_MISS_EXTENSIONS = ['.cbm', '.tar.gz'];
  const nearMissCtx = {
    systems: NEAR_MISS_SYSTEMS.map((id): SystemConfig => ({ id, manifest: 'm.json', artifacts: { extensions: NEAR_MISS_EXTENSIONS } })),
    manifests: new Map(),
  };
  const fullRulesPass = (name: string): boolean => {
    const parsed = parseModelName(name, NEAR_MISS_SYSTEMS);
    return parsed.ok && NEAR_MISS_EXTENSIONS.includes(parsed.value.ext);
  };

  it('near-miss names land on both sides of the rules often (so the agreement below means something)', () => {
    const names = fc.sample(nearMissName, { numRuns: 2000, seed: 42 });
    const passing = names.filter(fullRulesPass).length;
    expect(passing).toBeGreaterThan(200);
    expect(passing).toBeLessThan(1800);
  });

  it('lintNames and parseModelName agree on near-miss names at every boundary (fast path = full rules)', () => {
    fc.assert(
      fc.property(nearMissName, (name) => {
        const result = lintNames([name], nearMissCtx);
        if (result.ignored === 1) return;
        expect(result.violations.length === 0).toBe(fullRulesPass(name));
      }),
      { numRuns: 5000 },
    );
  });
});
