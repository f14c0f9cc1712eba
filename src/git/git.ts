import { execFile } from 'node:child_process';
import { ModelgovError } from '../errors.js';

/**
 * Plain `git` through execFile (no shell, no simple-git: its import alone costs ~35 ms on the
 * hook path), returning raw stdout bytes (blobs are not always text). Throws ModelgovError('GIT')
 * naming the command on failure.
 */
export function gitBytes(cwd: string, args: string[], input?: string | Buffer): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new ModelgovError('GIT', `git ${args.join(' ')} failed: ${String(stderr.toString('utf8') || err.message).trim()}`, {
            fix: 'Check that this is a git repository and git works here; nothing was changed.',
            cause: err,
          }),
        );
      } else resolvePromise(stdout);
    });
    child.stdin?.on('error', () => {
      // git exited before reading all input; the exit status above reports it
    });
    child.stdin?.end(input);
  });
}

/** `gitBytes` decoded as UTF-8 text. */
export async function git(cwd: string, args: string[], input?: string | Buffer): Promise<string> {
  return (await gitBytes(cwd, args, input)).toString('utf8');
}

/** Like git() but resolves undefined instead of throwing (for optional facts like HEAD). */
export async function gitMaybe(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return (await git(cwd, args)).trim();
  } catch {
    return undefined;
  }
}

/** Who is acting: git user.email, else user.name, else $USER. */
export async function gitUser(cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return (await gitMaybe(cwd, ['config', 'user.email'])) || (await gitMaybe(cwd, ['config', 'user.name'])) || env.USER || null;
}

/** HEAD commit sha, or null (no repo, no commits yet). */
export async function headCommit(cwd: string): Promise<string | null> {
  return (await gitMaybe(cwd, ['rev-parse', '--verify', '-q', 'HEAD'])) || null;
}
