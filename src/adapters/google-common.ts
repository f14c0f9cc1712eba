/**
 * What the three Google Cloud adapters (GCS, BigQuery, Cloud Run) share: endpoint overrides for
 * emulators and tests, the placeholder token sent to them, bounded timeouts and retries, and the
 * translation of client-library errors into ModelgovErrors that name the fix.
 *
 * Nothing here imports a Google SDK at module top level: the CLI loads this file only when a
 * cloud location is configured, and even then `google-auth-library` is imported only when a
 * placeholder token is needed.
 */
import type { File, Storage } from '@google-cloud/storage';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { ModelgovError } from '../errors.js';
import type { AdapterOptions } from '../ports.js';

// google-auth-library warns (MetadataLookupWarning) whenever it probes for a GCE metadata server
// and finds none, i.e. on every laptop: noise on stderr that says nothing to a modelgov user.
// Only that one warning type is dropped; every other warning still prints.
const emitWarning = process.emitWarning;
process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
  const opt = rest[0] as string | { type?: string } | undefined;
  const type = typeof opt === 'string' ? opt : opt?.type;
  if (type === 'MetadataLookupWarning' || (warning instanceof Error && warning.name === 'MetadataLookupWarning')) return;
  return (emitWarning as (...a: unknown[]) => void).call(this, warning, ...rest);
} as typeof process.emitWarning;

/** An endpoint URL with any `user:password@` replaced by `***@`: never echo a secret. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/** Hosts that are this machine: an override pointing elsewhere gets a warning. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1';
}

const warnedOverrides = new Set<string>();

export type GoogleService = 'gcs' | 'bigquery' | 'cloudrun';

interface ServiceInfo {
  label: string;
  /** modelgov's override variable. */
  variable: string;
  /** Other variables honoured, in order after `variable`. */
  aliases: readonly string[];
  defaultUrl: string;
  /** Path suffix users sometimes include in a base URL; stripped so both spellings work. */
  apiPath?: string;
}

export const GOOGLE_SERVICES: Record<GoogleService, ServiceInfo> = {
  gcs: {
    label: 'Cloud Storage',
    variable: 'MODELGOV_GCS_ENDPOINT',
    aliases: ['STORAGE_EMULATOR_HOST'],
    defaultUrl: 'https://storage.googleapis.com',
    apiPath: '/storage/v1',
  },
  bigquery: {
    label: 'BigQuery',
    variable: 'MODELGOV_BIGQUERY_ENDPOINT',
    aliases: [],
    defaultUrl: 'https://bigquery.googleapis.com',
    apiPath: '/bigquery/v2',
  },
  cloudrun: {
    label: 'Cloud Run',
    variable: 'MODELGOV_CLOUDRUN_ENDPOINT',
    aliases: [],
    defaultUrl: 'https://run.googleapis.com',
  },
};

/** An endpoint override in effect: a base URL and the variable it came from. */
export interface Endpoint {
  /** Base URL without trailing slash or API path, e.g. `http://127.0.0.1:4443`. */
  url: string;
  /** Variable that set it, for messages. */
  variable: string;
}

/**
 * The endpoint override for `service` from `env`, or undefined for the real service.
 * A value without a scheme (`localhost:4443`, as the Go and Python storage clients accept for
 * STORAGE_EMULATOR_HOST) means plain http: emulators do not speak TLS. A trailing API path
 * (`/storage/v1`, `/bigquery/v2`) is accepted and stripped.
 */
export function endpointOverride(service: GoogleService, env: NodeJS.ProcessEnv): Endpoint | undefined {
  const info = GOOGLE_SERVICES[service];
  for (const variable of [info.variable, ...info.aliases]) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" is not a URL.`, {
        fix: `Set ${variable} to a base URL such as http://127.0.0.1:4443, or unset it to use the real ${info.label}.`,
      });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" must be an http:// or https:// URL.`, {
        fix: `Set ${variable} to a base URL such as http://127.0.0.1:4443.`,
      });
    }
    let path = parsed.pathname.replace(/\/+$/, '');
    if (info.apiPath && path.endsWith(info.apiPath)) path = path.slice(0, -info.apiPath.length);
    if (service === 'cloudrun' && path !== '') {
      // The gax REST transport takes host and port only; a path prefix would be dropped silently.
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" has a path; Cloud Run endpoints are scheme://host:port.`, {
        fix: `Set ${variable} to e.g. http://127.0.0.1:8085.`,
      });
    }
    // An emulator override is meant for this machine; pointing it elsewhere sends every request
    // (and the placeholder token) to that host. Allowed, but never silently: one line per variable.
    if (!isLoopbackHost(parsed.hostname) && !warnedOverrides.has(variable)) {
      warnedOverrides.add(variable);
      process.stderr.write(`modelgov: warning: ${variable} points at ${parsed.host}, not this machine; ${info.label} requests go there.\n`);
    }
    return { url: `${parsed.protocol}//${parsed.host}${path}`, variable };
  }
  return undefined;
}

/**
 * An auth client that sends a fixed placeholder token and never looks up credentials, for
 * emulators and fakes (the BigQuery and Cloud Run clients authenticate even against a custom
 * endpoint, and without this they would search for Application Default Credentials).
 */
export async function placeholderAuthClient(): Promise<unknown> {
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'placeholder', expiry_date: Date.now() + 3.6e6 });
  return client;
}

/** Per-request bound and retry budget, from the adapter options. */
export interface CallSettings {
  timeoutMs: number;
  retries: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_RETRIES = 3;

export function callSettings(opts: Pick<AdapterOptions, 'timeoutMs' | 'retries'>): CallSettings {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = opts.retries ?? DEFAULT_RETRIES;
  // Bounded like the config schema: above 2^31 ms a timer fires at once, below 100 ms nothing answers.
  if (!Number.isInteger(timeoutMs) || timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
    throw new ModelgovError('CONFIG_INVALID', `timeoutMs must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS} milliseconds, got ${timeoutMs}.`, {
      fix: 'Set "timeoutMs" in modelgov.config.json to a value from 100 (0.1 s) to 600000 (10 min), or remove it for the default 10000.',
    });
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new ModelgovError('CONFIG_INVALID', `retries must be an integer from 0 to 10, got ${retries}.`);
  }
  return { timeoutMs, retries };
}

/** Everything an error message needs to name the place and the fix. */
export interface GoogleContext {
  service: GoogleService;
  /** The configured location string (`gs://…`, `bigquery:…`, `cloudrun:…`). */
  location: string;
  /** Override in effect, if any. */
  endpoint?: Endpoint;
  settings: CallSettings;
}

/** One kind of call: what it does (for messages), what IAM it needs, whether it may be retried. */
export interface Operation {
  /** Infinitive phrase: "read the manifest", "run the registry MERGE". */
  what: string;
  /** IAM permission the call needs, e.g. `storage.objects.get`. */
  permission: string;
  /** Predefined role that grants it, e.g. `roles/storage.objectViewer`. */
  role: string;
  /** Reads and idempotent writes may be retried on 408/429/5xx. */
  idempotent: boolean;
}

/** Raised by `withDeadline` when a request got no answer in time. */
export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** What a client-library error is, independent of which library threw it. */
export interface Classified {
  /** HTTP status, also derived from gRPC codes the REST transport reports. */
  status?: number;
  /** System error code of a failed connection (ECONNREFUSED, ENOTFOUND, …). */
  network?: string;
  timeout?: boolean;
  noCredentials?: boolean;
  /** Google error reason (`rateLimitExceeded`, `notFound`, `conditionNotMet`, …). */
  reason?: string;
  /** The service's own message. */
  message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
/** Connection failures worth retrying: the server was reached or may be restarting, not absent. */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
/** gRPC status → HTTP status, for errors of the gax REST transport (Cloud Run). */
const GRPC_TO_HTTP: Record<number, number> = {
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};
/** BigQuery answers 403 for rate limits; those are transient, not a permission problem. */
const RETRYABLE_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError', 'jobRateLimitExceeded']);

/**
 * Classify any error of the storage, BigQuery or gax clients (or of fetch underneath). The
 * Storage and BigQuery clients put the HTTP status in `code`; gax puts a gRPC code there, so
 * `grpc` says how to read a numeric code.
 */
export function classify(err: unknown, grpc = false): Classified {
  const out: Classified = { message: serviceMessage(err instanceof Error ? err.message : String(err)) };
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 5) return;
    seen.add(e);
    const any = e as Record<string, any>;
    if (e instanceof DeadlineError) out.timeout = true;
    if (any.type === 'request-timeout' || any.type === 'body-timeout' || any.name === 'TimeoutError') out.timeout = true;
    const msg = typeof any.message === 'string' ? any.message : '';
    // BigQuery: the job outlived the server-side wait we asked for.
    if (/did not complete before \d+ ?ms/.test(msg)) out.timeout = true;
    if (/Could not load the default credentials|Unable to detect a Project Id|invalid_grant|invalid_rapt|Could not refresh access token|reauth/i.test(msg)) {
      out.noCredentials = true;
    }
    if (typeof any.code === 'string' && NETWORK_CODES.has(any.code)) out.network ??= any.code;
    if (typeof any.errno === 'string' && NETWORK_CODES.has(any.errno)) out.network ??= any.errno;
    if (out.status === undefined) {
      if (typeof any.code === 'number') {
        out.status = grpc && any.code < 100 ? GRPC_TO_HTTP[any.code] : any.code >= 100 ? any.code : undefined;
      } else if (typeof any.status === 'number' && any.status >= 100) {
        out.status = any.status;
      } else if (typeof any.response?.status === 'number') {
        out.status = any.response.status;
      } else if (typeof any.response?.statusCode === 'number') {
        out.status = any.response.statusCode;
      }
    }
    const errors = Array.isArray(any.errors) ? any.errors : undefined;
    const reason = errors?.find((x: any) => typeof x?.reason === 'string')?.reason;
    if (reason) out.reason ??= reason;
    if (errors) for (const x of errors) visit(x, depth + 1);
    visit(any.cause, depth + 1);
  };
  visit(err, 0);
  return out;
}

/** The gax REST transport puts the whole JSON error body in `message`; keep its text only. */
function serviceMessage(message: string): string {
  if (!message.trimStart().startsWith('{')) return message;
  try {
    const body = JSON.parse(message) as { error?: { message?: string } };
    return body.error?.message ?? message;
  } catch {
    return message;
  }
}

/** Worth another attempt: throttling, server errors, a connection reset mid-way. Never a timeout. */
export function isRetryable(c: Classified): boolean {
  if (c.timeout || c.noCredentials) return false;
  if (c.reason && RETRYABLE_REASONS.has(c.reason)) return true;
  if (c.status !== undefined) return c.status === 408 || c.status === 429 || c.status >= 500;
  return c.network !== undefined && RETRYABLE_NETWORK.has(c.network);
}

function where(ctx: GoogleContext): string {
  return ctx.endpoint ? `${ctx.endpoint.url} (from ${ctx.endpoint.variable})` : GOOGLE_SERVICES[ctx.service].defaultUrl;
}

/**
 * The ModelgovError for a failed call. 404 and 412 are left to the adapter when it knows better
 * (a missing manifest, a lost race); this gives the generic text.
 */
export function toModelgovError(err: unknown, ctx: GoogleContext, op: Operation, attempts = 1): ModelgovError {
  if (err instanceof ModelgovError) return err;
  const info = GOOGLE_SERVICES[ctx.service];
  const c = classify(err, ctx.service === 'cloudrun');
  const base = { file: ctx.location, cause: err };
  const serviceSays = c.message ? ` ${info.label} said: ${c.message}` : '';
  if (c.timeout) {
    return new ModelgovError(
      'BACKEND_UNREACHABLE',
      `${info.label} at ${where(ctx)} did not answer within ${ctx.settings.timeoutMs} ms while trying to ${op.what} (${ctx.location}).`,
      {
        ...base,
        fix: ctx.endpoint
          ? `Check that the emulator at ${ctx.endpoint.url} is running and healthy, or unset ${ctx.endpoint.variable}.`
          : `Check your network; if ${info.label} is only slow, raise "timeoutMs" in modelgov.config.json.`,
      },
    );
  }
  if (c.noCredentials) {
    return new ModelgovError('CREDENTIALS', `No usable Google Cloud credentials to ${op.what} (${ctx.location}).${serviceSays}`, {
      ...base,
      fix:
        'Run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file); ' +
        `the account needs ${op.permission} (${op.role}). To use an emulator instead, set ${info.variable}.`,
    });
  }
  if (c.status === undefined && c.network) {
    return new ModelgovError(
      'BACKEND_UNREACHABLE',
      `Cannot reach ${info.label} at ${where(ctx)} (${c.network}) to ${op.what} for ${ctx.location}.`,
      {
        ...base,
        fix: ctx.endpoint
          ? `Start the emulator at ${ctx.endpoint.url}, or unset ${ctx.endpoint.variable} to use the real ${info.label}.`
          : `Check your network and proxy settings. To use an emulator or a fake, set ${info.variable} to its base URL (e.g. http://127.0.0.1:4443).`,
      },
    );
  }
  if (c.status === 401) {
    return new ModelgovError('CREDENTIALS', `${info.label} rejected the credentials (401) when trying to ${op.what} (${ctx.location}).${serviceSays}`, {
      ...base,
      fix: `Refresh them with \`gcloud auth application-default login\`; the account needs ${op.permission} (${op.role}).`,
    });
  }
  if (c.status === 403 && !(c.reason && RETRYABLE_REASONS.has(c.reason)) && c.reason !== 'quotaExceeded') {
    return new ModelgovError(
      'CREDENTIALS',
      `Permission denied: to ${op.what} (${ctx.location}) the account needs ${op.permission}.${serviceSays}`,
      {
        ...base,
        fix: `Grant ${op.role} (it includes ${op.permission}) to the account, or run \`gcloud auth application-default login\` as an account that has it.`,
      },
    );
  }
  if (c.status !== undefined && (isRetryable(c) || c.reason === 'quotaExceeded')) {
    return new ModelgovError(
      'BACKEND_UNREACHABLE',
      `${info.label} at ${where(ctx)} kept failing (HTTP ${c.status}${c.reason ? ` ${c.reason}` : ''}, ${attempts} attempt${attempts === 1 ? '' : 's'}) while trying to ${op.what} (${ctx.location}).${serviceSays}`,
      { ...base, fix: 'Try again in a minute; check https://status.cloud.google.com if it persists.' },
    );
  }
  if (c.status === 404) {
    return new ModelgovError('NOT_FOUND', `${ctx.location} was not found when trying to ${op.what}.${serviceSays}`, {
      ...base,
      fix: 'Check the location in modelgov.config.json.',
    });
  }
  if (c.status === 412) {
    return new ModelgovError('CONFLICT', `${ctx.location} changed while trying to ${op.what}; nothing was written.${serviceSays}`, {
      ...base,
      fix: 'Re-run the command.',
    });
  }
  return new ModelgovError(
    'INTERNAL',
    `${info.label} refused to ${op.what} (${ctx.location})${c.status ? ` with HTTP ${c.status}` : ''}.${serviceSays}`,
    { ...base, fix: 'If the location and the table/object are as expected, report this as a modelgov bug with the message above.' },
  );
}

/** A promise-returning call that can be told to stop (gax calls have `cancel()`). */
export type Attempt<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Runs `attempt` with a deadline. On expiry the signal aborts (so the call can cancel its
 * request) and, when `host` is given, every request to it that started during the attempt is
 * destroyed: the
 * BigQuery client's fetch takes neither a timeout nor a signal, and a hung socket left behind
 * would keep the CLI process alive after it has reported the error.
 */
export async function withDeadline<T>(attempt: Attempt<T>, ms: number, host?: string): Promise<T> {
  const controller = new AbortController();
  const started: ClientRequest[] = [];
  const wanted = host?.replace(/^\[|\]$/g, '');
  const onStart = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    if (request && String(request.host ?? '').replace(/^\[|\]$/g, '') === wanted) started.push(request);
  };
  const channel = diagnostics.channel('http.client.request.start');
  if (wanted) channel.subscribe(onStart);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      attempt(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new DeadlineError(ms);
          controller.abort(err);
          for (const request of started) {
            if (!request.destroyed) request.destroy(err);
          }
          reject(err);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (wanted) channel.unsubscribe(onStart);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Short exponential backoff with jitter: ~100, 200, 400 ms … capped at 2 s. */
export function backoffMs(attempt: number): number {
  const base = Math.min(2_000, 100 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * Runs one call with the context's deadline per attempt and, when `op.idempotent`, retries
 * transient failures (408/429/5xx, rate-limit reasons, connection resets) with short backoff.
 * Timeouts are not retried: a hung backend would multiply the wait, and the bound is what the
 * user configured. Failures come out as ModelgovErrors whose `cause` is the library error, so an
 * adapter can reword a NOT_FOUND or CONFLICT with what it knows.
 *
 * `destroyRequestsTo` (a hostname) makes a timeout also destroy the requests to that host that
 * started during the attempt; only needed for clients that cannot cancel (BigQuery).
 */
export async function callGoogle<T>(
  ctx: GoogleContext,
  op: Operation,
  attempt: Attempt<T>,
  options: {
    destroyRequestsTo?: string;
    /** The attempt bounds itself by inactivity (long downloads); no overall deadline. */
    selfTimed?: boolean;
    onRetry?: (attempt: number, c: Classified) => void;
  } = {},
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return options.selfTimed
        ? await attempt(new AbortController().signal)
        : await withDeadline(attempt, ctx.settings.timeoutMs, options.destroyRequestsTo);
    } catch (err) {
      const c = classify(err, ctx.service === 'cloudrun');
      if (op.idempotent && n < ctx.settings.retries && isRetryable(c)) {
        options.onRetry?.(n + 1, c);
        await sleep(backoffMs(n));
        continue;
      }
      throw toModelgovError(err, ctx, op, n + 1);
    }
  }
}

/** The library error behind a ModelgovError from `callGoogle`, classified. */
export function causeOf(err: unknown, ctx: GoogleContext): Classified | undefined {
  if (!(err instanceof ModelgovError) || err.cause === undefined) return undefined;
  return classify(err.cause, ctx.service === 'cloudrun');
}

// ---------------------------------------------------------------------------------------------
// Cloud Storage, shared by the manifest store and the artifact store.


/** `gs://bucket/object` split, or a CONFIG_INVALID error naming the expected form. */
export function parseGsUri(uri: string): { bucket: string; object: string } {
  const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])\/(.+)$/.exec(uri);
  if (!m) {
    throw new ModelgovError('CONFIG_INVALID', `"${uri}" is not a Cloud Storage location.`, {
      file: uri,
      fix: 'Write it as gs://<bucket>/<object>, e.g. gs://my-models/catboost/v9/manifest.json.',
    });
  }
  return { bucket: m[1], object: m[2] };
}

/** The check `credentialsCheck` returns: `at` names the location in the error (default: the client's). */
export type CredentialsCheck = (op: Operation, at?: GoogleContext) => Promise<void>;

/**
 * Checks once that credentials exist before the first real-service request, so a missing login
 * is CREDENTIALS ("run gcloud auth application-default login") before any connection, instead of
 * an unauthenticated request's "anonymous caller" 401 or a hang. `getClient` asks the SDK's own
 * auth client; `skip` when an auth client was injected or an endpoint override needs none. A
 * failed check is run again on the next call.
 */
export function credentialsCheck(getClient: () => Promise<unknown>, ctx: GoogleContext, skip: boolean): CredentialsCheck {
  let checked = skip;
  return async (op, at = ctx) => {
    if (checked) return;
    try {
      await getClient();
    } catch (err) {
      const c = classify(err, at.service === 'cloudrun');
      if (c.timeout || c.network || c.status !== undefined || c.noCredentials) throw toModelgovError(err, at, op);
      // Anything else the auth client throws while loading credentials is about the credentials
      // themselves (a key file that is not JSON, lacks client_email, does not exist), not a bug.
      const file = process.env.GOOGLE_APPLICATION_CREDENTIALS;
      throw new ModelgovError(
        'CREDENTIALS',
        `Google Cloud credentials could not be loaded${file ? ` from GOOGLE_APPLICATION_CREDENTIALS=${file}` : ''} to ${op.what} (${at.location}): ${c.message}`,
        {
          file: at.location,
          cause: err,
          fix: file
            ? `Point GOOGLE_APPLICATION_CREDENTIALS at a valid service-account key file (JSON, as downloaded from IAM), or unset it and run \`gcloud auth application-default login\`; the account needs ${op.permission} (${op.role}).`
            : `Run \`gcloud auth application-default login\`; the account needs ${op.permission} (${op.role}).`,
        },
      );
    }
    checked = true;
  };
}

/** A Storage client configured for modelgov: override, auth, no library retries, our timeout. */
export async function openStorage(
  opts: AdapterOptions,
  location: string,
): Promise<{ storage: Storage; ctx: GoogleContext; ensureCredentials: CredentialsCheck }> {
  const endpoint = endpointOverride('gcs', opts.env);
  const settings = callSettings(opts);
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    // With apiEndpoint the client sends JSON API calls to <endpoint>/storage/v1/…, uploads to
    // <endpoint>/upload/storage/v1/…, and no Authorization header (its emulator mode), so no
    // credentials are looked up. fake-gcs-server serves exactly these paths.
    ...(endpoint ? { apiEndpoint: endpoint.url } : {}),
    // An injected client must suit the storage client's own google-auth-library (9.x).
    ...(opts.authClient && !endpoint ? { authClient: opts.authClient as never } : {}),
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
    Boolean(endpoint) || opts.authClient !== undefined,
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
