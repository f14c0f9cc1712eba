import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, REPO_ROOT, runGit } from '../helpers/example.js';
import { editManifestMae, gitRun, hermeticEnv, show } from '../hooks/helpers.js';

// The real lefthook binary (a devDependency), not a stand-in: init's lines must work in it.
const LEFTHOOK = join(REPO_ROOT, 'node_modules', '.bin', 'lefthook');
const env = hermeticEnv({ LEFTHOOK_BIN: LEFTHOOK, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}${delimiter}${hermeticEnv().PATH}` });

/** The example as a team using lefthook keeps it, with modelgov installed in node_modules. */
function lefthookRepo(): string {
  const dir = copyExample();
  writeFileSync(join(dir, 'lefthook.yml'), 'pre-commit:\n  commands:\n    team-lint:\n      run: echo team-lint ran\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.modelgov/\n');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', '.bin', 'modelgov'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  return dir;
}

describe('lefthook runs modelgov through the commands init adds', () => {
  it('a commit regenerates the section; a push of a stale branch that is not HEAD is blocked, so the pushed refs reach the hook', async () => {
    expect(existsSync(LEFTHOOK), 'lefthook is a devDependency: run npm ci').toBe(true);
    const dir = lefthookRepo();
    const init = await run(dir, ['init', '--no-install']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('lefthook');
    const yml = readFileSync(join(dir, 'lefthook.yml'), 'utf8');
    expect(yml).toContain('team-lint');
    expect(yml).toContain('use_stdin: true');

    const install = spawnSync(LEFTHOOK, ['install'], { cwd: dir, env, encoding: 'utf8' });
    expect(install.status, install.stderr + install.stdout).toBe(0);
    runGit(dir, 'add', '-A');
    let r = gitRun(dir, ['commit', '-q', '-m', 'adopt modelgov'], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout + r.stderr).toContain('team-lint ran');

    // pre-commit: the committed section follows the staged manifest.
    editManifestMae(dir, 4.75);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    r = gitRun(dir, ['commit', '-q', '-m', 'new mae'], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain('4.75');

    const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'origin.git');
    runGit(tmpdir(), 'init', '-q', '--bare', remote);
    runGit(dir, 'remote', 'add', 'origin', remote);
    r = gitRun(dir, ['push', '-q', 'origin', 'HEAD:refs/heads/main'], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);

    // A branch whose section is stale (committed past the hooks), pushed while HEAD is clean:
    // only git's stdin says which commits are pushed (run by hand the hook would judge HEAD).
    const head = runGit(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
    runGit(dir, 'checkout', '-q', '-b', 'stale');
    editManifestMae(dir, 5.5);
    runGit(dir, 'commit', '-q', '-am', 'mae edit past the hooks', '--no-verify');
    runGit(dir, 'checkout', '-q', head);
    r = gitRun(dir, ['push', 'origin', 'stale'], env);
    expect(r.code, r.stderr + r.stdout).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('CLAUDE.md');
    expect(runGit(remote, 'for-each-ref', '--format=%(refname)')).not.toContain('refs/heads/stale');
  });
});
