import { execFile } from 'node:child_process';
import { ModelgovError } from '../errors.js';

/**
 * Plain `git` through execFile (no shell, no simple-git: its import alone costs ~35 ms on the
 * hook path). Returns stdout; throws ModelgovError('GIT') naming the command on failure.
 */
export function git(cwd: string, args: string[], opts: { input?: string | Buffer; encoding?: 'utf8' | 'buffer' } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new ModelgovError('GIT', `git ${args.join(' ')} failed: ${String(stderr || err.message).trim()}`, {
            fix: 'Check that this is a git repository and git works here.',
            cause: err,
          }),
        );
      } else resolvePromise(stdout);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like git() but resolves undefined instead of throwing (for optional facts like HEAD). */
export async function gitMaybe(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return (await git(cwd, args)).trim();
  } catch {
    return undefined;
  }
}

/** Top level of the work tree, or undefined outside a git repo. */
export function gitRoot(cwd: string): Promise<string | undefined> {
  return gitMaybe(cwd, ['rev-parse', '--show-toplevel']);
}

/** Who is acting: git user.email, else user.name, else $USER. */
export async function gitUser(cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return (await gitMaybe(cwd, ['config', 'user.email'])) || (await gitMaybe(cwd, ['config', 'user.name'])) || env.USER || null;
}

/** HEAD commit sha, or null (no repo, no commits yet). */
export async function headCommit(cwd: string): Promise<string | null> {
  return (await gitMaybe(cwd, ['rev-parse', '--verify', '-q', 'HEAD'])) || null;
}
