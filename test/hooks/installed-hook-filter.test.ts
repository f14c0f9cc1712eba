import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, REPO_ROOT, runGit } from '../helpers/example.js';
import { editManifestMae, gitRun, show } from './helpers.js';

// The pre-commit script `init` installs starts node only when the commit stages a path modelgov
// watches. A stand-in `modelgov` on PATH records each start, then runs the real CLI.
describe('the installed pre-commit script: git decides whether node starts', () => {
  it('an unrelated commit does not start modelgov; a manifest, config or model file commit does', () => {
    const dir = copyExample();
    const starts = join(dir, '..', 'starts.log');
    const bin = join(dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'modelgov'), `#!/bin/sh\necho "$*" >> "${starts}"\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'modelgov'), 0o755);
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.modelgov/\n');
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    copyFileSync(join(REPO_ROOT, 'hooks', 'pre-commit'), hook);
    chmodSync(hook, 0o755);
    const startCount = () => (existsSync(starts) ? readFileSync(starts, 'utf8').split('\n').filter(Boolean).length : 0);

    // No list yet: the first commit starts modelgov, which writes the list.
    runGit(dir, 'add', '.gitignore');
    expect(gitRun(dir, ['commit', '-q', '-m', 'first']).code).toBe(0);
    expect(startCount()).toBe(1);
    expect(readFileSync(join(dir, '.git', 'modelgov', 'watched'), 'utf8')).toContain(`:(top,literal)${EXAMPLE_MANIFEST}\n`);

    writeFileSync(join(dir, 'README.md'), 'unrelated\n');
    runGit(dir, 'add', 'README.md');
    expect(gitRun(dir, ['commit', '-q', '-m', 'unrelated']).code).toBe(0);
    expect(startCount()).toBe(1);

    editManifestMae(dir, 4.31);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const m = gitRun(dir, ['commit', '-q', '-m', 'manifest']);
    expect(m.code, m.stderr).toBe(0);
    expect(startCount()).toBe(2);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain('| MAE | 4.31 |');

    writeFileSync(join(dir, 'models', 'catboost_v9', 'Bad_Name.CBM'), 'x');
    runGit(dir, 'add', 'models/catboost_v9/Bad_Name.CBM');
    const bad = gitRun(dir, ['commit', '-q', '-m', 'bad name']);
    expect(bad.code).not.toBe(0);
    expect(startCount()).toBe(3);
    runGit(dir, 'rm', '-q', '--cached', 'models/catboost_v9/Bad_Name.CBM');

    // Without the list (deleted, or never written) every commit starts modelgov again.
    rmSync(join(dir, '.git', 'modelgov', 'watched'));
    writeFileSync(join(dir, 'README.md'), 'unrelated again\n');
    runGit(dir, 'add', 'README.md');
    expect(gitRun(dir, ['commit', '-q', '-m', 'unrelated 2']).code).toBe(0);
    expect(startCount()).toBe(4);
  });
});
