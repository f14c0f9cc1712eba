import { describe, expect, it } from 'vitest';
import { compareDeploymentCode, compareDeploymentModel } from '../../src/drift/compare-deployment.js';
import { compareRegistry } from '../../src/drift/compare-registry.js';
import type { DeploymentState } from '../../src/ports.js';
import { manifestToRows } from '../../src/sync/to-rows.js';
import { exampleManifest, PROD_ID } from '../helpers/example.js';

const REG = 'duckdb:.modelgov/registry.duckdb';
const state = (over: Partial<DeploymentState> = {}): DeploymentState => ({
  service: 'prediction-worker',
  region: 'us-west2',
  project: 'nba-props-platform',
  modelPath: exampleManifest().models[PROD_ID].gcs_path,
  commitSha: 'abc1234def',
  revisionTime: '2026-02-08T15:00:00.000Z',
  image: null,
  ...over,
});

describe('compareRegistry', () => {
  it('finds nothing when the registry matches the manifest', () => {
    const m = exampleManifest();
    expect(compareRegistry('catboost_v9', m, manifestToRows('catboost_v9', m), REG)).toEqual([]);
  });

  it('names both dates for the real incident (registry said 2026-01-31, truth 2026-01-08)', () => {
    const m = exampleManifest();
    const rows = manifestToRows('catboost_v9', m);
    rows.find((r) => r.model_id === PROD_ID)!.training_end_date = '2026-01-31';
    expect(compareRegistry('catboost_v9', m, rows, REG)).toEqual([
      { kind: 'registry', system: 'catboost_v9', subject: `${PROD_ID}.training_end_date`, expected: '2026-01-08', actual: '2026-01-31', fix: 'modelgov sync' },
    ]);
  });

  it('reports missing rows and orphan rows', () => {
    const m = exampleManifest();
    const rows = manifestToRows('catboost_v9', m).filter((r) => r.model_id !== 'catboost_v9_2026_02');
    rows.push({ ...rows[0], model_id: 'catboost_v9_ghost' });
    const f = compareRegistry('catboost_v9', m, rows, REG);
    expect(f.map((x) => [x.subject, x.actual])).toEqual([
      ['catboost_v9_2026_02', `no row in ${REG}`],
      ['catboost_v9_ghost', 'row with status production'],
    ]);
  });
});

describe('compareDeploymentModel', () => {
  it('gives the exact gcloud command when the env var points at another model', () => {
    const m = exampleManifest();
    const f = compareDeploymentModel('catboost_v9', m, state({ modelPath: m.models.catboost_v9_feb_02_retrain.gcs_path }), 'CATBOOST_V9_MODEL_PATH');
    expect(f).toHaveLength(1);
    expect(f[0].actual).toContain('catboost_v9_feb_02_retrain, status deprecated');
    expect(f[0].fix).toBe(
      `gcloud run services update prediction-worker --region=us-west2 --project=nba-props-platform --update-env-vars=CATBOOST_V9_MODEL_PATH=${m.models[PROD_ID].gcs_path}`,
    );
  });

  it('is quiet when the service serves the production model', () => {
    expect(compareDeploymentModel('catboost_v9', exampleManifest(), state(), 'CATBOOST_V9_MODEL_PATH')).toEqual([]);
  });
});

describe('compareDeploymentCode', () => {
  it('lists commits after the deployed one with the git log command', () => {
    const f = compareDeploymentCode('catboost_v9', state(), ['predictions/worker'], { commitsSince: ['1a2b3c4 worker: new feature'] });
    expect(f[0].kind).toBe('deployment-code');
    expect(f[0].actual).toBe('1 commit(s) since: 1a2b3c4 worker: new feature');
    expect(f[0].fix).toContain('git log --oneline --end-of-options abc1234def..HEAD -- predictions/worker');
  });

  it('falls back to the revision time when there is no commit-sha label', () => {
    const later = compareDeploymentCode('catboost_v9', state({ commitSha: null }), ['shared'], { lastChange: { time: '2026-02-09T00:00:00.000Z', commit: 'ffff' } });
    expect(later[0].actual).toContain('the service has no commit-sha label');
    const earlier = compareDeploymentCode('catboost_v9', state({ commitSha: null }), ['shared'], { lastChange: { time: '2026-02-01T00:00:00.000Z', commit: 'ffff' } });
    expect(earlier).toEqual([]);
  });
});
