/**
 * Call policy for Google Cloud requests: the per-request deadline, the retry budget and its
 * backoff, and `callGoogle`, which applies them and turns failures into ModelgovErrors.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { ModelgovError } from '../../errors.js';
import type { AdapterOptions } from '../../ports.js';
import type { CallSettings, GoogleContext, Operation } from './context.js';
import { type Classified, DeadlineError, classify, isRetryable, toModelgovError } from './errors.js';

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

