import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { gitBytes } from './git.js';

/**
 * The one repository detector of the codebase: every command and both hooks ask it where the
 * work tree and the git directory are.
 *
 * Where the work tree and the git directory of `cwd` are; undefined outside a git work tree. */
export interface RepoInfo {
  /** Absolute top level of the work tree (as git prints it: symlinks resolved). */
  root: string;
  /** Absolute git directory of this work tree (per-worktree, so `.git/worktrees/x` for a linked one). */
  gitDir: string;
}

/** `git rev-parse --show-toplevel --absolute-git-dir`; undefined outside a repo or in a bare one. */
export async function repoInfo(cwd: string): Promise<RepoInfo | undefined> {
  let out: string;
  try {
    out = (await gitBytes(cwd, ['rev-parse', '--show-toplevel', '--absolute-git-dir'])).toString('utf8');
  } catch {
    return undefined;
  }
  const [root, gitDir] = out.split('\n');
  if (!root || !gitDir) return undefined;
  return { root, gitDir };
}

/**
 * Like repoInfo, but without starting git when it can: walks up from `cwd` to the first `.git`
 * (a directory, or a file `gitdir: …` for linked worktrees and submodules). With GIT_DIR or
 * GIT_WORK_TREE set (git sets GIT_DIR for hooks in linked worktrees) it asks git instead,
 * because then the environment, not the directory tree, says where the repository is.
 */
export async function locateRepo(cwd: string, env: NodeJS.ProcessEnv): Promise<RepoInfo | undefined> {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return repoInfo(cwd);
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, '.git');
    let isDir: boolean | undefined;
    try {
      isDir = statSync(dotGit).isDirectory();
    } catch {
      isDir = undefined;
    }
    if (isDir === true) return { root: realpathSync(dir), gitDir: realpathSync(dotGit) };
    if (isDir === false) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      // An unreadable .git file: let git itself decide (and explain).
      if (!m) return repoInfo(cwd);
      return { root: realpathSync(dir), gitDir: isAbsolute(m[1]) ? m[1] : resolve(dir, m[1]) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
