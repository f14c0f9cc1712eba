// Temp git repositories for the benchmark: the bundled example (config, manifest, CLAUDE.md with
// markers, service YAML) plus filler files up to a given size, a fixed user and branch, and an
// environment that keeps the user's own git and husky settings out of the measurement.
import { makeExampleRepo } from '../../scripts/example-repo.mjs';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillerFiles } from './generate.mjs';
import { run } from './measure.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'modelgov.js');
export const EXAMPLE = join(ROOT, 'examples', 'catboost-v9');
export const EXAMPLE_MANIFEST = 'models/catboost_v9/manifest.json';

const temps = [];

/** A new temp directory, removed by `cleanup()` (unless BENCH_KEEP=1). */
export function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), `modelgov-bench-${prefix}-`));
  temps.push(d);
  return d;
}

export function cleanup() {
  if (process.env.BENCH_KEEP === '1') {
    if (temps.length) console.error(`bench: kept ${temps.length} temp dir(s), e.g. ${temps[0]}`);
    return;
  }
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** An environment without the user's git config, husky init script or NODE_OPTIONS. */
export function hermeticEnv(extra = {}) {
  const home = tempDir('home');
  mkdirSync(join(home, '.config'), { recursive: true });
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'modelgov bench',
    GIT_AUTHOR_EMAIL: 'bench@modelgov.example',
    GIT_COMMITTER_NAME: 'modelgov bench',
    GIT_COMMITTER_EMAIL: 'bench@modelgov.example',
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    METADATA_SERVER_DETECTION: 'none',
    NODE_OPTIONS: '',
    ...extra,
  };
  for (const k of ['MODELGOV_SKIP', 'HUSKY', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'STORAGE_EMULATOR_HOST', 'MODELGOV_GCS_ENDPOINT', 'MODELGOV_BIGQUERY_ENDPOINT', 'MODELGOV_CLOUDRUN_ENDPOINT']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

export function git(dir, args, env) {
  return run('git', args, { cwd: dir, env }).trim();
}

/** node_modules/.bin as `npm install` leaves it, linked to this checkout (no network). */
export function linkTools(dir) {
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(BIN, join(bin, 'modelgov'));
  symlinkSync(join(ROOT, 'node_modules', 'husky', 'bin.js'), join(bin, 'husky'));
  symlinkSync(join(ROOT, 'node_modules', 'lint-staged', 'bin', 'lint-staged.js'), join(bin, 'lint-staged'));
}

/**
 * The example as a git repo of `files` tracked files (the example's own plus filler), committed
 * with hooks off, the service YAML pointing at the initial commit. Returns the repo directory.
 */
export function exampleRepo(env, { files = 2_000, name = 'repo' } = {}) {
  const dir = join(tempDir(name), 'repo');
  return makeExampleRepo(dir, {
    env,
    user: 'modelgov bench',
    email: 'bench@modelgov.example',
    config: { 'core.hooksPath': join(dir, '.git', 'no-hooks') },
    beforeCommit: () => {
      writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.modelgov/\n');
      git(dir, ['add', '-A'], env);
      const have = git(dir, ['ls-files'], env).split('\n').filter(Boolean).length;
      for (const [rel, text] of fillerFiles(Math.max(0, files - have))) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
    },
  });
}

/** A repo holding only a config and a manifest (sync and drift on generated manifests). */
export function configRepo(env, { config, manifest, manifestPath = EXAMPLE_MANIFEST, extra = {}, name = 'cfg' }) {
  const dir = join(tempDir(name), 'repo');
  mkdirSync(dirname(join(dir, manifestPath)), { recursive: true });
  writeFileSync(join(dir, 'modelgov.config.json'), JSON.stringify(config, null, 2) + '\n');
  if (manifest !== undefined) writeFileSync(join(dir, manifestPath), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2) + '\n');
  for (const [rel, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  git(dir, ['init', '-q', '-b', 'main'], env);
  return dir;
}
