import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { gitRun, hermeticEnv, installHook, type Run } from './helpers.js';

export const BYPASS = 'push anyway on purpose: `git push --no-verify` or `MODELGOV_SKIP=1 git push`';

/**
 * The example with a synced registry and generated docs, pushed (hook-free) to a local bare
 * remote as origin/main with upstream set; then the pre-push hook is installed as git runs it,
 * with git's arguments passed on ("$@") and git's stdin inherited.
 */
export async function pushedExample(): Promise<{ dir: string; remote: string }> {
  return await exampleWithRemote({ pushed: true, hook: 'hook pre-push "$@"' });
}

/**
 * The example with a synced registry, generated docs committed and a local bare remote as
 * origin; `pushed` also pushes main there with upstream set. Then the pre-push hook is installed
 * running `hook` (git's arguments passed on with "$@" where the test wants them).
 */
export async function exampleWithRemote(opts: { pushed: boolean; hook: string }): Promise<{ dir: string; remote: string }> {
  const dir = copyExample();
  for (const args of [['sync'], ['docs']]) {
    const r = await run(dir, args);
    if (r.code !== 0) throw new Error(`modelgov ${args.join(' ')} failed: ${r.stderr}`);
  }
  writeFileSync(join(dir, '.gitignore'), '.modelgov/\n');
  runGit(dir, 'add', '-A');
  runGit(dir, 'commit', '-q', '-m', 'docs generated, registry synced');
  const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'origin.git');
  runGit(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  runGit(dir, 'remote', 'add', 'origin', remote);
  if (opts.pushed) runGit(dir, 'push', '-q', '-u', 'origin', 'main');
  installHook(dir, 'pre-push', opts.hook);
  return { dir, remote };
}

/** A ref on the remote, or '' when it is not there. */
export function remoteRef(remote: string, ref: string): string {
  return spawnSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: remote, encoding: 'utf8' }).stdout.trim();
}

/** Commits everything staged plus `files`, skipping hooks (the pre-commit hook is not under test here). */
export function commitFiles(dir: string, message: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  runGit(dir, 'add', ...Object.keys(files));
  runGit(dir, 'commit', '-q', '--no-verify', '-m', message);
  return runGit(dir, 'rev-parse', 'HEAD');
}

/** The working manifest with the production model's MAE changed (what the docs section shows). */
export function manifestWithMae(dir: string, mae: number): string {
  const m = JSON.parse(readFileSync(join(dir, EXAMPLE_MANIFEST), 'utf8'));
  m.models[m.production_model].evaluation.mae = mae;
  return JSON.stringify(m, null, 2) + '\n';
}

/** The service YAML serving the feb 02 retrain instead of the production model. */
export function serviceServingRetrain(dir: string): string {
  return readFileSync(join(dir, 'deploy', 'prediction-worker.yaml'), 'utf8').replace('v9/catboost_v9_33features_20260201_011018.cbm', 'v9/catboost_v9_feb_02_retrain.cbm');
}

export function push(dir: string, args: string[], env: NodeJS.ProcessEnv = hermeticEnv()): Run & { out: string } {
  const r = gitRun(dir, ['push', ...args], env);
  return { ...r, out: r.stdout + r.stderr };
}

export function editConfig(dir: string, edit: (c: any) => void): string {
  const c = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
  edit(c);
  return JSON.stringify(c, null, 2) + '\n';
}
