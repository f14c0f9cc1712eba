/**
 * The adapters against the real Google Cloud. Runs only when MODELGOV_LIVE_PROJECT is set and
 * Application Default Credentials exist; otherwise the test is skipped and its title says why.
 * The checks run in a child process (test/fakes/live-checks.ts): this process refuses every
 * non-loopback connection.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;

/** Where google-auth-library looks for ADC, without contacting anything. */
function credentialsFile(): string | undefined {
  const explicit = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const dir = process.env.CLOUDSDK_CONFIG ?? (process.platform === 'win32' ? join(process.env.APPDATA ?? '', 'gcloud') : join(homedir(), '.config', 'gcloud'));
  const wellKnown = join(dir, 'application_default_credentials.json');
  return existsSync(wellKnown) ? wellKnown : undefined;
}

const project = process.env.MODELGOV_LIVE_PROJECT;
const skipReason = !project
  ? 'MODELGOV_LIVE_PROJECT is not set'
  : !credentialsFile()
    ? 'no Application Default Credentials (run gcloud auth application-default login or set GOOGLE_APPLICATION_CREDENTIALS)'
    : undefined;

describe('live Google Cloud', () => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}; set MODELGOV_LIVE_PROJECT and credentials to run the adapters against the real services`, () => {});
    return;
  }
  it(
    `BigQuery registry in ${project}${process.env.MODELGOV_LIVE_BUCKET ? ', GCS manifest' : ''}${process.env.MODELGOV_LIVE_CLOUDRUN ? ', Cloud Run reader' : ''}`,
    async () => {
      const env = { ...process.env };
      delete env.NODE_OPTIONS; // no loopback guard in the child: it is meant to reach Google
      delete env.METADATA_SERVER_DETECTION;
      for (const v of ['MODELGOV_GCS_ENDPOINT', 'STORAGE_EMULATOR_HOST', 'MODELGOV_BIGQUERY_ENDPOINT', 'MODELGOV_CLOUDRUN_ENDPOINT']) delete env[v];
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fakes/live-checks.ts'], { cwd: REPO, env, timeout: 240_000 });
      const results = stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { check: string; ok: boolean; detail: string });
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    },
    300_000,
  );
});
