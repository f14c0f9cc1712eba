import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { PROD_ID, runGit } from '../helpers/example.js';
import { gitRun, hermeticEnv } from './helpers.js';
import { exampleWithRemote } from './push-helpers.js';

const FIX_ENV =
  'gcloud run services update prediction-worker --region=us-west2 --project=nba-props-platform --update-env-vars=CATBOOST_V9_MODEL_PATH=gs://nba-props-platform-models/catboost/v9/catboost_v9_33features_20260201_011018.cbm';
const BYPASS = 'push anyway on purpose: `git push --no-verify` or `MODELGOV_SKIP=1 git push`.';

/**
 * The example with a synced registry, generated docs and a local bare remote, with the pre-push
 * hook installed: a clean state in which `git push` goes through.
 */
async function cleanRepoWithRemote(): Promise<{ dir: string; remote: string }> {
  return await exampleWithRemote({ pushed: false, hook: 'hook pre-push' });
}

/** The remote's main, or '' when nothing was pushed. */
function remoteHead(remote: string): string {
  return spawnSync('git', ['rev-parse', '--verify', '-q', 'refs/heads/main'], { cwd: remote, encoding: 'utf8' }).stdout.trim();
}

describe('hook pre-push: the drift gate', () => {
  it('clean: the push goes through', async () => {
    const { dir, remote } = await cleanRepoWithRemote();
    const r = gitRun(dir, ['push', '-q', 'origin', 'main']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('no drift');
    expect(remoteHead(remote)).toBe(runGit(dir, 'rev-parse', 'HEAD'));
  });

  it('the deployment serves catboost_v9_feb_02_retrain.cbm: push refused, the exact gcloud fix and the bypass printed', async () => {
    const { dir, remote } = await cleanRepoWithRemote();
    gitRun(dir, ['push', '-q', 'origin', 'main']);
    const pushed = remoteHead(remote);
    const service = join(dir, 'deploy', 'prediction-worker.yaml');
    writeFileSync(service, readFileSync(service, 'utf8').replace('v9/catboost_v9_33features_20260201_011018.cbm', 'v9/catboost_v9_feb_02_retrain.cbm'));
    runGit(dir, 'commit', '-q', '-am', 'deploy: the feb 02 retrain');

    const r = gitRun(dir, ['push', 'origin', 'main']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('deployment-model');
    expect(r.stdout + r.stderr).toContain(FIX_ENV);
    expect(r.stderr).toContain(BYPASS);
    expect(remoteHead(remote)).toBe(pushed);

    // Bypassing on purpose works, and says so.
    const skipped = gitRun(dir, ['push', 'origin', 'main'], hermeticEnv({ MODELGOV_SKIP: '1' }));
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('modelgov: skipped (MODELGOV_SKIP=1)');
    expect(remoteHead(remote)).toBe(runGit(dir, 'rev-parse', 'HEAD'));
  });

  it('a DuckDB registry edited by hand is a cache, not drift: the push goes through and sync puts the row back', async () => {
    const { dir, remote } = await cleanRepoWithRemote();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(join(dir, '.modelgov', 'registry.duckdb'));
    const con = await db.connect();
    await con.run(`UPDATE model_registry SET training_end_date = DATE '2026-01-31' WHERE model_id = '${PROD_ID}'`);
    con.closeSync();
    db.closeSync();

    const r = gitRun(dir, ['push', 'origin', 'main']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/\bregistry\b.*catboost_v9/);
    expect(remoteHead(remote)).toBe(runGit(dir, 'rev-parse', 'HEAD'));

    // sync compares every row (not only the fingerprint), so it repairs a hand edit.
    const sync = await run(dir, ['sync']);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('training_end_date: 2026-01-31 -> 2026-01-08');
  });

  it('a committed service YAML that cannot be read warns by default (CI enforces it); prePush.offline "fail" blocks (exit 2), saying so', async () => {
    const { dir, remote } = await cleanRepoWithRemote();
    // A malformed service YAML is a source that cannot be read.
    writeFileSync(join(dir, 'deploy', 'prediction-worker.yaml'), 'spec: [unclosed\n');
    runGit(dir, 'commit', '-q', '-am', 'broken service yaml');
    const warned = gitRun(dir, ['push', '--dry-run', 'origin', 'main']);
    expect(warned.code, warned.stdout + warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/warning: \[offline\] not checked: deploy\/prediction-worker\.yaml/);

    const configFile = join(dir, 'modelgov.config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), prePush: { offline: 'fail' } }, null, 2));
    runGit(dir, 'commit', '-q', '-am', 'offline: fail');
    const direct = await run(dir, ['hook', 'pre-push']);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('push blocked: 1 source(s) could not be read');
    expect(direct.stderr).toContain(BYPASS);
    expect(direct.stderr).toContain('deploy/prediction-worker.yaml');
    expect(gitRun(dir, ['push', 'origin', 'main']).code).not.toBe(0);
    expect(remoteHead(remote)).toBe('');
  });

  it('outside a git repo, and with MODELGOV_SKIP=1: exit 0 with a message', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'modelgov-nogit-'));
    const r = await run(plain, ['hook', 'pre-push']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not inside a git work tree/);
    const s = await run(plain, ['hook', 'pre-push'], { MODELGOV_SKIP: '1' });
    expect(s.code).toBe(0);
    expect(s.stderr).toBe('modelgov: skipped (MODELGOV_SKIP=1)\n');
  });

  it('a repository without modelgov.config.json: exit 0, saying how to set it up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgov-noconf-'));
    runGit(dir, 'init', '-q', '-b', 'main');
    const r = await run(dir, ['hook', 'pre-push']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no modelgov\.config\.json.*modelgov init/);
    expect(r.stderr).not.toMatch(/not inside a git work tree/);
  });
});
