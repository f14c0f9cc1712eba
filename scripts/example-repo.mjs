// Makes a copy of examples/catboost-v9 into a git repo the way it is "deployed": fixed branch
// and user, everything committed, then the service YAML's commit-sha label set to that commit.
// Shared by `npm start` (scripts/demo.mjs), the tests (test/helpers/example.ts) and the bench.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('../examples/catboost-v9', import.meta.url));

/**
 * Copies the example to `dir` and, unless `git` is false, commits it as described above.
 * `config` adds git config entries; `beforeCommit(dir)` runs before the first `git add`.
 */
export function makeExampleRepo(dir, { git = true, user = 'modelgov example', email = 'example@modelgov.example', env, config = {}, beforeCommit } = {}) {
  cpSync(EXAMPLE_DIR, dir, { recursive: true });
  if (!git) return dir;
  const run = (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env }).trim();
  run('init', '-q', '-b', 'main');
  for (const [key, value] of Object.entries({ 'user.email': email, 'user.name': user, 'commit.gpgsign': 'false', ...config })) run('config', key, value);
  beforeCommit?.(dir);
  run('add', '-A');
  run('commit', '-q', '-m', 'example: catboost_v9 as deployed');
  const service = join(dir, 'deploy', 'prediction-worker.yaml');
  writeFileSync(service, readFileSync(service, 'utf8').replaceAll('COMMIT_SHA_PLACEHOLDER', run('rev-parse', 'HEAD')));
  run('commit', '-q', '-am', 'deploy: record the deployed commit');
  return dir;
}
