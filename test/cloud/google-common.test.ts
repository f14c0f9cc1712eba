/**
 * What the three Google adapters share: endpoint overrides, error classification, deadlines,
 * and that loading an adapter module loads no Google SDK until a factory runs.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { callGoogle, withDeadline } from '../../src/adapters/google/call.js';
import { endpointOverride } from '../../src/adapters/google/endpoints.js';
import { DeadlineError, classify, isRetryable } from '../../src/adapters/google/errors.js';
import { isModelgovError } from '../../src/errors.js';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;

describe('endpointOverride', () => {
  it('accepts the spellings users write and returns a base URL', () => {
    expect(endpointOverride('gcs', { MODELGOV_GCS_ENDPOINT: 'http://127.0.0.1:4443/' })).toEqual({ url: 'http://127.0.0.1:4443', variable: 'MODELGOV_GCS_ENDPOINT' });
    expect(endpointOverride('gcs', { STORAGE_EMULATOR_HOST: 'localhost:4443' })).toEqual({ url: 'http://localhost:4443', variable: 'STORAGE_EMULATOR_HOST' });
    expect(endpointOverride('gcs', { STORAGE_EMULATOR_HOST: 'http://localhost:4443/storage/v1/' })?.url).toBe('http://localhost:4443');
    expect(endpointOverride('bigquery', { MODELGOV_BIGQUERY_ENDPOINT: 'http://[::1]:9050/bigquery/v2' })?.url).toBe('http://[::1]:9050');
    expect(endpointOverride('cloudrun', { MODELGOV_CLOUDRUN_ENDPOINT: 'https://run.example.test' })?.url).toBe('https://run.example.test');
  });

  it('prefers MODELGOV_GCS_ENDPOINT over STORAGE_EMULATOR_HOST and ignores empty values', () => {
    expect(endpointOverride('gcs', { MODELGOV_GCS_ENDPOINT: 'http://a:1', STORAGE_EMULATOR_HOST: 'http://b:2' })?.variable).toBe('MODELGOV_GCS_ENDPOINT');
    expect(endpointOverride('gcs', { MODELGOV_GCS_ENDPOINT: ' ', STORAGE_EMULATOR_HOST: 'http://b:2' })?.variable).toBe('STORAGE_EMULATOR_HOST');
    expect(endpointOverride('bigquery', {})).toBeUndefined();
    // Each service reads only its own variable.
    expect(endpointOverride('bigquery', { MODELGOV_GCS_ENDPOINT: 'http://a:1' })).toBeUndefined();
  });

  it('refuses values that cannot work, naming the variable', () => {
    for (const [service, env] of [
      ['gcs', { MODELGOV_GCS_ENDPOINT: 'ftp://host:21' }],
      ['cloudrun', { MODELGOV_CLOUDRUN_ENDPOINT: 'http://127.0.0.1:8080/prefix' }],
      ['bigquery', { MODELGOV_BIGQUERY_ENDPOINT: 'http://' }],
    ] as const) {
      try {
        endpointOverride(service, env);
        throw new Error('accepted');
      } catch (err) {
        expect(isModelgovError(err) && err.code).toBe('CONFIG_INVALID');
        expect((err as Error).message).toContain(Object.keys(env)[0]);
      }
    }
  });
});

describe('classify', () => {
  it('reads the HTTP status from every client library shape and decides what to retry', () => {
    expect(classify(Object.assign(new Error('x'), { code: 503 }))).toMatchObject({ status: 503 });
    expect(classify(Object.assign(new Error('x'), { code: 14 }), true)).toMatchObject({ status: 503 });
    expect(classify(Object.assign(new Error('x'), { code: 5 }), true)).toMatchObject({ status: 404 });
    expect(classify(Object.assign(new Error('{"error":{"code":403,"message":"nope"}}'), { code: 403 }), true)).toMatchObject({ status: 403, message: 'nope' });
    expect(classify(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatchObject({ network: 'ECONNREFUSED' });
    expect(classify(new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }))).toMatchObject({ network: 'ECONNRESET' });
    expect(classify(new Error('Could not load the default credentials. Browse to …'))).toMatchObject({ noCredentials: true });
    expect(classify(new DeadlineError(5))).toMatchObject({ timeout: true });

    const r = (e: unknown): boolean => isRetryable(classify(e));
    expect(r(Object.assign(new Error(), { code: 429 }))).toBe(true);
    expect(r(Object.assign(new Error(), { code: 408 }))).toBe(true);
    expect(r(Object.assign(new Error(), { code: 502 }))).toBe(true);
    expect(r(Object.assign(new Error(), { code: 403, errors: [{ reason: 'rateLimitExceeded' }] }))).toBe(true);
    expect(r(Object.assign(new Error(), { code: 403, errors: [{ reason: 'accessDenied' }] }))).toBe(false);
    expect(r(Object.assign(new Error(), { code: 404 }))).toBe(false);
    expect(r(Object.assign(new Error(), { code: 412 }))).toBe(false);
    expect(r(Object.assign(new Error(), { code: 'ECONNRESET' }))).toBe(true);
    expect(r(Object.assign(new Error(), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(r(new DeadlineError(5))).toBe(false);
  });
});

describe('callGoogle', () => {
  const ctx = { service: 'bigquery' as const, location: 'bigquery:p.d.t', settings: { timeoutMs: 200, retries: 3 } };
  const read = { what: 'read', permission: 'x.get', role: 'roles/x', idempotent: true };

  it('retries a safe call on 503, not an unsafe one', async () => {
    let calls = 0;
    const flaky = async (): Promise<string> => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('unavailable'), { code: 503 });
      return 'ok';
    };
    expect(await callGoogle(ctx, read, flaky)).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(callGoogle(ctx, { ...read, idempotent: false }, flaky)).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    expect(calls).toBe(1);
  });

  it('bounds a call that never settles, and does not retry it', async () => {
    let calls = 0;
    await expect(callGoogle(ctx, read, () => ((calls += 1), new Promise(() => {})))).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    expect(calls).toBe(1);
  });

  it('withDeadline destroys the requests to the named host that the attempt started', async () => {
    const server = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let closed = false;
    server.on('connection', (s) => s.on('close', () => (closed = true)));
    try {
      await expect(withDeadline(() => fetchViaHttp(port), 150, '127.0.0.1')).rejects.toBeInstanceOf(DeadlineError);
      await expect.poll(() => closed, { timeout: 30_000 }).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

/** A GET with node:http and no timeout of its own, like the BigQuery client's fetch. */
async function fetchViaHttp(port: number): Promise<void> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, () => resolve()).on('error', reject);
  });
}

describe('lazy loading', () => {
  it('importing the cloud adapter modules loads no Google SDK; calling a factory does', async () => {
    const script = `
      const { createRequire } = await import('node:module');
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).filter((k) => /@google-cloud|google-auth-library|google-gax/.test(k)).length;
      await import('./src/adapters/manifest/gcs.ts');
      await import('./src/adapters/artifacts/gcs.ts');
      await import('./src/adapters/registry/bigquery.ts');
      await import('./src/adapters/deployment/cloud-run.ts');
      for (const m of ['auth', 'call', 'context', 'endpoints', 'errors', 'storage']) await import('./src/adapters/google/' + m + '.ts');
      const before = loaded();
      const { createGcsArtifactStore } = await import('./src/adapters/artifacts/gcs.ts');
      const store = await createGcsArtifactStore({ root: '/', env: { MODELGOV_GCS_ENDPOINT: 'http://127.0.0.1:1' } });
      await store.hash('gs://some-bucket/x').catch(() => {});
      console.log(JSON.stringify({ before, after: loaded() }));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    });
    const { before, after } = JSON.parse(stdout.trim().split('\n').pop()!) as { before: number; after: number };
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
