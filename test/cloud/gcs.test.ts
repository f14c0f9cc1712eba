/**
 * GCS manifest store and artifact store through the real @google-cloud/storage client against
 * the loopback fake (test/fakes/gcs-fake.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGcsArtifactStore } from '../../src/adapters/artifacts/gcs.js';
import { createGcsManifestStore } from '../../src/adapters/manifest/gcs.js';
import { type GcsFake, startGcsFake } from '../fakes/gcs-fake.js';
import { failure, withoutAdc } from '../fakes/cloud-test-helpers.js';

const BUCKET = 'mg-models';
const OBJECT = 'catboost/v9/manifest.json';
const LOCATION = `gs://${BUCKET}/${OBJECT}`;

let fake: GcsFake;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startGcsFake({ buckets: [BUCKET] });
});
afterAll(() => fake.close());
beforeEach(() => {
  env = { MODELGOV_GCS_ENDPOINT: fake.url };
  fake.requests.length = 0;
  fake.state.objects.clear();
  fake.state.omitGenerationHeader = false;
});
afterEach(() => expect(fake.pendingFaults()).toEqual([]));

const manifest = (n: number): string => `${JSON.stringify({ production_model: `m${n}`, models: { [`m${n}`]: { status: 'production' } } }, null, 2)}\n`;

describe('GCS manifest store', () => {
  it('round trip: read returns the bytes and their generation; write replaces them only at that generation', async () => {
    const g1 = fake.put(BUCKET, OBJECT, manifest(1), 'application/json');
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });

    const first = await store.read();
    expect(first).toEqual({ text: manifest(1), version: g1 });

    const written = await store.write(manifest(2), first.version);
    expect(written.version).toBe(fake.generation(BUCKET, OBJECT));
    expect(written.version).not.toBe(g1);
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(2));

    const upload = fake.uploads().at(-1)!;
    expect(upload.path).toBe(`/upload/storage/v1/b/${BUCKET}/o`);
    expect(upload.query.get('uploadType')).toBe('multipart');
    expect(upload.query.get('ifGenerationMatch')).toBe(g1);

    expect(await store.read()).toEqual({ text: manifest(2), version: written.version });
    // One media GET per read: the generation comes from the same response as the bytes.
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.query.get('alt'))).toEqual(['media', 'media']);
  });

  it('an emulator without x-goog-generation: the version still belongs to the bytes returned', async () => {
    fake.state.omitGenerationHeader = true;
    const g1 = fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    expect(await store.read()).toEqual({ text: manifest(1), version: g1 });
    // media download, metadata for the generation, then that generation's bytes
    expect(fake.requests.map((r) => `${r.query.get('alt') ?? 'meta'}:${r.query.get('generation') ?? ''}`)).toEqual(['media:', 'meta:', `media:${g1}`]);
  });

  it('keeps every byte: UTF-8, CRLF and a BOM come back as written', async () => {
    const text = '\uFEFF{"note": "Ünïcødé ✓"}\r\n';
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    fake.put(BUCKET, OBJECT, '{}');
    const { version } = await store.read();
    await store.write(text, version);
    expect((await store.read()).text).toBe(text);
  });

  it('creates a manifest that must not exist yet with version "0", and refuses when it does', async () => {
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    await store.write(manifest(1), '0');
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(1));
    const err = await failure(store.write(manifest(2), '0'));
    expect(err.code).toBe('CONFLICT');
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(1));
  });

  it('two writers racing on one generation: one wins, the other gets CONFLICT, the object holds the winner', async () => {
    fake.put(BUCKET, OBJECT, manifest(0));
    const a = await createGcsManifestStore(LOCATION, { root: '/', env });
    const b = await createGcsManifestStore(LOCATION, { root: '/', env });
    const [ra, rb] = await Promise.all([a.read(), b.read()]);
    expect(ra.version).toBe(rb.version);

    const results = await Promise.allSettled([a.write(manifest(1), ra.version), b.write(manifest(2), rb.version)]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results.findIndex((r) => r.status === 'rejected');
    expect(won).toBeGreaterThanOrEqual(0);
    expect(lost).toBeGreaterThanOrEqual(0);
    const err = (results[lost] as PromiseRejectedResult).reason as Error & { code: string; fix: string };
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/Someone else changed the manifest gs:\/\/mg-models\/catboost\/v9\/manifest\.json since it was read/);
    expect(err.message).toMatch(/nothing was written/);
    expect(err.fix).toMatch(/Re-run/);
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(won + 1));
  });

  it('a writer that sneaks in between read and write (412 race fault) keeps its bytes', async () => {
    fake.put(BUCKET, OBJECT, manifest(0));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    const { version } = await store.read();
    fake.inject({ kind: 'race', data: manifest(9) });
    const err = await failure(store.write(manifest(1), version));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(`read at generation ${version}`);
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(9));
  });

  it('503 twice then success: a read is retried and succeeds', async () => {
    fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    fake.inject({ kind: 'status', status: 503, times: 2 });
    expect((await store.read()).text).toBe(manifest(1));
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  });

  it('503 twice then success: a conditional write is retried (safe: it cannot apply twice)', async () => {
    const g = fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    fake.inject({ kind: 'status', status: 503, times: 2, match: (r) => r.path.startsWith('/upload/') });
    await store.write(manifest(2), g);
    expect(fake.uploads()).toHaveLength(3);
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(2));
  });

  it('gives up after the retry budget with BACKEND_UNREACHABLE', async () => {
    fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env, retries: 1 });
    fake.inject({ kind: 'status', status: 503, times: 2 });
    const err = await failure(store.read());
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toMatch(/kept failing \(HTTP 503.*, 2 attempts\)/);
  });

  it('a hung response ends in BACKEND_UNREACHABLE within the bound, and the socket is released', async () => {
    fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env, timeoutMs: 400 });
    fake.inject({ kind: 'hang' });
    const t0 = Date.now();
    const err = await failure(store.read());
    const elapsed = Date.now() - t0;
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toMatch(/did not answer within 400 ms/);
    expect(err.message).toContain(fake.url);
    expect(err.message).toContain('MODELGOV_GCS_ENDPOINT');
    expect(elapsed).toBeGreaterThanOrEqual(380);
    await expect.poll(() => fake.hung.at(-1)?.closed, { timeout: 30_000 }).toBe(true);
  });

  it('a hung write is BACKEND_UNREACHABLE that says the write may have landed and re-running is safe', async () => {
    const g = fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env, timeoutMs: 300 });
    fake.inject({ kind: 'hang', match: (r) => r.path.startsWith('/upload/') });
    const err = await failure(store.write(manifest(2), g));
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.details).toEqual(['The write may or may not have reached Cloud Storage.']);
    expect(err.fix).toMatch(/never overwrites a newer generation/);
    expect(fake.uploads()).toHaveLength(1); // a timeout is not retried
  });

  it('401 → CREDENTIALS naming gcloud auth application-default login; 403 → the missing permission', async () => {
    fake.put(BUCKET, OBJECT, manifest(1));
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    fake.inject({ kind: 'status', status: 401, message: 'Invalid Credentials' });
    const e401 = await failure(store.read());
    expect(e401.code).toBe('CREDENTIALS');
    expect(e401.fix).toMatch(/gcloud auth application-default login/);

    fake.inject({ kind: 'status', status: 403, message: 'caller does not have storage.objects.get access to the Google Cloud Storage object.' });
    const e403 = await failure(store.read());
    expect(e403.code).toBe('CREDENTIALS');
    expect(e403.message).toMatch(/needs storage\.objects\.get/);
    expect(e403.fix).toMatch(/roles\/storage\.objectViewer/);

    const { version } = await store.read();
    fake.inject({ kind: 'status', status: 403 });
    const w403 = await failure(store.write(manifest(2), version));
    expect(w403.message).toMatch(/storage\.objects\.create and storage\.objects\.delete/);
    expect(fake.get(BUCKET, OBJECT)?.toString()).toBe(manifest(1));
  });

  it('a missing object or bucket is NOT_FOUND with the fix', async () => {
    const store = await createGcsManifestStore(LOCATION, { root: '/', env });
    const missing = await failure(store.read());
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe(`The manifest ${LOCATION} does not exist.`);
    expect(missing.fix).toContain(`gcloud storage cp manifest.json ${LOCATION}`);

    const other = await createGcsManifestStore('gs://no-such-bucket/manifest.json', { root: '/', env });
    const noBucket = await failure(other.read());
    expect(noBucket.code).toBe('NOT_FOUND');
    expect(noBucket.message).toMatch(/bucket of the manifest .* does not exist/);
  });

  it('an unreachable endpoint is BACKEND_UNREACHABLE naming the location and the variable', async () => {
    const store = await createGcsManifestStore(LOCATION, { root: '/', env: { MODELGOV_GCS_ENDPOINT: 'http://127.0.0.1:1' } });
    const err = await failure(store.read());
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toMatch(/Cannot reach Cloud Storage at http:\/\/127\.0\.0\.1:1 \(from MODELGOV_GCS_ENDPOINT\) \(ECONNREFUSED\)/);
    expect(err.message).toContain(LOCATION);
    expect(err.fix).toMatch(/unset MODELGOV_GCS_ENDPOINT/);
  });

  it('rejects a location that is not gs://bucket/object', async () => {
    const err = await failure(createGcsManifestStore('gs://x/manifest.json', { root: '/', env }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.fix).toMatch(/gs:\/\/<bucket>\/<object>/);
  });
});

describe('endpoint override (MODELGOV_GCS_ENDPOINT, STORAGE_EMULATOR_HOST)', () => {
  // fake-gcs-server serves the JSON API under /storage/v1 and uploads under /upload/storage/v1
  // (fakestorage/server.go); the storage client uses exactly these with `apiEndpoint`.
  for (const [name, value] of [
    ['MODELGOV_GCS_ENDPOINT', () => fake.url],
    ['STORAGE_EMULATOR_HOST without a scheme', () => `127.0.0.1:${fake.port}`],
    ['STORAGE_EMULATOR_HOST with /storage/v1/', () => `${fake.url}/storage/v1/`],
  ] as const) {
    it(`${name}: reads and writes go to /storage/v1 and /upload/storage/v1 with no Authorization header`, async () => {
      const variable = name.split(' ')[0];
      fake.put(BUCKET, OBJECT, manifest(1));
      const store = await createGcsManifestStore(LOCATION, { root: '/', env: { [variable]: value() } });
      const { version } = await store.read();
      await store.write(manifest(2), version);
      expect(fake.requests.map((r) => `${r.method} ${r.rawPath}`)).toEqual([
        `GET /storage/v1/b/${BUCKET}/o/${encodeURIComponent(OBJECT)}`,
        `POST /upload/storage/v1/b/${BUCKET}/o`,
      ]);
      expect(fake.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    });
  }

  it('a STORAGE_EMULATOR_HOST in process.env (which the client would use verbatim) does not change the paths', async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = fake.url; // no /storage/v1: the client alone would call /b/…
    try {
      fake.put(BUCKET, OBJECT, manifest(1));
      const store = await createGcsManifestStore(LOCATION, { root: '/', env: { STORAGE_EMULATOR_HOST: fake.url } });
      expect((await store.read()).text).toBe(manifest(1));
      expect(fake.requests[0].rawPath.startsWith('/storage/v1/b/')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});

describe('GCS without an override and without credentials', () => {
  it('fails with CREDENTIALS before any request (no connection is opened)', async () => {
    await withoutAdc(async () => {
      const store = await createGcsManifestStore(LOCATION, { root: '/', env: {} });
      const err = await failure(store.read());
      expect(err.code).toBe('CREDENTIALS');
      expect(err.fix).toMatch(/gcloud auth application-default login/);
      expect(err.fix).toMatch(/storage\.objects\.get/);
      expect(err.fix).toMatch(/MODELGOV_GCS_ENDPOINT/);
    });
  });

  it('the artifact store fails the same way, naming the artifact it was asked for', async () => {
    await withoutAdc(async () => {
      const store = await createGcsArtifactStore({ root: '/', env: {} });
      const err = await failure(store.hash(`gs://${BUCKET}/catboost/v9/model.cbm`));
      expect(err.code).toBe('CREDENTIALS');
      expect(err.message).toContain(`gs://${BUCKET}/catboost/v9/model.cbm`);
      expect(err.fix).toMatch(/gcloud auth application-default login/);
      expect(err.fix).toMatch(/storage\.objects\.get/);
    });
  });
});

describe('GCS artifact store', () => {
  it('streams the object through sha256 with progress, without touching the disk', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    fake.put(BUCKET, 'catboost/v9/model.cbm', data);
    const store = await createGcsArtifactStore({ root: '/', env });
    const progress: [number, number | undefined][] = [];
    const check = await store.hash(`gs://${BUCKET}/catboost/v9/model.cbm`, (read, total) => progress.push([read, total]));
    expect(check).toEqual({ exists: true, sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([data.length, data.length]);
    expect(progress.every(([read], i) => i === 0 || read > progress[i - 1][0])).toBe(true);
  });

  it('a missing object is {exists: false}', async () => {
    const store = await createGcsArtifactStore({ root: '/', env });
    expect(await store.hash(`gs://${BUCKET}/nope.cbm`)).toEqual({ exists: false });
  });

  it('503 twice then success restarts the hash and gets it right', async () => {
    fake.put(BUCKET, 'a.cbm', 'weights');
    const store = await createGcsArtifactStore({ root: '/', env });
    fake.inject({ kind: 'status', status: 503, times: 2 });
    const check = await store.hash(`gs://${BUCKET}/a.cbm`);
    expect(check.sha256).toBe(createHash('sha256').update('weights').digest('hex'));
    expect(fake.requests).toHaveLength(3);
  });

  it('a hung download ends in BACKEND_UNREACHABLE after the idle bound', async () => {
    fake.put(BUCKET, 'a.cbm', 'weights');
    const store = await createGcsArtifactStore({ root: '/', env, timeoutMs: 300 });
    fake.inject({ kind: 'hang' });
    const err = await failure(store.hash(`gs://${BUCKET}/a.cbm`));
    expect(err.code).toBe('BACKEND_UNREACHABLE');
  });

  it('403 → CREDENTIALS naming storage.objects.get', async () => {
    fake.put(BUCKET, 'a.cbm', 'weights');
    const store = await createGcsArtifactStore({ root: '/', env });
    fake.inject({ kind: 'status', status: 403 });
    const err = await failure(store.hash(`gs://${BUCKET}/a.cbm`));
    expect(err.code).toBe('CREDENTIALS');
    expect(err.message).toMatch(/storage\.objects\.get/);
  });
});

describe('GCS fake behaves like the service', () => {
  it('serves the client’s resumable upload, keeps generations, answers 412 on a stale precondition', async () => {
    const { Storage } = await import('@google-cloud/storage');
    const storage = new Storage({ apiEndpoint: fake.url, projectId: 'p', retryOptions: { autoRetry: false } });
    const file = storage.bucket(BUCKET).file('big.bin');
    const data = Buffer.alloc(600 * 1024, 7);
    await file.save(data, { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } });
    const g1 = fake.generation(BUCKET, 'big.bin')!;
    expect(fake.get(BUCKET, 'big.bin')?.equals(data)).toBe(true);
    expect(fake.uploads().at(-1)!.query.get('uploadType')).toBe('resumable');

    await file.save(Buffer.from('v2'), { resumable: true, preconditionOpts: { ifGenerationMatch: Number(g1) } });
    const g2 = fake.generation(BUCKET, 'big.bin')!;
    expect(BigInt(g2)).toBeGreaterThan(BigInt(g1));
    expect(fake.state.objects.get(`${BUCKET}/big.bin`)!.versions.map((v) => v.generation)).toEqual([g1, g2]);

    await expect(file.save(Buffer.from('v3'), { resumable: false, preconditionOpts: { ifGenerationMatch: Number(g1) } })).rejects.toMatchObject({ code: 412 });
    expect(fake.get(BUCKET, 'big.bin')?.toString()).toBe('v2');
  });

  it('returns md5Hash and crc32c computed from the bytes (the client verifies them after an upload)', async () => {
    const { Storage } = await import('@google-cloud/storage');
    const storage = new Storage({ apiEndpoint: fake.url, projectId: 'p', retryOptions: { autoRetry: false } });
    await storage.bucket(BUCKET).file('h.txt').save('hello', { resumable: false });
    const [meta] = await storage.bucket(BUCKET).file('h.txt').getMetadata();
    expect(meta.md5Hash).toBe(createHash('md5').update('hello').digest('base64'));
    expect(meta.crc32c).toBe('mnG7TA=='); // CRC32C("hello") = 0x9a71bb4c
  });
});
