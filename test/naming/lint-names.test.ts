import { describe, expect, it } from 'vitest';
import type { SystemConfig } from '../../src/config/types.js';
import type { Manifest, ModelEntry } from '../../src/manifest/types.js';
import { lintNames, type NameViolation, type NamingContext } from '../../src/naming/index.js';

const OLD_ID = 'catboost_v9_33features_20260201_011018';
const OLD_FILE = `${OLD_ID}.cbm`;
const GOOD = 'catboost_v9_33f_train20251102-20260108_20260208_144749.cbm';
const GOOD_Q = 'catboost_v9_33f_q0.43_train20251102-20260131_20260210_101010.cbm';

function entry(fields: Partial<ModelEntry> & { gcs_path: string }): ModelEntry {
  return { feature_count: 33, training_start: '2025-11-02', training_end: '2026-01-08', status: 'active', ...fields };
}

function manifest(models: Record<string, ModelEntry>): Manifest {
  return { production_model: Object.keys(models)[0] ?? '', models };
}

/** The product's example manifest: the production model still has its old name. */
const V9_MANIFEST = manifest({
  [OLD_ID]: entry({ gcs_path: `gs://nba-props-platform-models/catboost/v9/${OLD_FILE}`, status: 'production' }),
});

function ctx(opts: { systems?: SystemConfig[]; manifests?: Record<string, Manifest> } = {}): NamingContext {
  return {
    systems: opts.systems ?? [{ id: 'catboost_v9', manifest: 'models/catboost_v9/manifest.json' }],
    manifests: new Map(Object.entries(opts.manifests ?? {})),
  };
}

/** Lints one path and returns its single violation (fails the test if it passes). */
function violation(path: string, context: NamingContext): NameViolation {
  const r = lintNames([path], context);
  expect(r.checked).toBe(1);
  expect(r.violations).toHaveLength(1);
  expect(r.violations[0].path).toBe(path);
  expect(r.violations[0].reason).toContain('. Fix: ');
  return r.violations[0];
}

describe('lintNames: what is checked', () => {
  it('ignores paths whose extension no system configures and counts both kinds', () => {
    const r = lintNames(['README.md', 'src/train.py', 'models/x.cbm.bak', `models/${GOOD}`, 'a/b/model.cbm'], ctx());
    expect(r.checked).toBe(2);
    expect(r.ignored).toBe(3);
    expect(r.violations.map((v) => v.path)).toEqual(['a/b/model.cbm']);
  });

  it('defaults to .cbm when a system configures no extensions', () => {
    const r = lintNames([GOOD, 'x.json'], ctx({ systems: [{ id: 'catboost_v9', manifest: 'm.json', artifacts: {} }] }));
    expect([r.checked, r.ignored]).toEqual([1, 1]);
  });

  it('checks the union of every system\'s extensions, longest match first, and tolerates a missing dot', () => {
    const systems: SystemConfig[] = [
      { id: 'catboost_v9', manifest: 'a.json', artifacts: { extensions: ['cbm'] } },
      { id: 'lgb', manifest: 'b.json', artifacts: { extensions: ['.tar.gz', '.gz'] } },
    ];
    const r = lintNames(
      [GOOD, 'lgb_10f_train20250101-20250102_20250103_000000.tar.gz', 'lgb_10f_train20250101-20250102_20250103_000000.gz', 'x.txt'],
      ctx({ systems }),
    );
    expect(r).toEqual({ checked: 3, ignored: 1, violations: [] });
  });

  it('checks an upper-case extension rather than letting it slip past, and names the right one', () => {
    const v = violation(`m/${GOOD.replace('.cbm', '.CBM')}`, ctx());
    expect(v.reason).toMatch(/^bad extension: "\.CBM" is not an extension of catboost_v9 \(artifacts\.extensions: \.cbm\)\. Fix: rename to /);
    expect(v.expected).toBe(GOOD);
  });

  it('judges the basename only, for / and \\ separators', () => {
    const r = lintNames([`catboost_v9_feb/${GOOD}`, `C:\\models\\${GOOD}`, 'catboost_v9_33f_train20251102-20260108_20260208_144749/x.cbm'], ctx());
    expect(r.checked).toBe(3);
    expect(r.violations.map((v) => v.path)).toEqual(['catboost_v9_33f_train20251102-20260108_20260208_144749/x.cbm']);
  });

  it('passes conventional names with and without variants', () => {
    const names = [
      GOOD,
      GOOD_Q,
      'catboost_v9_33f_noveg_train20251102-20260131_20260210_101010.cbm',
      'catboost_v9_33f_resid_train20251102-20260131_20260210_101010.cbm',
      'catboost_v9_33f_2stg_train20251102-20260131_20260210_101010.cbm',
      'catboost_v9_33f_wt_train20251102-20260131_20260210_101010.cbm',
      'catboost_v9_33f_q0.43_noveg_wt_train20251102-20260131_20260210_101010.cbm',
    ];
    expect(lintNames(names, ctx({ manifests: { catboost_v9: V9_MANIFEST } }))).toEqual({ checked: 7, ignored: 0, violations: [] });
  });

  it('passes names listed in artifacts.legacy as they are, counting them as checked', () => {
    const systems: SystemConfig[] = [
      { id: 'catboost_v9', manifest: 'm.json', artifacts: { extensions: ['.cbm'], legacy: [OLD_FILE, 'old/catboost_v9_feb_02_retrain.cbm'] } },
    ];
    const r = lintNames([`models/${OLD_FILE}`, 'catboost_v9_feb_02_retrain.cbm', 'catboost_v9_jan_retrain.cbm'], ctx({ systems, manifests: { catboost_v9: V9_MANIFEST } }));
    expect(r.checked).toBe(3);
    expect(r.violations.map((v) => v.path)).toEqual(['catboost_v9_jan_retrain.cbm']);
  });
});

describe('lintNames: old formats', () => {
  it('derives the correct name from the manifest entry found by id, with the stamp from the old name', () => {
    const v = violation(`models/${OLD_FILE}`, ctx({ manifests: { catboost_v9: V9_MANIFEST } }));
    expect(v.expected).toBe('catboost_v9_33f_train20251102-20260108_20260201_011018.cbm');
    expect(v.reason).toBe(
      'old format: the name does not follow {system}_{features}f{_variant…}_train{YYYYMMDD}-{YYYYMMDD}_{YYYYMMDD}_{HHMMSS}{ext}. ' +
        'Fix: rename to catboost_v9_33f_train20251102-20260108_20260201_011018.cbm, ' +
        `or add "${OLD_FILE}" to artifacts.legacy of catboost_v9 in modelgov.config.json to keep the old name`,
    );
  });

  it('finds the entry by gcs_path basename and takes the stamp from created_at (UTC)', () => {
    const m = manifest({
      'v9-feb-retrain': entry({
        gcs_path: 'gs://bucket/catboost/v9/catboost_v9_feb_02_retrain.cbm',
        training_end: '2026-01-31',
        created_at: '2026-02-02T08:30:05.123456+01:00',
      }),
    });
    const v = violation('catboost_v9_feb_02_retrain.cbm', ctx({ manifests: { catboost_v9: m } }));
    expect(v.reason).toMatch(/^old format: /);
    expect(v.expected).toBe('catboost_v9_33f_train20251102-20260131_20260202_073005.cbm');
  });

  it('ignores a created_at without a zone (not an instant) and falls back to the name\'s stamp', () => {
    const m = manifest({ [OLD_ID]: entry({ gcs_path: `gs://b/${OLD_FILE}`, created_at: '2026-02-03 04:05:06' }) });
    expect(violation(OLD_FILE, ctx({ manifests: { catboost_v9: m } })).expected).toBe(
      'catboost_v9_33f_train20251102-20260108_20260201_011018.cbm',
    );
  });

  it('falls back to the name\'s stamp when created_at is only a date', () => {
    const m = manifest({ [OLD_ID]: entry({ gcs_path: `gs://b/${OLD_FILE}`, created_at: '2026-02-03' }) });
    expect(violation(OLD_FILE, ctx({ manifests: { catboost_v9: m } })).expected).toBe(
      'catboost_v9_33f_train20251102-20260108_20260201_011018.cbm',
    );
  });

  it('takes the feature count from the old name when the entry has none', () => {
    const m = manifest({ [OLD_ID]: entry({ gcs_path: `gs://b/${OLD_FILE}`, feature_count: undefined }) });
    expect(violation(OLD_FILE, ctx({ manifests: { catboost_v9: m } })).expected).toBe(
      'catboost_v9_33f_train20251102-20260108_20260201_011018.cbm',
    );
  });

  it('omits expected when no creation timestamp is known, and names the command instead', () => {
    const m = manifest({ 'v9-feb': entry({ gcs_path: 'gs://b/catboost_v9_feb_02_retrain.cbm' }) });
    const v = violation('catboost_v9_feb_02_retrain.cbm', ctx({ manifests: { catboost_v9: m } }));
    expect(v.expected).toBeUndefined();
    expect('expected' in v).toBe(false);
    expect(v.reason).toMatch(/^old format: /);
    expect(v.reason).toContain('`modelgov name --system catboost_v9 --features N --train-start YYYY-MM-DD --train-end YYYY-MM-DD` prints the name');
    expect(v.reason).toContain('add "catboost_v9_feb_02_retrain.cbm" to artifacts.legacy of catboost_v9');
  });

  it('omits expected for an old name the manifest does not know', () => {
    const v = violation('catboost_v9_34features_20260301_120000.cbm', ctx({ manifests: { catboost_v9: V9_MANIFEST } }));
    expect(v.expected).toBeUndefined();
    expect(v.reason).toMatch(/^old format: /);
  });

  it('omits expected when the manifest facts would themselves break a rule (training_end after creation)', () => {
    const m = manifest({ [OLD_ID]: entry({ gcs_path: `gs://b/${OLD_FILE}`, training_end: '2026-02-05' }) });
    const v = violation(OLD_FILE, ctx({ manifests: { catboost_v9: m } }));
    expect(v.expected).toBeUndefined();
    expect(v.reason).toMatch(/^old format: /);
  });
});

describe('lintNames: conventional names against the manifest', () => {
  const ID_Q = GOOD_Q.replace(/\.cbm$/, '');

  it('fails a name whose training window disagrees, quoting both values (the real registry incident)', () => {
    const m = manifest({ [ID_Q]: entry({ gcs_path: `gs://b/${GOOD_Q}` }) });
    const v = violation(GOOD_Q, ctx({ manifests: { catboost_v9: m } }));
    expect(v.reason).toBe(
      `training_end: name says 2026-01-31, manifest says 2026-01-08 (manifest model "${ID_Q}"). ` +
        'Fix: rename to catboost_v9_33f_q0.43_train20251102-20260108_20260210_101010.cbm ' +
        `(if the name is right and the manifest is wrong, correct manifest model "${ID_Q}" instead)`,
    );
    expect(v.expected).toBe('catboost_v9_33f_q0.43_train20251102-20260108_20260210_101010.cbm');
  });

  it('quotes every disagreeing field: feature_count and training_start too', () => {
    const m = manifest({
      'v9-x': entry({ gcs_path: `gs://b/${GOOD}`, feature_count: 37, training_start: '2025-11-01', training_end: '2026-01-08' }),
    });
    const v = violation(GOOD, ctx({ manifests: { catboost_v9: m } }));
    expect(v.reason).toContain('feature_count: name says 33, manifest says 37 (manifest model "v9-x")');
    expect(v.reason).toContain('training_start: name says 2025-11-02, manifest says 2025-11-01 (manifest model "v9-x")');
    expect(v.reason).not.toContain('training_end:');
    expect(v.expected).toBe('catboost_v9_37f_train20251101-20260108_20260208_144749.cbm');
  });

  it('uses created_at for the expected stamp when the entry has it', () => {
    const m = manifest({ 'v9-x': entry({ gcs_path: `gs://b/${GOOD}`, feature_count: 34, created_at: '2026-02-09T00:00:01Z' }) });
    expect(violation(GOOD, ctx({ manifests: { catboost_v9: m } })).expected).toBe(
      'catboost_v9_34f_train20251102-20260108_20260209_000001.cbm',
    );
  });

  it('passes a name the manifest agrees with (found by id and by gcs_path)', () => {
    const m = manifest({
      [GOOD.replace('.cbm', '')]: entry({ gcs_path: 'gs://b/somewhere-else.cbm' }),
      'by-path': entry({ gcs_path: `gs://b/v9/${GOOD_Q}`, training_end: '2026-01-31' }),
    });
    expect(lintNames([GOOD, GOOD_Q], ctx({ manifests: { catboost_v9: m } })).violations).toEqual([]);
  });

  it('reports a file found in another system\'s manifest as a system disagreement', () => {
    const systems: SystemConfig[] = [
      { id: 'catboost_v8', manifest: 'v8.json' },
      { id: 'catboost_v9', manifest: 'v9.json' },
    ];
    const v8Name = GOOD.replace('catboost_v9', 'catboost_v8');
    const m = manifest({ 'v9-x': entry({ gcs_path: `gs://b/${v8Name}` }) });
    const v = violation(v8Name, ctx({ systems, manifests: { catboost_v8: manifest({}), catboost_v9: m } }));
    expect(v.reason).toMatch(/^system: name says catboost_v8, manifest says catboost_v9 \(manifest model "v9-x"\)/);
    expect(v.expected).toBe(GOOD);
  });

  it('gives expected from the manifest for a name with an impossible date', () => {
    const bad = 'catboost_v9_33f_train20251102-20260230_20260308_144749.cbm';
    const m = manifest({ 'v9-x': entry({ gcs_path: `gs://b/${bad}` }) });
    const v = violation(bad, ctx({ manifests: { catboost_v9: m } }));
    expect(v.reason).toMatch(/^not a calendar date: training end "2026-02-30"/);
    expect(v.expected).toBe('catboost_v9_33f_train20251102-20260108_20260308_144749.cbm');
  });
});

describe('lintNames: rules without manifest facts', () => {
  it.each([
    ['catboost_v9_33f_train20251102-20260230_20260308_144749.cbm', /^not a calendar date: training end "2026-02-30"/],
    ['catboost_v9_33f_train20251102-20260108_20260208_246000.cbm', /^not a real time: creation time "24:60:00"/],
    ['catboost_v9_33f_train20260109-20260108_20260208_144749.cbm', /^start after end: training start 2026-01-09 is after training end 2026-01-08/],
    ['catboost_v9_33f_train20251102-20260209_20260208_144749.cbm', /^end after creation: training end 2026-02-09 is after creation date 2026-02-08/],
    ['catboost_v9_33f_Noveg_train20251102-20260108_20260208_144749.cbm', /^bad variant "Noveg"/],
  ])('%s fails with the reason and the command that prints a valid name, without a guessed name', (name, pattern) => {
    const v = violation(name, ctx({ manifests: { catboost_v9: V9_MANIFEST } }));
    expect(v.reason).toMatch(pattern);
    expect(v.reason).toContain('`modelgov name --system catboost_v9 --features N');
    expect(v.expected).toBeUndefined();
  });

  it('fails an unknown system, naming the configured ones and the fix', () => {
    const v = violation('xgb_v1_33f_train20251102-20260108_20260208_144749.cbm', ctx());
    expect(v.reason).toBe(
      'unknown system "xgb_v1": the prefix is not a configured system (configured: catboost_v9). ' +
        'Fix: rename it to start with a configured system id (catboost_v9), or add its system to modelgov.config.json',
    );
    expect(v.expected).toBeUndefined();
  });

  it('gives expected for an unknown-system or unprefixed file the manifest knows', () => {
    const m = manifest({ 'v9-x': entry({ gcs_path: 'gs://b/model.cbm', created_at: '2026-02-08T14:47:49Z' }) });
    const v = violation('artifacts/model.cbm', ctx({ manifests: { catboost_v9: m } }));
    expect(v.reason).toMatch(/^unknown system: the name does not start with a configured system id/);
    expect(v.expected).toBe(GOOD);
  });

  it('fails an extension configured only for another system, offering the system\'s own', () => {
    const systems: SystemConfig[] = [
      { id: 'catboost_v9', manifest: 'a.json', artifacts: { extensions: ['.cbm'] } },
      { id: 'xgb_v2', manifest: 'b.json', artifacts: { extensions: ['.json', '.ubj'] } },
    ];
    const v = violation(GOOD.replace('.cbm', '.json'), ctx({ systems }));
    expect(v.reason).toMatch(/^bad extension: "\.json" is not an extension of catboost_v9 \(artifacts\.extensions: \.cbm\)\. Fix: rename to /);
    expect(v.expected).toBe(GOOD);
  });

  it('offers the name without the leading zero', () => {
    const v = violation('catboost_v9_033f_train20251102-20260108_20260208_144749.cbm', ctx());
    expect(v.reason).toMatch(/^bad features: "033f" has a leading zero/);
    expect(v.expected).toBe(GOOD);
  });
});

describe('lintNames: scale', () => {
  it('handles 100,000 mixed paths with exact counts (sanity, not timed)', () => {
    const systems: SystemConfig[] = [
      { id: 'catboost_v9', manifest: 'm.json', artifacts: { extensions: ['.cbm'], legacy: [OLD_FILE] } },
      { id: 'catboost', manifest: 'n.json' },
    ];
    const paths: string[] = [];
    for (let i = 0; i < 25_000; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      paths.push(`models/catboost_v9_${(i % 90) + 1}f_q0.${i % 100}_train20250101-202501${day}_20260208_144749.cbm`);
      paths.push(`src/module_${i}.py`);
      paths.push(i % 2 === 0 ? `models/${OLD_FILE}` : `models/catboost_v9_${i + 1000}features_20260201_011018.cbm`);
      paths.push(`models/catboost_v9_${(i % 90) + 1}f_train20260102-20260101_20260208_144749.cbm`);
    }
    const r = lintNames(paths, ctx({ systems, manifests: { catboost_v9: V9_MANIFEST } }));
    expect(r.checked).toBe(75_000);
    expect(r.ignored).toBe(25_000);
    expect(r.violations).toHaveLength(37_500);
    expect(r.violations.filter((v) => v.reason.startsWith('old format: '))).toHaveLength(12_500);
    expect(r.violations.filter((v) => v.reason.startsWith('start after end: '))).toHaveLength(25_000);
  });
});
