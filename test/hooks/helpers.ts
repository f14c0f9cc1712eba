import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, REPO_ROOT, runGit } from '../helpers/example.js';

export const TRACE = new URL('./fixtures/trace-imports.mjs', import.meta.url).href;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment that keeps the user's git and husky settings out of the test. */
export function hermeticEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'modelgov-home-'));
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    MODELGOV_SKIP: '',
    METADATA_SERVER_DETECTION: 'none',
    NODE_OPTIONS: '',
    ...extra,
  };
}

/** Runs git with the hooks enabled, the way a user would. */
export function gitRun(cwd: string, args: string[], env: NodeJS.ProcessEnv = hermeticEnv()): Run {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A plain git hook (no husky) that runs the built CLI, so each test controls exactly one tool. */
export function installHook(dir: string, hook: 'pre-commit' | 'pre-push', command: string): void {
  const file = join(dir, '.git', 'hooks', hook);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" ${command}\n`);
  chmodSync(file, 0o755);
}

/**
 * The example as a git repo with the pre-commit hook installed and its docs section generated and
 * committed through the hook, so the next commit starts from a clean, fresh state.
 */
export function exampleWithHook(): string {
  const dir = copyExample();
  installHook(dir, 'pre-commit', 'hook pre-commit');
  const r = gitRun(dir, ['commit', '-q', '--allow-empty', '-m', 'first commit through the hook']);
  if (r.code !== 0) throw new Error(`setup commit failed: ${r.stderr}`);
  if (runGit(dir, 'status', '--porcelain') !== '') throw new Error(`setup left changes: ${runGit(dir, 'status', '--porcelain')}`);
  return dir;
}

/** Changes the production model's MAE in the working manifest (a change the section shows). */
export function editManifestMae(dir: string, mae: number): void {
  const file = join(dir, EXAMPLE_MANIFEST);
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.models[m.production_model].evaluation.mae = mae;
  writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
}

/** `git show <rev>:<path>` as text. */
export function show(dir: string, spec: string): string {
  return spawnSync('git', ['show', spec], { cwd: dir, encoding: 'utf8' }).stdout;
}

export { REPO_ROOT };
