import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers/example.js';

export const VERSION: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
export const TAG = `v${VERSION}`;

/** npm without prompts, audits or network beyond the registry it is configured with. */
export const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

export function sh(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/**
 * A git repository holding this checkout's files as they are now (tracked and new, not ignored:
 * what a push of this work would publish), with a release tag made by `npm run release`, the way
 * a maintainer tags one. The tag carries dist/; the branch does not.
 */
export function localClone(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-clone-')), 'modelgov');
  mkdirSync(dir);
  const files = execFileSync('git', ['ls-files', '-z', '-c', '-o', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(REPO_ROOT, f))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(REPO_ROOT, f), join(dir, f));
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=modelgov test', '-c', 'user.email=test@modelgov.example', 'commit', '-qm', 'modelgov snapshot', '--no-verify');
  // The release script builds with this checkout's devDependencies, as on a maintainer's machine.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const r = sh(dir, process.execPath, ['scripts/release.mjs', TAG], { GIT_AUTHOR_NAME: 'modelgov test', GIT_AUTHOR_EMAIL: 'test@modelgov.example', GIT_COMMITTER_NAME: 'modelgov test', GIT_COMMITTER_EMAIL: 'test@modelgov.example' });
  rmSync(join(dir, 'node_modules'));
  if (r.status !== 0) throw new Error(`npm run release failed:\n${r.out}`);
  return dir;
}

/**
 * The real pre-commit tool (≥ 3.2, what modelgov's hooks file requires): from PATH, else
 * installed with pip into a virtualenv under node_modules/.cache. Returns the command, or why not.
 */
export function preCommitTool(): { cmd: string } | { skip: string } {
  const ok = (cmd: string) => {
    const v = sh(REPO_ROOT, cmd, ['--version']);
    const m = /pre-commit (\d+)\.(\d+)/.exec(v.out);
    return v.status === 0 && m !== null && (Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 2));
  };
  if (ok('pre-commit')) return { cmd: 'pre-commit' };
  const venv = join(REPO_ROOT, 'node_modules', '.cache', 'modelgov-test', 'pre-commit-venv');
  const bin = join(venv, 'bin', 'pre-commit');
  if (existsSync(bin) && ok(bin)) return { cmd: bin };
  const mk = sh(REPO_ROOT, 'python3', ['-m', 'venv', venv]);
  if (mk.status !== 0) return { skip: `pre-commit is not on PATH and python3 -m venv failed: ${mk.out.trim().split('\n').pop()}` };
  const pip = sh(REPO_ROOT, join(venv, 'bin', 'pip'), ['install', '--quiet', 'pre-commit']);
  if (pip.status !== 0 || !ok(bin)) return { skip: `pre-commit is not on PATH and \`pip install pre-commit\` failed: ${pip.out.trim().split('\n').pop()}` };
  return { cmd: bin };
}
