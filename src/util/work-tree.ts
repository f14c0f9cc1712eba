import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The work tree holding `dir`: the nearest directory at or above it with a `.git` (a directory,
 * or the file of a linked worktree or submodule), symlinks resolved; `dir` itself outside git.
 * Synchronous and git-free: the write path asks it for every symlinked target.
 */
export function workTreeOf(dir: string): string {
  let at = resolve(dir);
  for (;;) {
    if (existsSync(join(at, '.git'))) return realpathSync(at);
    const parent = dirname(at);
    if (parent === at) return realpathSync(resolve(dir));
    at = parent;
  }
}
