import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { copyExample, REPO_ROOT } from '../helpers/example.js';
import { editConfig, outsideDir } from './helpers.js';

/** The example with its manifest on GCS (no deployment), so `sync` must reach Cloud Storage. */
function gcsRepo(): string {
  const dir = copyExample({ git: false });
  editConfig(dir, (c) => {
    c.timeoutMs = 2000;
    c.systems[0].manifest = 'gs://some-bucket/manifest.json';
    delete c.systems[0].deployment;
  });
  return dir;
}

// Spawned: the Cloud Storage client that reads a gs:// manifest warns about an override on the
// process's stderr (an in-process main() run does not see that line), and the test setup's
// loopback guard refuses 0.0.0.0 inside the test process, where the kernel refuses it for a child.
describe('issue 10 item 9: endpoint overrides and credentials', () => {
  it('an override at a host that is not this machine: one warning naming the variable and host; the password is never echoed', () => {
    // 0.0.0.0:1 is refused at once by this machine's kernel: no packet leaves it.
    const r = cli(gcsRepo(), ['sync'], { MODELGOV_GCS_ENDPOINT: 'http://admin:s3cret-pw@0.0.0.0:1' });
    expect(r.code).toBe(2);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('modelgov: warning:'));
    expect(warnings).toEqual(['modelgov: warning: MODELGOV_GCS_ENDPOINT points at 0.0.0.0:1, not this machine; Cloud Storage requests go there.']);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pw');
  });

  it('STORAGE_EMULATOR_HOST counts too; loopback hosts get no warning', () => {
    const r = cli(gcsRepo(), ['sync'], { STORAGE_EMULATOR_HOST: '0.0.0.0:1' });
    expect(r.stderr).toContain('modelgov: warning: STORAGE_EMULATOR_HOST points at 0.0.0.0:1');
    for (const host of ['127.0.0.1:1', 'localhost:1', '[::1]:1']) {
      expect(cli(gcsRepo(), ['sync'], { MODELGOV_GCS_ENDPOINT: `http://${host}` }).stderr).not.toContain('warning');
    }
  });

  it('a malformed override with a password: the error does not echo it', () => {
    const r = cli(gcsRepo(), ['sync'], { MODELGOV_GCS_ENDPOINT: 'ftp://admin:s3cret-pw@example.com' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MODELGOV_GCS_ENDPOINT');
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it.each([
    ['not JSON', 'this is not json'],
    ['JSON without a key', '{"type": "service_account"}'],
  ])('GOOGLE_APPLICATION_CREDENTIALS at a file that is %s: a credentials error with a fix, not "a modelgov bug"', (_what, content) => {
    const file = join(outsideDir(), 'key.json');
    writeFileSync(file, content);
    const r = cli(gcsRepo(), ['sync'], { GOOGLE_APPLICATION_CREDENTIALS: file, MODELGOV_GCS_ENDPOINT: '', STORAGE_EMULATOR_HOST: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`GOOGLE_APPLICATION_CREDENTIALS=${file}`);
    expect(r.stderr).toMatch(/fix: Point GOOGLE_APPLICATION_CREDENTIALS at a valid service-account key file/);
    expect(r.stderr).not.toMatch(/bug in modelgov|report it/i); // not /bug/: the random temp dir name may hold it
  });

  it('MetadataLookupWarning from google-auth-library is not printed; other warnings are', () => {
    const script = `await import(${JSON.stringify(join(REPO_ROOT, 'src/adapters/google/auth.ts'))}); process.emitWarning('probe failed', 'MetadataLookupWarning'); process.emitWarning('still shown', 'OtherWarning');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('MetadataLookupWarning');
    expect(r.stderr).toContain('OtherWarning: still shown');
  });
});
