/**
 * `main(argv, { env })` run in-process must behave as a process started with that environment:
 * the Google adapters take credentials and endpoints from the injected environment, not from
 * the test process's own `process.env`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutAdc } from '../fakes/cloud-test-helpers.js';
import { run } from '../helpers/cli.js';
import { copyExample } from '../helpers/example.js';
import { outsideDir } from '../escapes/helpers.js';

/** The example with one location moved to the cloud (no endpoint override: the real service). */
function cloudRepo(edit: (config: any) => void): string {
  const dir = copyExample({ git: false });
  const file = join(dir, 'modelgov.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.timeoutMs = 2000;
  delete config.systems[0].deployment;
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  return dir;
}

const cases: [string, string, (c: any) => void][] = [
  ['a gs:// manifest', 'sync', (c) => (c.systems[0].manifest = 'gs://some-bucket/manifest.json')],
  ['a BigQuery registry', 'list', (c) => (c.registry = 'bigquery:my-project.ml.model_registry')],
];

describe('credentials come from the injected environment', () => {
  it.each(cases)('with %s: GOOGLE_APPLICATION_CREDENTIALS given only to main() is the key file used', async (_what, command, edit) => {
    const dir = cloudRepo(edit);
    const key = join(outsideDir(), 'key.json');
    writeFileSync(key, 'this is not json');
    await withoutAdc(async () => {
      expect(process.env.GOOGLE_APPLICATION_CREDENTIALS).toBeUndefined();
      const r = await run(dir, [command], {
        GOOGLE_APPLICATION_CREDENTIALS: key,
        MODELGOV_GCS_ENDPOINT: '',
        STORAGE_EMULATOR_HOST: '',
        MODELGOV_BIGQUERY_ENDPOINT: '',
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`GOOGLE_APPLICATION_CREDENTIALS=${key}`);
      expect(r.stderr).toMatch(/fix: Point GOOGLE_APPLICATION_CREDENTIALS at a valid service-account key file/);
    });
  });
});

describe('endpoint-override warnings go where the caller says, once per environment', () => {
  it('a BigQuery override off this machine: one line through opts.warn per environment, none on process.stderr', async () => {
    const { createBigQueryRegistry } = await import('../../src/adapters/registry/bigquery.js');
    const lines: string[] = [];
    const warn = (line: string) => void lines.push(line);
    // Creating the registry reads the override; no request is sent until a method is called.
    const env = { MODELGOV_BIGQUERY_ENDPOINT: 'http://bq.example.test' };
    await createBigQueryRegistry('bigquery:my-project.ml.model_registry', { root: '/', env, warn });
    await createBigQueryRegistry('bigquery:my-project.ml.model_registry', { root: '/', env, warn });
    expect(lines).toEqual(['modelgov: warning: MODELGOV_BIGQUERY_ENDPOINT points at bq.example.test, not this machine; BigQuery requests go there.']);
    // Another run with its own environment (another in-process main() call) is told again.
    await createBigQueryRegistry('bigquery:my-project.ml.model_registry', { root: '/', env: { ...env }, warn });
    expect(lines).toHaveLength(2);
  });
});
