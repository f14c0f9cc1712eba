import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, REPO_ROOT, runGit, writeJson } from '../helpers/example.js';
import { gitRun, hermeticEnv, show } from './helpers.js';

/** node_modules/.bin as `npm install` would leave it, linked to this checkout (no network). */
function linkTools(dir: string): void {
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'bin', 'modelgov.js'), join(bin, 'modelgov'));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'husky', 'bin.js'), join(bin, 'husky'));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'lint-staged', 'bin', 'lint-staged.js'), join(bin, 'lint-staged'));
}

const NEW_ID = 'catboost_v9_new_retrain';
const NEW_NAME = 'catboost_v9_33f_train20251102-20260201_20260210_101010.cbm';

// Real installs, commits and pushes: minutes, not seconds, on a busy 2-core machine.
describe('husky-installed hooks, end to end', { timeout: 180_000 }, () => {
  it('init, then real commits and pushes: docs regenerated per side, a bad name refused, a drifted push blocked', async () => {
    const dir = copyExample();
    linkTools(dir);
    const env = hermeticEnv();

    // 1. init in a repo without package.json; the tools are there, so husky activates the hooks.
    const init = await run(dir, ['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('hooks activated by husky (core.hooksPath=.husky/_)');
    expect(runGit(dir, 'config', 'core.hooksPath')).toBe('.husky/_');
    runGit(dir, 'add', '-A');
    expect(runGit(dir, 'diff', '--cached', '--name-only').split('\n')).not.toContain('node_modules/.bin/modelgov');
    const first = gitRun(dir, ['commit', '-m', 'chore: modelgov init'], env);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // The example's placeholder section was stale: the first commit through the hook fixed it.
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain('| MAE | 4.82 |');
    expect(runGit(dir, 'status', '--porcelain')).toBe('');

    // 2. A new model: manifest entry staged, the file staged under the training script's old name,
    //    and an unrelated unstaged edit in CLAUDE.md.
    const m = exampleManifest();
    m.models[NEW_ID] = {
      ...m.models.catboost_v9_2026_02,
      gcs_path: `gs://nba-props-platform-models/catboost/v9/${NEW_NAME}`,
      training_end: '2026-02-01',
      created_at: '2026-02-10T10:10:10Z',
      status: 'untested',
    };
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    const artifacts = join(dir, 'models', 'catboost_v9', 'artifacts');
    writeFileSync(join(artifacts, `${NEW_ID}.cbm`), 'new model bytes\n');
    runGit(dir, 'add', EXAMPLE_MANIFEST, `models/catboost_v9/artifacts/${NEW_ID}.cbm`);
    const claude = join(dir, 'CLAUDE.md');
    writeFileSync(claude, readFileSync(claude, 'utf8').replace('## Rules', '## Rules (draft, not staged)'));
    const head = runGit(dir, 'rev-parse', 'HEAD');

    const refused = gitRun(dir, ['commit', '-m', 'feat: new model'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(`correct name: ${NEW_NAME}`);
    expect(runGit(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(claude, 'utf8')).toContain('## Rules (draft, not staged)');

    // 3. Renamed as told: lint-staged and modelgov pass; the commit carries the new section
    //    without the draft edit, which stays in the work tree, unstaged.
    runGit(dir, 'mv', `models/catboost_v9/artifacts/${NEW_ID}.cbm`, `models/catboost_v9/artifacts/${NEW_NAME}`);
    const ok = gitRun(dir, ['commit', '-m', 'feat: new model'], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stderr).toContain('modelgov: regenerated CLAUDE.md (staged)');
    const committed = show(dir, 'HEAD:CLAUDE.md');
    expect(committed).toContain(`\`${NEW_ID}\` | untested | 2025-11-02 → 2026-02-01`);
    expect(committed).not.toContain('(draft, not staged)');
    expect(readFileSync(claude, 'utf8')).toContain(`\`${NEW_ID}\` | untested`);
    expect(runGit(dir, 'diff', '--name-only')).toBe('CLAUDE.md');
    expect(runGit(dir, 'diff', '--cached', '--name-only')).toBe('');

    // 4. pre-push: in sync → the push goes through; a deployment on the Feb 02 retrain → blocked.
    expect((await run(dir, ['sync'])).code).toBe(0);
    const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'origin.git');
    runGit(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    runGit(dir, 'remote', 'add', 'origin', remote);
    const pushed = gitRun(dir, ['push', 'origin', 'main'], env);
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    const remoteHead = () => spawnSync('git', ['rev-parse', 'refs/heads/main'], { cwd: remote, encoding: 'utf8' }).stdout.trim();
    expect(remoteHead()).toBe(runGit(dir, 'rev-parse', 'HEAD'));

    const service = join(dir, 'deploy', 'prediction-worker.yaml');
    writeFileSync(service, readFileSync(service, 'utf8').replace('v9/catboost_v9_33features_20260201_011018.cbm', 'v9/catboost_v9_feb_02_retrain.cbm'));
    const deployCommit = gitRun(dir, ['commit', '-m', 'deploy: feb 02 retrain', '--', 'deploy/prediction-worker.yaml'], env);
    expect(deployCommit.code, deployCommit.stderr).toBe(0);
    const blocked = gitRun(dir, ['push', 'origin', 'main'], env);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('--update-env-vars=CATBOOST_V9_MODEL_PATH=gs://nba-props-platform-models/catboost/v9/catboost_v9_33features_20260201_011018.cbm');
    expect(blocked.stderr).toContain('git push --no-verify');
    expect(blocked.stdout + blocked.stderr).toContain('husky - pre-push script failed (code 1)');
    expect(remoteHead()).not.toBe(runGit(dir, 'rev-parse', 'HEAD'));
  });
});
