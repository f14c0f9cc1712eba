import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, run } from '../helpers/cli.js';
import { EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { hermeticEnv } from './helpers.js';
import { BYPASS, commitFiles, editConfig, manifestWithMae, push, pushedExample, remoteRef, serviceServingRetrain } from './push-helpers.js';

/** git adds its own "failed to push" line after the hook's output. */
function lastModelgovLine(stderr: string): string {
  return stderr.split('\n').filter((l) => l.startsWith('modelgov:')).at(-1) ?? '';
}

// The pre-push hook judges what is pushed (git's refs on stdin, content from git objects at each
// pushed tip), never the working tree, under the prePush policy. Real git, a local bare remote.
describe('hook pre-push: the pushed commits, not the working tree', () => {
  it('a stale committed section is blocked although the working copy was regenerated; the output names the ref and commit', async () => {
    const { dir, remote } = await pushedExample();
    const stale = commitFiles(dir, 'manifest: mae 4.2 (docs not regenerated)', { [EXAMPLE_MANIFEST]: manifestWithMae(dir, 4.2) });
    expect((await run(dir, ['docs'])).code).toBe(0); // the working CLAUDE.md is fresh, but not committed
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain('| MAE | 4.2 |');

    const r = push(dir, ['origin', 'main']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/BLOCK\s+docs\s+catboost_v9\s+CLAUDE\.md/);
    expect(r.stderr).toContain(`main @ ${stale.slice(0, 12)}`);
    const last = lastModelgovLine(r.stderr);
    expect(last).toMatch(/^modelgov: push blocked by 1 finding\(s\) \(docs\) in main @ [0-9a-f]{12}: apply the fixes above, or /);
    expect(last).toContain(BYPASS);
    expect(remoteRef(remote, 'refs/heads/main')).not.toBe(stale);
  });

  it('a clean branch goes through while the manifest has an uncommitted, invalid WIP edit', async () => {
    const { dir, remote } = await pushedExample();
    const head = commitFiles(dir, 'readme tweak', { 'README.md': 'a clean change\n' });
    writeFileSync(join(dir, EXAMPLE_MANIFEST), '{ "production_model": WIP');
    writeFileSync(join(dir, 'modelgov.config.json'), '{ "systems": [] WIP');
    const r = push(dir, ['origin', 'main']);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain('no drift blocks this push');
    expect(remoteRef(remote, 'refs/heads/main')).toBe(head);
  });

  it('a deletion (git push origin :old-branch) checks nothing and goes through, whatever the working tree holds', async () => {
    const { dir, remote } = await pushedExample();
    runGit(dir, 'push', '-q', '--no-verify', 'origin', 'main:old-branch');
    writeFileSync(join(dir, EXAMPLE_MANIFEST), '{ "production_model": WIP');
    const r = push(dir, ['origin', ':old-branch']);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain('old-branch: deleted on the remote, nothing to check.');
    expect(remoteRef(remote, 'refs/heads/old-branch')).toBe('');
  });

  it('a new branch: only its own commits count; a bad model file name added there blocks it', async () => {
    const { dir, remote } = await pushedExample();
    runGit(dir, 'checkout', '-q', '-b', 'feature');
    const ok = commitFiles(dir, 'feature work', { 'feature.txt': 'x\n' });
    const clean = push(dir, ['origin', 'feature']);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.stderr).toContain(`feature @ ${ok.slice(0, 12)} (1 new commit(s))`);

    runGit(dir, 'checkout', '-q', '-b', 'feature-2');
    const bad = commitFiles(dir, 'a model file with a bad name', { 'models/catboost_v9/catboost_v9_final.cbm': 'x' });
    const r = push(dir, ['origin', 'feature-2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/BLOCK\s+filename\s+catboost_v9\s+models\/catboost_v9\/catboost_v9_final\.cbm/);
    expect(r.stderr).toContain(`feature-2 @ ${bad.slice(0, 12)}`);
    expect(remoteRef(remote, 'refs/heads/feature-2')).toBe('');
  });

  it('two refs in one push: the clean one is not blamed, the stale one blocks and is named', async () => {
    const { dir, remote } = await pushedExample();
    const mainTip = commitFiles(dir, 'readme', { 'README.md': 'main change\n' });
    runGit(dir, 'checkout', '-q', '-b', 'stale-docs', 'HEAD~1');
    const staleTip = commitFiles(dir, 'manifest without docs', { [EXAMPLE_MANIFEST]: manifestWithMae(dir, 4.3) });
    runGit(dir, 'checkout', '-q', 'main');
    runGit(dir, 'tag', '-a', '-m', 'release', 'v1', 'main');

    const r = push(dir, ['origin', 'main', 'stale-docs', 'v1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`stale-docs @ ${staleTip.slice(0, 12)}`);
    expect(r.stderr).not.toContain(`main @ ${mainTip.slice(0, 12)}`);
    expect(remoteRef(remote, 'refs/heads/main')).not.toBe(mainTip); // git refuses the whole push

    runGit(dir, 'branch', '-q', '-D', 'stale-docs');
    const ok = push(dir, ['origin', 'main', 'v1']);
    expect(ok.code, ok.out).toBe(0);
    expect(remoteRef(remote, 'refs/tags/v1^{commit}')).toBe(mainTip);
  });

  it('git\'s arguments and stdin are accepted by hand too; extra arguments to hook pre-commit as well', async () => {
    const { dir, remote } = await pushedExample();
    const stale = commitFiles(dir, 'manifest without docs', { [EXAMPLE_MANIFEST]: manifestWithMae(dir, 4.4) });
    const base = runGit(dir, 'rev-parse', 'origin/main');
    const r = spawnSync(process.execPath, [BIN, 'hook', 'pre-push', 'origin', remote], {
      cwd: dir,
      input: `refs/heads/main ${stale} refs/heads/main ${base}\n`,
      encoding: 'utf8',
      env: hermeticEnv(),
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`main @ ${stale.slice(0, 12)}`);
    // Run by hand without stdin: HEAD against its upstream, the same verdict.
    const byHand = await run(dir, ['hook', 'pre-push']);
    expect(byHand.code).toBe(1);
    expect(byHand.stderr).toContain(`main @ ${stale.slice(0, 12)}`);
    const extra = await run(dir, ['hook', 'pre-commit', 'README.md', '--some-flag']);
    expect(extra.code, extra.stderr).toBe(0);
    expect(extra.stderr).not.toContain('too many arguments');
  });
});

describe('hook pre-push: the policy', () => {
  it('deployment-model drift warns for a push that does not touch the system and blocks one that touches its manifest', async () => {
    const { dir, remote } = await pushedExample();
    commitFiles(dir, 'deploy: the feb 02 retrain', { 'deploy/prediction-worker.yaml': serviceServingRetrain(dir) });
    runGit(dir, 'push', '-q', '--no-verify', 'origin', 'main');

    const readme = commitFiles(dir, 'readme only', { 'README.md': 'unrelated\n' });
    const r = push(dir, ['origin', 'main']);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/modelgov: warning: \[deployment-model\] catboost_v9: .*catboost_v9_feb_02_retrain\.cbm.*fix: gcloud run services update prediction-worker/);
    expect(remoteRef(remote, 'refs/heads/main')).toBe(readme);

    writeFileSync(join(dir, EXAMPLE_MANIFEST), manifestWithMae(dir, 4.81));
    expect((await run(dir, ['docs'])).code).toBe(0);
    runGit(dir, 'commit', '-q', '--no-verify', '-am', 'manifest: mae 4.81, docs regenerated');
    const blocked = push(dir, ['origin', 'main']);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/BLOCK\s+deployment-model\s+catboost_v9/);
    expect(lastModelgovLine(blocked.stderr)).toMatch(/push blocked by 1 finding\(s\) \(deployment-model\)/);
    expect(remoteRef(remote, 'refs/heads/main')).toBe(readme);
  });

  it('deployment-code drift warns by default and blocks with "deployment-code": "block"; "off" silences a kind', async () => {
    const { dir } = await pushedExample();
    commitFiles(dir, 'shared: new feature', { 'shared/features.py': '# changed\n' });
    const r = push(dir, ['--dry-run', 'origin', 'main']);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/warning: \[deployment-code\] catboost_v9: 1 commit\(s\) since/);

    commitFiles(dir, 'policy: code drift blocks', { 'modelgov.config.json': editConfig(dir, (c) => (c.prePush = { 'deployment-code': 'block' })) });
    const blocked = push(dir, ['--dry-run', 'origin', 'main']);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/BLOCK\s+deployment-code/);

    commitFiles(dir, 'policy: code drift off', { 'modelgov.config.json': editConfig(dir, (c) => (c.prePush = { 'deployment-code': 'off' })) });
    const off = push(dir, ['--dry-run', 'origin', 'main']);
    expect(off.code, off.out).toBe(0);
    expect(off.stderr).not.toContain('deployment-code');
  });

  it('an unreachable source warns in the hook (CI enforces it); prePush.offline "fail" blocks', async () => {
    const { dir } = await pushedExample();
    const env = hermeticEnv({ MODELGOV_CLOUDRUN_ENDPOINT: 'http://127.0.0.1:9' });
    commitFiles(dir, 'deployment in the cloud', {
      'modelgov.config.json': editConfig(dir, (c) => {
        c.systems[0].deployment.service = 'cloudrun:nba-props-platform/us-west2/prediction-worker';
        c.timeoutMs = 2000;
      }),
    });
    const r = push(dir, ['--dry-run', 'origin', 'main'], env);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/warning: \[offline\] not checked: cloudrun:nba-props-platform\/us-west2\/prediction-worker/);
    expect(r.stderr).toContain('CI enforces it');

    commitFiles(dir, 'offline fails', { 'modelgov.config.json': editConfig(dir, (c) => (c.prePush = { offline: 'fail' })) });
    const blocked = push(dir, ['--dry-run', 'origin', 'main'], env);
    expect(blocked.code).not.toBe(0);
    // A refused connection never answers: the Cloud Run source is unreachable however busy the machine is.
    expect(blocked.stderr).toMatch(/push blocked: \d source\(s\) could not be read and prePush\.offline is "fail"/);
    expect(blocked.stderr).toMatch(/^ {2}cloudrun:nba-props-platform\/us-west2\/prediction-worker: /m);
    expect(blocked.stderr).toContain(BYPASS);
  });
});
