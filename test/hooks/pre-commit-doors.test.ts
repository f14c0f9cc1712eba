import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { editManifestMae, exampleWithHook, gitRun, installHook, show } from './helpers.js';

const MAE = (mae: number) => `| MAE | ${mae} |`;

/** `git status --porcelain` without the untracked files. */
const status = (dir: string) => runGit(dir, 'status', '--porcelain', '--untracked-files=no');

// Every way git makes a commit, with the real hook: the committed section follows the committed
// manifest, and what git leaves behind (index, work tree) does not fall behind the commit.
describe('hook pre-commit: commits through any door', () => {
  it('git commit -a', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.11);
    const r = gitRun(dir, ['commit', '-a', '-m', 'mae 4.11']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.11));
    expect(status(dir)).toBe('');
  });

  it('git commit <paths> (git\'s temporary index): the commit and, afterwards, the real index hold the new section', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.12);
    const r = gitRun(dir, ['commit', '-m', 'mae 4.12', '--', EXAMPLE_MANIFEST]);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.12));
    expect(show(dir, ':CLAUDE.md')).toContain(MAE(4.12)); // the real index is not older than the commit
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain(MAE(4.12));
    expect(status(dir)).toBe('');
  });

  it('git commit -o <paths> and git commit -i <paths>', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.13);
    expect(gitRun(dir, ['commit', '-o', '-m', 'mae 4.13', EXAMPLE_MANIFEST]).code).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.13));
    expect(status(dir)).toBe('');
    editManifestMae(dir, 4.14);
    writeFileSync(join(dir, 'README.md'), 'staged separately\n');
    runGit(dir, 'add', 'README.md');
    expect(gitRun(dir, ['commit', '-i', '-m', 'mae 4.14', EXAMPLE_MANIFEST]).code).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.14));
    expect(show(dir, 'HEAD:README.md')).toBe('staged separately\n');
    expect(status(dir)).toBe('');
  });

  it('git commit --amend repairs a commit whose section went stale (made with --no-verify)', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.15);
    runGit(dir, 'commit', '-q', '--no-verify', '-am', 'mae 4.15, docs forgotten');
    expect(show(dir, 'HEAD:CLAUDE.md')).not.toContain(MAE(4.15));
    const r = gitRun(dir, ['commit', '--amend', '--no-edit']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.15));
    expect(status(dir)).toBe('');
  });

  it('a merge (MERGE_HEAD) and a cherry-pick committed through the hook', () => {
    const dir = exampleWithHook();
    runGit(dir, 'checkout', '-q', '-b', 'feature');
    editManifestMae(dir, 4.16);
    runGit(dir, 'commit', '-q', '--no-verify', '-am', 'feature: mae 4.16, docs forgotten');
    const pick = runGit(dir, 'rev-parse', 'HEAD');
    runGit(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'README.md'), 'main moved on\n');
    runGit(dir, 'commit', '-q', '-am', 'main work');
    runGit(dir, 'merge', '-q', '--no-ff', '--no-commit', 'feature');
    expect(existsSync(join(dir, '.git', 'MERGE_HEAD'))).toBe(true);
    const merged = gitRun(dir, ['commit', '--no-edit']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(runGit(dir, 'rev-list', '--parents', '-n1', 'HEAD').split(' ')).toHaveLength(3);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.16));

    runGit(dir, 'checkout', '-q', '-b', 'picked', 'HEAD~1');
    runGit(dir, 'cherry-pick', '--no-commit', pick);
    const picked = gitRun(dir, ['commit', '-m', 'picked mae 4.16']);
    expect(picked.code, picked.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.16));
    expect(status(dir)).toBe('');
  });

  it('git rebase -x: a commit made by the exec step on a detached HEAD goes through the hook', () => {
    const dir = exampleWithHook();
    writeFileSync(join(dir, 'README.md'), 'one\n');
    runGit(dir, 'commit', '-q', '-am', 'one');
    const manifest = join(dir, EXAMPLE_MANIFEST);
    const script = join(dir, '..', 'bump.mjs');
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';\nconst m = JSON.parse(readFileSync(${JSON.stringify(manifest)}, 'utf8'));\nm.models[m.production_model].evaluation.mae = 4.17;\nwriteFileSync(${JSON.stringify(manifest)}, JSON.stringify(m, null, 2) + '\\n');\n`,
    );
    const r = gitRun(dir, ['rebase', '-x', `"${process.execPath}" "${script}" && git commit -q -am "exec: mae 4.17"`, 'HEAD~1']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(MAE(4.17));
    expect(status(dir)).toBe('');
  });

  it('a git worktree checkout (.git is a file) and a hook started from a subdirectory', async () => {
    const dir = exampleWithHook();
    const wt = join(mkdtempSync(join(tmpdir(), 'modelgov-wt-')), 'wt');
    runGit(dir, 'worktree', 'add', '-q', '-b', 'wt-branch', wt);
    expect(readFileSync(join(wt, '.git'), 'utf8')).toMatch(/^gitdir: /);
    editManifestMae(wt, 4.18);
    runGit(wt, 'add', EXAMPLE_MANIFEST);
    const r = gitRun(wt, ['commit', '-m', 'worktree: mae 4.18']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(wt, 'HEAD:CLAUDE.md')).toContain(MAE(4.18));
    expect(status(wt)).toBe('');
    expect(show(dir, 'main:CLAUDE.md')).not.toContain(MAE(4.18));

    // Started by hand from a subdirectory of the main checkout.
    editManifestMae(dir, 4.19);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const sub = await run(join(dir, 'models', 'catboost_v9'), ['hook', 'pre-commit']);
    expect(sub.code, sub.stderr).toBe(0);
    expect(show(dir, ':CLAUDE.md')).toContain(MAE(4.19));
  });

  it('a config in a monorepo subfolder is found from the staged paths, not only the cwd', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'modelgov-mono-')), 'repo');
    cpSync(EXAMPLE_DIR, join(root, 'ml'), { recursive: true });
    writeFileSync(join(root, 'README.md'), 'a monorepo\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@modelgov.example');
    git('config', 'user.name', 'modelgov test');
    git('add', '-A');
    git('commit', '-q', '-m', 'monorepo');
    installHook(root, 'pre-commit', 'hook pre-commit');
    editManifestMae(join(root, 'ml'), 4.2);
    git('add', `ml/${EXAMPLE_MANIFEST}`);
    const r = gitRun(root, ['commit', '-m', 'ml: mae 4.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('modelgov: regenerated ml/CLAUDE.md (staged)');
    expect(show(root, 'HEAD:ml/CLAUDE.md')).toContain(MAE(4.2));

    // An unrelated commit at the top level finds no config and passes.
    writeFileSync(join(root, 'README.md'), 'still a monorepo\n');
    const plain = gitRun(root, ['commit', '-am', 'readme']);
    expect(plain.code, plain.stderr).toBe(0);
  });
});
