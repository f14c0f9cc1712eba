import { describe, expect, it } from 'vitest';
import { ModelgovError } from '../../src/errors.js';
import { formatModelName, parseModelName, type ModelNameInput } from '../../src/naming/index.js';

const BASE: ModelNameInput = {
  system: 'catboost_v9',
  features: 33,
  trainStart: '2025-11-02',
  trainEnd: '2026-01-08',
  at: new Date('2026-02-08T14:47:49Z'),
  ext: '.cbm',
};

/** Calls formatModelName expecting a USAGE error; returns it. */
function usageError(input: Partial<ModelNameInput> & Record<string, unknown>): ModelgovError {
  try {
    formatModelName({ ...BASE, ...input } as ModelNameInput);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelgovError);
    const err = e as ModelgovError;
    expect(err.code).toBe('USAGE');
    expect(err.fix).toMatch(/^(pass|the) /);
    return err;
  }
  throw new Error(`expected formatModelName(${JSON.stringify(input)}) to throw`);
}

describe('formatModelName', () => {
  it('writes the product examples', () => {
    expect(formatModelName(BASE)).toBe('catboost_v9_33f_train20251102-20260108_20260208_144749.cbm');
    expect(
      formatModelName({
        ...BASE,
        variants: ['q0.43'],
        trainEnd: '2026-01-31',
        at: new Date('2026-02-10T10:10:10Z'),
      }),
    ).toBe('catboost_v9_33f_q0.43_train20251102-20260131_20260210_101010.cbm');
  });

  it('writes variants in the given order', () => {
    expect(formatModelName({ ...BASE, variants: ['q0.43', 'noveg', 'wt'] })).toBe(
      'catboost_v9_33f_q0.43_noveg_wt_train20251102-20260108_20260208_144749.cbm',
    );
    expect(formatModelName({ ...BASE, variants: ['resid', '2stg'] })).toBe(
      'catboost_v9_33f_resid_2stg_train20251102-20260108_20260208_144749.cbm',
    );
  });

  it('renders `at` in UTC whatever offset it was built from, dropping milliseconds', () => {
    // 03:10:10.999 at +05:00 is 22:10:10 the previous day in UTC.
    expect(formatModelName({ ...BASE, at: new Date('2026-02-10T03:10:10.999+05:00') })).toBe(
      'catboost_v9_33f_train20251102-20260108_20260209_221010.cbm',
    );
  });

  it('pads small years, months, days and times to fixed width', () => {
    const at = new Date(0);
    at.setUTCFullYear(999, 0, 2);
    at.setUTCHours(3, 4, 5, 0);
    expect(formatModelName({ ...BASE, features: 1, trainStart: '0999-01-01', trainEnd: '0999-01-02', at })).toBe(
      'catboost_v9_1f_train09990101-09990102_09990102_030405.cbm',
    );
  });

  it('writes other extensions, multi-part ones, and a bare id with an empty extension', () => {
    expect(formatModelName({ ...BASE, ext: '.tar.gz' })).toMatch(/_144749\.tar\.gz$/);
    expect(formatModelName({ ...BASE, ext: '' })).toBe('catboost_v9_33f_train20251102-20260108_20260208_144749');
  });

  it('accepts start = end = creation date', () => {
    expect(
      formatModelName({ ...BASE, trainStart: '2026-02-08', trainEnd: '2026-02-08', at: new Date('2026-02-08T00:00:00Z') }),
    ).toBe('catboost_v9_33f_train20260208-20260208_20260208_000000.cbm');
  });

  it.each([
    [{ trainEnd: '2026-02-30' }, 'not a calendar date: training end "2026-02-30"'],
    [{ trainStart: '2025-02-29' }, 'not a calendar date: training start "2025-02-29"'],
    [{ trainStart: '20251102' }, 'not a calendar date: training start "20251102"'],
    [{ trainStart: '2025-1-2' }, 'not a calendar date: training start "2025-1-2"'],
    [{ trainStart: '2026-01-09' }, 'start after end: training start 2026-01-09 is after training end 2026-01-08'],
    [{ at: new Date('2026-01-07T23:59:59Z') }, 'end after creation: training end 2026-01-08 is after creation date 2026-01-07'],
    [{ at: new Date('nope') }, 'not a calendar date: creation time is an invalid Date'],
    [{ variants: ['Q0.43'] }, 'bad variant "Q0.43"'],
    [{ variants: ['no_veg'] }, 'bad variant "no_veg"'],
    [{ variants: ['no-veg'] }, 'bad variant "no-veg"'],
    [{ variants: [''] }, 'bad variant ""'],
    [{ features: 0 }, 'bad features: 0 is not a positive integer'],
    [{ features: -3 }, 'bad features: -3 is not a positive integer'],
    [{ features: 1.5 }, 'bad features: 1.5 is not a positive integer'],
    [{ features: Number.NaN }, 'bad features: NaN is not a positive integer'],
    [{ features: 2 ** 53 }, 'bad features: 9007199254740992 is not a positive integer'],
    [{ ext: 'cbm' }, 'bad extension "cbm"'],
    [{ ext: '.c_b' }, 'bad extension ".c_b"'],
    [{ system: '' }, 'bad system ""'],
    [{ system: 'models/catboost' }, 'bad system "models/catboost"'],
  ])('throws USAGE for %j', (input, problem) => {
    const err = usageError(input);
    expect(err.message).toContain('cannot build a model file name: ');
    expect(err.message).toContain(problem);
    // One problem is said once: in the message, not again as a detail line.
    expect(err.details).toEqual([]);
    expect(err.fix).not.toContain(';');
  });

  it('fixes the rule that was broken, not every rule', () => {
    const err = usageError({ variants: ['no_veg'] });
    expect(err.fix).toContain('--variant');
    expect(err.fix).not.toContain('--features');
    expect(err.fix).not.toContain('--train-start');
  });

  it('lists every problem at once', () => {
    const err = usageError({ features: 0, variants: ['Q'], trainStart: '2025-11-32', at: new Date('2026-01-07T00:00:00Z') });
    expect(err.details).toEqual([
      'bad features: 0 is not a positive integer',
      'bad variant "Q": a variant is one or more lowercase letters, digits and dots ([a-z0-9.]+)',
      'not a calendar date: training start "2025-11-32" (YYYY-MM-DD)',
      'end after creation: training end 2026-01-08 is after creation date 2026-01-07',
    ]);
  });

  it('does not let a later change to the variants array affect a result already checked', () => {
    const variants = ['wt'];
    const name = formatModelName({ ...BASE, variants });
    variants.push('BAD');
    expect(name).toBe('catboost_v9_33f_wt_train20251102-20260108_20260208_144749.cbm');
  });

  it('round-trips through parseModelName', () => {
    const input = { ...BASE, variants: ['q0.43', 'noveg', 'wt'], at: new Date('2026-02-10T10:10:10Z') };
    const parsed = parseModelName(formatModelName(input), ['catboost', 'catboost_v9']);
    expect(parsed).toEqual({
      ok: true,
      value: {
        system: 'catboost_v9',
        features: 33,
        variants: ['q0.43', 'noveg', 'wt'],
        trainStart: '2025-11-02',
        trainEnd: '2026-01-08',
        createdDate: '2026-02-10',
        createdTime: '10:10:10',
        ext: '.cbm',
      },
    });
  });
});
