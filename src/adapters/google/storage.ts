/**
 * Cloud Storage access shared by the manifest store and the artifact store: a configured client
 * and a streamed object read. The storage SDK is imported when a client is opened, not at load.
 */
import type { File, Storage } from '@google-cloud/storage';
import type { AdapterOptions } from '../../ports.js';
import { type CredentialsCheck, credentialsCheck, keyFileOptions, readKeyFile } from './auth.js';
import { callSettings } from './call.js';
import type { GoogleContext } from './context.js';
import { GOOGLE_SERVICES, endpointOverride } from './endpoints.js';
import { DeadlineError } from './errors.js';

/** A Storage client configured for modelgov: override, auth, no library retries, our timeout. */
export async function openStorage(
  opts: AdapterOptions,
  location: string,
): Promise<{ storage: Storage; ctx: GoogleContext; ensureCredentials: CredentialsCheck }> {
  const endpoint = endpointOverride('gcs', opts.env, opts.warn);
  const settings = callSettings(opts);
  // An override needs no credentials; an injected client brings its own.
  const skipCredentials = Boolean(endpoint) || opts.authClient !== undefined;
  const key = skipCredentials ? undefined : readKeyFile(opts.env);
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    // With an override the client sends JSON API calls to <endpoint>/storage/v1/…, uploads to
    // <endpoint>/upload/storage/v1/…, and no Authorization header (its emulator mode), so no
    // credentials are looked up. fake-gcs-server serves exactly these paths. The endpoint is
    // always given: the client would otherwise take STORAGE_EMULATOR_HOST from process.env,
    // and the override is modelgov's to choose, from its own environment (opts.env).
    apiEndpoint: endpoint?.url ?? GOOGLE_SERVICES.gcs.defaultUrl,
    // The real endpoint is authenticated even if process.env names an emulator (which makes the
    // client treat any endpoint as custom).
    useAuthWithCustomEndpoint: !endpoint,
    // An injected client must suit the storage client's own google-auth-library (9.x).
    ...(opts.authClient && !endpoint ? { authClient: opts.authClient as never } : {}),
    ...keyFileOptions(key),
    // Retries are ours (bounded, short backoff); the library's start at 1 s and grow.
    retryOptions: { autoRetry: false },
    timeout: settings.timeoutMs,
  });
  // The client takes STORAGE_EMULATOR_HOST verbatim as the JSON API base (no /storage/v1), which
  // fake-gcs-server and our fake do not serve, while uploads do get /upload/storage/v1. Pin the
  // JSON base to <endpoint>/storage/v1 so every spelling of the variable reaches the same paths.
  (storage as unknown as { baseUrl: string }).baseUrl = `${storage.apiEndpoint}/storage/v1`;
  const ctx: GoogleContext = { service: 'gcs', location, endpoint, settings };
  // Without credentials the storage client sends the request unauthenticated: check first.
  const ensureCredentials = credentialsCheck(
    () => (storage as unknown as { authClient: { getClient(): Promise<unknown> } }).authClient.getClient(),
    ctx,
    skipCredentials,
    key,
  );
  return { storage, ctx, ensureCredentials };
}

/**
 * Streams one object: `onData` per chunk, resolves with the response headers. Bounded by
 * inactivity (no byte for `idleMs`), not by total time, so large artifacts are fine on slow links.
 */
export function streamObject(
  file: File,
  idleMs: number,
  onData: (chunk: Buffer, headers: Record<string, string>) => void,
): Promise<{ headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let headers: Record<string, string> = {};
    const stream = file.createReadStream();
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => stream.destroy(new DeadlineError(idleMs)), idleMs);
    };
    arm();
    stream.on('response', (res: { headers?: Record<string, string> }) => {
      headers = res.headers ?? {};
      arm();
    });
    stream.on('data', (chunk: Buffer) => {
      arm();
      onData(chunk, headers);
    });
    stream.on('end', () => {
      clearTimeout(timer);
      resolve({ headers });
    });
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
