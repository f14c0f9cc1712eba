/**
 * Helpers shared by the cloud adapter tests (test/cloud): the error a call rejects with, and a
 * process environment without Application Default Credentials.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isModelgovError } from '../../src/errors.js';

/** The ModelgovError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function failure(p: Promise<unknown>): Promise<Error & { code?: string; fix?: string; details?: string[] }> {
  try {
    await p;
  } catch (err) {
    if (!isModelgovError(err)) throw err;
    return err;
  }
  throw new Error('expected a ModelgovError, but the call succeeded');
}

/**
 * Runs `fn` with no Application Default Credentials to find: GOOGLE_APPLICATION_CREDENTIALS unset
 * and CLOUDSDK_CONFIG an empty directory (so a developer's gcloud login is not picked up).
 * Restores both afterwards.
 */
export async function withoutAdc(fn: () => Promise<void>): Promise<void> {
  const keys = ['GOOGLE_APPLICATION_CREDENTIALS', 'CLOUDSDK_CONFIG'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  process.env.CLOUDSDK_CONFIG = mkdtempSync(join(tmpdir(), 'modelgov-no-adc-'));
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
