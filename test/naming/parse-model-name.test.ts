import { describe, expect, it } from 'vitest';
import { MODEL_NAME_CONVENTION, parseModelName, type ParsedModelName } from '../../src/naming/index.js';

const IDS = ['catboost_v9'];

/** Parses and fails the test with the reason when the name is rejected. */
function ok(name: string, ids: string[] = IDS): ParsedModelName {
  const r = parseModelName(name, ids);
  if (!r.ok) throw new Error(`expected ${name} to parse, got: ${r.reason}`);
  return r.value;
}

/** Parses and returns the reason; fails the test when the name is accepted. */
function reason(name: string, ids: string[] = IDS): string {
  const r = parseModelName(name, ids);
  if (r.ok) throw new Error(`expected ${name} to be rejected, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

describe('parseModelName: the conventional name', () => {
  it('takes apart the product example without variants', () => {
    expect(ok('catboost_v9_33f_train20251102-20260108_20260208_144749.cbm')).toEqual({
      system: 'catboost_v9',
      features: 33,
      variants: [],
      trainStart: '2025-11-02',
      trainEnd: '2026-01-08',
      createdDate: '2026-02-08',
      createdTime: '14:47:49',
      ext: '.cbm',
    });
  });

  it('takes apart the product example with a quantile variant (a variant with a dot before the extension dot)', () => {
    expect(ok('catboost_v9_33f_q0.43_train20251102-20260131_20260210_101010.cbm')).toEqual({
      system: 'catboost_v9',
      features: 33,
      variants: ['q0.43'],
      trainStart: '2025-11-02',
      trainEnd: '2026-01-31',
      createdDate: '2026-02-10',
      createdTime: '10:10:10',
      ext: '.cbm',
    });
  });

  it.each([
    [['q0.43']],
    [['noveg']],
    [['resid']],
    [['2stg']],
    [['wt']],
    [['q0.43', 'noveg', 'wt']],
    [['resid', '2stg']],
    [['q0.5', 'q0.43']],
    [['0.5.1']],
  ])('reads variants %j in name order', (variants) => {
    const name = `catboost_v9_33f_${variants.join('_')}_train20251102-20260131_20260210_101010.cbm`;
    expect(ok(name).variants).toEqual(variants);
  });

  it('accepts a variant that looks like the train tag, since only `_train{8}-` ends the variants', () => {
    expect(ok('catboost_v9_33f_train2025_train20251102-20260131_20260210_101010.cbm').variants).toEqual(['train2025']);
  });

  it('matches system ids with underscores, longest configured id first', () => {
    const ids = ['catboost', 'catboost_v9'];
    expect(ok('catboost_v9_33f_train20251102-20260108_20260208_144749.cbm', ids).system).toBe('catboost_v9');
    expect(ok('catboost_v9_33f_train20251102-20260108_20260208_144749.cbm', [...ids].reverse()).system).toBe('catboost_v9');
    const short = ok('catboost_9f_train20251102-20260108_20260208_144749.cbm', ids);
    expect(short.system).toBe('catboost');
    expect(short.features).toBe(9);
  });

  it('treats system ids literally, regex metacharacters included', () => {
    expect(ok('lgb.v1+(x)_5f_train20250101-20250102_20250103_000000.txt', ['lgb.v1+(x)']).system).toBe('lgb.v1+(x)');
    expect(reason('lgbXv1+(x)_5f_train20250101-20250102_20250103_000000.txt', ['lgb.v1+(x)'])).toMatch(/^unknown system/);
  });

  it('keeps everything after the time as the extension, including multi-part and none', () => {
    expect(ok('catboost_v9_33f_train20251102-20260108_20260208_144749.tar.gz').ext).toBe('.tar.gz');
    expect(ok('catboost_v9_33f_train20251102-20260108_20260208_144749').ext).toBe('');
  });

  it('accepts boundary values: leap day, start = end = creation date, midnight and 23:59:59', () => {
    const p = ok('catboost_v9_1f_train20240229-20240229_20240229_000000.cbm');
    expect([p.features, p.trainStart, p.trainEnd, p.createdDate, p.createdTime]).toEqual([
      1,
      '2024-02-29',
      '2024-02-29',
      '2024-02-29',
      '00:00:00',
    ]);
    expect(ok('catboost_v9_1f_train20000229-20000301_20000301_235959.cbm').createdTime).toBe('23:59:59');
  });

  it('does not confuse one system list with the previous one (compiled parser is cached per list)', () => {
    const name = 'catboost_v9_33f_train20251102-20260108_20260208_144749.cbm';
    expect(parseModelName(name, ['xgb']).ok).toBe(false);
    expect(parseModelName(name, IDS).ok).toBe(true);
    expect(parseModelName(name, ['xgb']).ok).toBe(false);
  });
});

describe('parseModelName: rules', () => {
  it.each([
    ['training end 2026-02-30', 'catboost_v9_33f_train20251102-20260230_20260308_144749.cbm', 'training end "2026-02-30"'],
    ['training start 2025-02-29 (not a leap year)', 'catboost_v9_33f_train20250229-20260108_20260208_144749.cbm', 'training start "2025-02-29"'],
    ['creation date in month 13', 'catboost_v9_33f_train20251102-20260108_20261301_144749.cbm', 'creation date "2026-13-01"'],
    ['day 00', 'catboost_v9_33f_train20251100-20260108_20260208_144749.cbm', 'training start "2025-11-00"'],
    ['1900-02-29 (century, not leap)', 'catboost_v9_33f_train19000229-20260108_20260208_144749.cbm', 'training start "1900-02-29"'],
    ['year 0000', 'catboost_v9_33f_train00000101-20260108_20260208_144749.cbm', 'training start "0000-01-01"'],
  ])('rejects a date that is not on the calendar: %s', (_what, name, quoted) => {
    const r = reason(name);
    expect(r).toMatch(/^not a calendar date: /);
    expect(r).toContain(quoted);
  });

  it.each([
    ['240000', '24:00:00'],
    ['236000', '23:60:00'],
    ['235960', '23:59:60'],
    ['999999', '99:99:99'],
  ])('rejects creation time %s', (hhmmss, shown) => {
    const r = reason(`catboost_v9_33f_train20251102-20260108_20260208_${hhmmss}.cbm`);
    expect(r).toMatch(/^not a real time: /);
    expect(r).toContain(`"${shown}"`);
  });

  it('rejects a training start after the training end, quoting both', () => {
    expect(reason('catboost_v9_33f_train20260109-20260108_20260208_144749.cbm')).toMatch(
      /^start after end: training start 2026-01-09 is after training end 2026-01-08\. Fix: /,
    );
  });

  it('rejects a training end after the creation date, quoting both', () => {
    expect(reason('catboost_v9_33f_train20251102-20260209_20260208_144749.cbm')).toMatch(
      /^end after creation: training end 2026-02-09 is after creation date 2026-02-08\. Fix: /,
    );
  });

  it('reports every problem of one name, not just the first', () => {
    const r = reason('catboost_v9_033f_Q1_train20260102-20260101_20260208_256060.cbm');
    expect(r).toContain('bad features: "033f" has a leading zero');
    expect(r).toContain('bad variant "Q1"');
    expect(r).toContain('not a real time: creation time "25:60:60"');
    expect(r).toContain('start after end: training start 2026-01-02 is after training end 2026-01-01');
  });

  it.each([
    ['upper case', 'Q0.43'],
    ['hyphen', 'no-veg'],
    ['empty', ''],
    ['non-ASCII letter', 'ü'],
  ])('rejects a variant with %s', (_what, variant) => {
    const r = reason(`catboost_v9_33f_${variant}_train20251102-20260131_20260210_101010.cbm`);
    expect(r).toContain(`bad variant "${variant}"`);
    expect(r).toContain('[a-z0-9.]+');
  });

  it.each([
    ['0f', 'bad features: 0 is not a positive integer'],
    ['007f', 'bad features: "007f" has a leading zero'],
    ['99999999999999999999f', 'bad features: 100000000000000000000 is not a positive integer'],
  ])('rejects feature count %s', (features, expected) => {
    expect(reason(`catboost_v9_${features}_train20251102-20260131_20260210_101010.cbm`)).toContain(expected);
  });

  it('rejects a malformed extension', () => {
    expect(reason('catboost_v9_33f_train20251102-20260108_20260208_144749.')).toMatch(/^bad extension "\."/);
    expect(reason('catboost_v9_33f_train20251102-20260108_20260208_144749.c b')).toMatch(/^bad extension "\.c b"/);
  });

  it('rejects a conventional shape whose prefix is not a configured system, naming the prefix', () => {
    const r = reason('catboost_v8_33f_train20251102-20260108_20260208_144749.cbm');
    expect(r).toMatch(/^unknown system "catboost_v8": the prefix is not a configured system \(configured: catboost_v9\)/);
    expect(r).toContain('add its system to modelgov.config.json');
  });

  it('calls it an unknown system, not an old format, when only a shorter configured id is a prefix', () => {
    expect(reason('catboost_v8_33f_train20251102-20260108_20260208_144749.cbm', ['catboost'])).toMatch(
      /^unknown system "catboost_v8"/,
    );
  });

  it.each([
    'catboost_v9_33features_20260201_011018.cbm',
    'catboost_v9_feb_02_retrain.cbm',
    'catboost_v9.cbm',
    'catboost_v9_33f_train2025-11-02-2026-01-08_20260208_144749.cbm',
    'catboost_v9_33f_train20251102-20260108_20260208_1447.cbm',
  ])('rejects old-format name %s with "old format" and the legacy escape hatch', (name) => {
    const r = reason(name);
    expect(r).toMatch(/^old format: the name does not follow \{system\}_\{features\}f/);
    expect(r).toContain(`add "${name}" to artifacts.legacy of catboost_v9`);
    expect(r).toContain('modelgov name --system catboost_v9');
  });

  it('rejects a name that does not start with any configured system', () => {
    expect(reason('model.cbm')).toBe(
      'unknown system: the name does not start with a configured system id (configured: catboost_v9). ' +
        'Fix: rename it to start with a configured system id (catboost_v9), or add its system to modelgov.config.json',
    );
  });

  it('publishes the convention it enforces', () => {
    expect(MODEL_NAME_CONVENTION).toBe(
      '{system}_{features}f{_variant…}_train{YYYYMMDD}-{YYYYMMDD}_{YYYYMMDD}_{HHMMSS}{ext}',
    );
  });
});
