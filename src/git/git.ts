import { execFile } from 'node:child_process';
import { ModelgovError } from '../errors.js';

/** Options whose value is the next argument (only `update-index --cacheinfo`, whose value starts with a mode digit). */
const TAKES_NEXT = new Set(['--cacheinfo']);

/**
 * The runner's rule against argument injection: after the subcommand, every argument before the
 * first `--end-of-options` or `--` must be one of modelgov's own options (starts with `-`); any
 * other value (a revision, a path, a config key, a label read from a service) goes after the
 * separator, where git never reads it as an option. So a call that put a value in option
 * position fails here with an ordinary value, in every test, long before a hostile `--output=…`
 * could arrive in that place.
 */
export function assertArgOrder(args: readonly string[]): void {
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === '--end-of-options' || a === '--') return;
    if (a.startsWith('-')) continue;
    if (TAKES_NEXT.has(args[i - 1])) continue;
    throw new ModelgovError('INTERNAL', `git ${args[0]}: argument ${JSON.stringify(a)} is in option position; values go after --end-of-options or --`, {
      fix: 'This is a bug in modelgov; please report it with the command you ran.',
    });
  }
}

/**
 * Plain `git` through execFile (no shell, no simple-git: its import alone costs ~35 ms on the
 * hook path), returning raw stdout bytes (blobs are not always text). Throws ModelgovError('GIT')
 * naming the command on failure.
 */
export function gitBytes(cwd: string, args: string[], input?: string | Buffer): Promise<Buffer> {
  assertArgOrder(args);
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
  return (await gitMaybe(cwd, ['config', '--end-of-options', 'user.email'])) || (await gitMaybe(cwd, ['config', '--end-of-options', 'user.name'])) || env.USER || null;
}

/** HEAD commit sha, or null (no repo, no commits yet). */
export async function headCommit(cwd: string): Promise<string | null> {
  return (await gitMaybe(cwd, ['rev-parse', '--verify', '-q', '--end-of-options', 'HEAD'])) || null;
}

/** A full commit id given by a user or a service label: 7–40 hex digits only. */
export const COMMIT_ID = /^[0-9a-f]{7,40}$/i;

/**
 * The full sha of `id` when it is a 7–40 hex commit id naming a commit of this repository;
 * `not-a-commit-id` for anything else (never handed to git), `unknown` when git does not have it.
 */
export async function resolveCommitId(cwd: string, id: string): Promise<string | 'not-a-commit-id' | 'unknown'> {
  if (!COMMIT_ID.test(id)) return 'not-a-commit-id';
  const sha = await gitMaybe(cwd, ['rev-parse', '--verify', '-q', '--end-of-options', `${id}^{commit}`]);
  return sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : 'unknown';
}
