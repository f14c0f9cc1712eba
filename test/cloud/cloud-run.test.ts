/**
 * Cloud Run deployment reader through the real @google-cloud/run v2 ServicesClient (REST
 * transport) against the loopback fake (test/fakes/cloud-run-fake.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCloudRunReader } from '../../src/adapters/deployment/cloud-run.js';
import type { AdapterOptions } from '../../src/ports.js';
import { type CloudRunFake, startCloudRunFake } from '../fakes/cloud-run-fake.js';
import { failure, withoutAdc } from '../fakes/cloud-test-helpers.js';

const LOCATION = 'cloudrun:nba-props-platform/us-west2/prediction-worker';
const MODEL = 'gs://nba-props-platform-models/catboost/v9/catboost_v9_33f_train20251102-20260108_20260208_144749.cbm';

let fake: CloudRunFake;
beforeAll(async () => {
  fake = await startCloudRunFake();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.services.clear();
  fake.requests.length = 0;
  fake.setService('nba-props-platform', 'us-west2', 'prediction-worker', {
    env: { OTHER: 'x', CATBOOST_V9_MODEL_PATH: MODEL },
    labels: { 'commit-sha': 'a1b2c3d', team: 'ml' },
    templateLabels: { 'commit-sha': 'old0000' },
    image: 'us-west2-docker.pkg.dev/nba-props-platform/images/prediction-worker:a1b2c3d',
    updateTime: '2026-02-08T14:47:49.123456Z',
  });
});
afterEach(() => expect(fake.pendingFaults()).toEqual([]));

const options = (over: Partial<AdapterOptions> = {}): AdapterOptions => ({ root: '/', env: { MODELGOV_CLOUDRUN_ENDPOINT: fake.url }, ...over });

describe('Cloud Run reader', () => {
  it('reads the model env var of the first container, the commit-sha label, region, project, update time and image', async () => {
    const reader = await createCloudRunReader(LOCATION, options());
    expect(await reader.read('CATBOOST_V9_MODEL_PATH')).toEqual({
      service: 'prediction-worker',
      region: 'us-west2',
      project: 'nba-props-platform',
      modelPath: MODEL,
      commitSha: 'a1b2c3d',
      revisionTime: '2026-02-08T14:47:49.123Z',
      image: 'us-west2-docker.pkg.dev/nba-props-platform/images/prediction-worker:a1b2c3d',
    });
    const [req] = fake.requests;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v2/projects/nba-props-platform/locations/us-west2/services/prediction-worker');
    expect(req.query.get('$alt')).toBe('json;enum-encoding=int');
    expect(req.headers.authorization).toBe('Bearer placeholder');
  });

  it('falls back to the template label and to the latest ready revision time; absent values are null', async () => {
    fake.setService('nba-props-platform', 'us-west2', 'prediction-worker', {
      templateLabels: { 'commit-sha': 'f00dfee' },
      updateTime: null,
      latestReadyRevision: { name: 'prediction-worker-00042-xyz', createTime: '2026-02-09T08:00:00Z' },
    });
    const reader = await createCloudRunReader(LOCATION, options());
    const state = await reader.read('CATBOOST_V9_MODEL_PATH');
    expect(state).toMatchObject({ modelPath: null, commitSha: 'f00dfee', revisionTime: '2026-02-09T08:00:00.000Z' });
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/v2/projects/nba-props-platform/locations/us-west2/services/prediction-worker',
      '/v2/projects/nba-props-platform/locations/us-west2/services/prediction-worker/revisions/prediction-worker-00042-xyz',
    ]);

    fake.setService('nba-props-platform', 'us-west2', 'prediction-worker', {});
    expect(await reader.read('CATBOOST_V9_MODEL_PATH')).toMatchObject({ modelPath: null, commitSha: null, revisionTime: null });
  });

  it('404 → NOT_FOUND naming the service and how to list the real ones', async () => {
    const reader = await createCloudRunReader('cloudrun:nba-props-platform/us-west2/prediction-wrker', options());
    const err = await failure(reader.read('CATBOOST_V9_MODEL_PATH'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(
      'The Cloud Run service "prediction-wrker" does not exist in project nba-props-platform, region us-west2 (cloudrun:nba-props-platform/us-west2/prediction-wrker).',
    );
    expect(err.fix).toContain('gcloud run services list --project=nba-props-platform --region=us-west2');
    expect(fake.requests).toHaveLength(1); // a 404 is not retried
  });

  it('503 twice then success', async () => {
    const reader = await createCloudRunReader(LOCATION, options());
    fake.inject({ kind: 'status', status: 503, times: 2 });
    expect((await reader.read('CATBOOST_V9_MODEL_PATH')).modelPath).toBe(MODEL);
    expect(fake.requests).toHaveLength(3);
  });

  it('a hung response ends in BACKEND_UNREACHABLE within the bound, and the socket is released', async () => {
    const reader = await createCloudRunReader(LOCATION, options({ timeoutMs: 400 }));
    fake.inject({ kind: 'hang' });
    const t0 = Date.now();
    const err = await failure(reader.read('CATBOOST_V9_MODEL_PATH'));
    const elapsed = Date.now() - t0;
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toMatch(/did not answer within 400 ms while trying to read the Cloud Run service/);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    await expect.poll(() => fake.hung.at(-1)?.closed, { timeout: 30_000 }).toBe(true);
  });

  it('401 → CREDENTIALS with the login fix; 403 → run.services.get / roles/run.viewer', async () => {
    const reader = await createCloudRunReader(LOCATION, options());
    fake.inject({ kind: 'status', status: 401 });
    const e401 = await failure(reader.read('X'));
    expect(e401.code).toBe('CREDENTIALS');
    expect(e401.fix).toMatch(/gcloud auth application-default login/);
    fake.inject({ kind: 'status', status: 403, message: "Permission 'run.services.get' denied on resource" });
    const e403 = await failure(reader.read('X'));
    expect(e403.code).toBe('CREDENTIALS');
    expect(e403.message).toMatch(/needs run\.services\.get/);
    expect(e403.message).toContain("Permission 'run.services.get' denied on resource");
    expect(e403.fix).toMatch(/roles\/run\.viewer/);
  });

  it('the fake refuses a request without a bearer token', async () => {
    const res = await fetch(`${fake.url}/v2/projects/nba-props-platform/locations/us-west2/services/prediction-worker`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
  });

  it('an unreachable endpoint is BACKEND_UNREACHABLE naming MODELGOV_CLOUDRUN_ENDPOINT', async () => {
    const reader = await createCloudRunReader(LOCATION, options({ env: { MODELGOV_CLOUDRUN_ENDPOINT: 'http://127.0.0.1:1' } }));
    const err = await failure(reader.read('X'));
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toContain(LOCATION);
    expect(err.fix).toMatch(/MODELGOV_CLOUDRUN_ENDPOINT/);
  });

  it('without an override and without credentials: CREDENTIALS before any connection', async () => {
    await withoutAdc(async () => {
      const reader = await createCloudRunReader(LOCATION, { root: '/', env: {} });
      const err = await failure(reader.read('X'));
      expect(err.code).toBe('CREDENTIALS');
      expect(err.fix).toMatch(/gcloud auth application-default login/);
      expect(err.fix).toMatch(/run\.services\.get/);
    });
  });

  it('rejects locations that are not cloudrun:project/region/service', async () => {
    for (const bad of ['cloudrun:p/us-west2', 'cloudrun:my-proj/west/svc', 'cloudrun:my-proj/us-west2/Svc_1']) {
      expect((await failure(createCloudRunReader(bad, options()))).code).toBe('CONFIG_INVALID');
    }
  });
});
