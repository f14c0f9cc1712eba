/**
 * Error translation: what a client-library error is (whichever library threw it), whether it is
 * worth another attempt, and the ModelgovError that names the place and the fix.
 */
import { ModelgovError } from '../../errors.js';
import type { GoogleContext, Operation } from './context.js';
import { GOOGLE_SERVICES } from './endpoints.js';

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

/** The library error behind a ModelgovError from `callGoogle`, classified. */
export function causeOf(err: unknown, ctx: GoogleContext): Classified | undefined {
  if (!(err instanceof ModelgovError) || err.cause === undefined) return undefined;
  return classify(err.cause, ctx.service === 'cloudrun');
}
