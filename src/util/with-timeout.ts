import { ModelgovError } from '../errors.js';

/**
 * Bounds a source read: rejects with BACKEND_UNREACHABLE after `ms`. The underlying request may
 * still be running; adapters have their own timeouts, this is the guarantee the command gives.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, fix: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ModelgovError('BACKEND_UNREACHABLE', `${what} did not answer within ${ms} ms`, { file: what, fix })), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
