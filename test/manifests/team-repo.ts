import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A repository shaped like the team's real one: a Python project whose one CatBoost manifest
 * holds both catboost_v9 and catboost_v12 models, LightGBM `.txt` models (beside a
 * requirements.txt), a model with the team's own `blocked` status, and a soft gate.
 */
export const V9_PROD = 'catboost_v9_33f_train20251102-20260108_20260201_011018';
export const V9_TWIN = 'catboost_v9_33f_q0.43_train20251102-20260108_20260203_101010';
export const V9_BLOCKED = 'catboost_v9_33f_train20251102-20260108_20260202_090000';
export const V12_HUBER = 'catboost_v12_50f_huber_rsm50_train20251102-20260131_20260210_101010';
export const V12_PLAIN = 'catboost_v12_50f_train20251102-20260131_20260211_101010';
export const LGBM_A = 'lgbm_v1_40f_train20251102-20260108_20260205_120000';
export const CATBOOST_MANIFEST = 'models/catboost/manifest.json';
export const LGBM_MANIFEST = 'models/lgbm/manifest.json';

const SHA = (c: string) => c.repeat(64);

function model(over: Record<string, unknown>): Record<string, unknown> {
  return {
    model_type: 'catboost',
    training_samples: 9993,
    sha256: SHA('a'),
    evaluation: { mae: 4.8, high_edge_hit_rate_3plus: 70, vegas_bias: -0.3, graded_edge_3plus: 200 },
    ...over,
  };
}

export function catboostManifest(): Record<string, unknown> {
  return {
    production_model: V9_PROD,
    models: {
      [V9_PROD]: model({
        gcs_path: `gs://team-models/catboost/v9/${V9_PROD}.cbm`,
        model_version: 'v9',
        feature_count: 33,
        training_start: '2025-11-02',
        training_end: '2026-01-08',
        status: 'production',
        production_since: '2026-02-08',
      }),
      [V9_TWIN]: model({
        gcs_path: `gs://team-models/catboost/v9/${V9_TWIN}.cbm`,
        model_version: 'v9',
        feature_count: 33,
        training_start: '2025-11-02',
        training_end: '2026-01-08',
        status: 'shadow',
        evaluation: { mae: 4.7, high_edge_hit_rate_3plus: 72, vegas_bias: -0.2, graded_edge_3plus: 180 },
      }),
      [V9_BLOCKED]: model({
        gcs_path: `gs://team-models/catboost/v9/${V9_BLOCKED}.cbm`,
        model_version: 'v9',
        feature_count: 33,
        training_start: '2025-11-02',
        training_end: '2026-01-08',
        status: 'blocked',
        deprecation_reason: 'leaked features',
      }),
      // The v12 models live in the v9 manifest, as they do in the team's repository.
      [V12_HUBER]: model({
        gcs_path: `gs://team-models/catboost/v12/${V12_HUBER}.cbm`,
        model_version: 'v12',
        feature_count: 50,
        training_start: '2025-11-02',
        training_end: '2026-01-31',
        status: 'testing',
        evaluation: { mae: 4.9, high_edge_hit_rate_3plus: 66, vegas_bias: 0.4, graded_edge_3plus: 120 },
      }),
      [V12_PLAIN]: model({
        gcs_path: `gs://team-models/catboost/v12/${V12_PLAIN}.cbm`,
        model_version: 'v12',
        feature_count: 50,
        training_start: '2025-11-02',
        training_end: '2026-01-31',
        status: 'untested',
      }),
    },
  };
}

export function lgbmManifest(): Record<string, unknown> {
  return {
    production_model: null,
    models: {
      [LGBM_A]: model({
        model_type: 'lightgbm',
        gcs_path: `models/lgbm/v1/${LGBM_A}.txt`,
        model_version: 'v1',
        feature_count: 40,
        training_start: '2025-11-02',
        training_end: '2026-01-08',
        status: 'active',
      }),
    },
  };
}

export function teamConfig(): Record<string, any> {
  return {
    registry: 'duckdb:.modelgov/registry.duckdb',
    statuses: { blocked: 'retired' },
    systems: [
      { id: 'catboost_v9', manifest: CATBOOST_MANIFEST, artifacts: { extensions: ['.cbm'] }, docs: ['CLAUDE.md'] },
      // Same manifest, its models picked by a field (the ids would also do: catboost_v12_ prefix).
      { id: 'catboost_v12', manifest: `./${CATBOOST_MANIFEST}`, select: { field: 'model_version', equals: 'v12' }, artifacts: { extensions: ['.cbm'] }, docs: ['CLAUDE.md'] },
      { id: 'lgbm_v1', manifest: LGBM_MANIFEST, artifacts: { include: ['models/lgbm/**/*.txt'] } },
    ],
    gates: [
      { id: 'vegas-bias', metric: 'vegas_bias', abs_max: 1.5 },
      { id: 'mae-improvement', metric: 'mae', better_than: 'production', direction: 'lower', severity: 'warn' },
    ],
  };
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

export const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** Makes the repository in a new temp dir (committed, fixed user and branch) and returns its path. */
export function makeTeamRepo(opts: { config?: Record<string, unknown>; catboost?: Record<string, unknown>; commit?: boolean } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-team-')), 'repo');
  mkdirSync(dir, { recursive: true });
  write(dir, 'modelgov.config.json', json(opts.config ?? teamConfig()));
  write(dir, CATBOOST_MANIFEST, json(opts.catboost ?? catboostManifest()));
  write(dir, LGBM_MANIFEST, json(lgbmManifest()));
  write(dir, 'requirements.txt', 'catboost==1.2.7\nlightgbm==4.5.0\n');
  write(dir, 'pyproject.toml', '[project]\nname = "props"\nversion = "0.1.0"\n');
  write(
    dir,
    'CLAUDE.md',
    '# Props platform\n\n## ML Model - CatBoost V9\n<!-- modelgov:start catboost_v9 -->\n<!-- modelgov:end catboost_v9 -->\n\n## ML Model - CatBoost V12\n<!-- modelgov:start catboost_v12 -->\n<!-- modelgov:end catboost_v12 -->\n',
  );
  write(dir, '.gitignore', '.modelgov/\n');
  if (opts.commit !== false) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'modelgov test');
    git(dir, 'config', 'user.email', 'test@modelgov.example');
    git(dir, 'config', 'commit.gpgsign', 'false');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  return dir;
}
