import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, PROD_ID, runGit } from '../helpers/example.js';
import { addGoodModel, GOOD } from './good-model.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const UNTESTED = 'catboost_v9_2026_02';
const manifestText = (dir: string) => readFileSync(join(dir, EXAMPLE_MANIFEST), 'utf8');
const NOW = { MODELGOV_NOW: '2026-02-12T15:00:00Z' };

describe('modelgov promote', () => {
  it('refuses the Feb-2 retrain naming both failed gates and leaves the manifest bytes unchanged', async () => {
    const dir = copyExample();
    const before = readFileSync(join(dir, EXAMPLE_MANIFEST));
    const r = await run(dir, ['promote', RETRAIN], NOW);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^refused: catboost_v9_feb_02_retrain fails \d gate\(s\): .*vegas-bias.*$/m);
    expect(r.stdout).toMatch(/^refused: .*hit-rate-3plus/m);
    expect(r.stdout).toContain('FAIL vegas-bias: vegas_bias -2.26 is outside ±1.5');
    expect(r.stdout).toContain('FAIL hit-rate-3plus: high_edge_hit_rate_3plus 51.2 is below the minimum 60');
    expect(readFileSync(join(dir, EXAMPLE_MANIFEST)).equals(before)).toBe(true);
    expect(runGit(dir, 'status', '--porcelain')).toBe('');
    // Nothing recorded either.
    expect((await run(dir, ['--json', 'history'])).stdout).toBe(JSON.stringify({ ok: true, events: [] }) + '\n');
  });

  it('refuses a model without metrics, saying they are missing', async () => {
    const dir = copyExample();
    const r = await run(dir, ['--json', 'promote', UNTESTED], NOW);
    expect(r.code).toBe(1);
    const out = parsed(r);
    expect(out).toMatchObject({ ok: false, status: 'refused', model: UNTESTED, manifest: { written: false } });
    const missing = out.gates.filter((g: { message: string }) => g.message.includes('missing'));
    expect(missing.map((g: { id: string }) => g.id)).toEqual(['vegas-bias', 'hit-rate-3plus', 'sample-size', 'tier-bias', 'mae-vs-baseline']);
  });

  it('--force without --reason is a usage error (exit 2), nothing written', async () => {
    const dir = copyExample();
    const before = manifestText(dir);
    const r = await run(dir, ['promote', RETRAIN, '--force'], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force needs --reason');
    expect(manifestText(dir)).toBe(before);
  });

  it('promotes a model that passes every gate, keeping the file style, then syncs and prints the deploy command', async () => {
    const dir = copyExample();
    const before = addGoodModel(dir);
    const r = await run(dir, ['promote', GOOD, '--by', 'alice@example.com'], NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`promoted ${GOOD} to production in catboost_v9 (${EXAMPLE_MANIFEST}), production_since 2026-02-12.`);
    expect(r.stdout).toContain(`${PROD_ID}: production -> active, production_end_date 2026-02-12`);
    expect(r.stdout).toMatch(/^ {2}sync: done/m);
    // Service and region come from the service YAML (metadata.name, cloud.googleapis.com/location).
    expect(r.stdout).toContain(
      `\n  gcloud run services update prediction-worker --region=us-west2 --project=nba-props-platform --update-env-vars=CATBOOST_V9_MODEL_PATH=gs://nba-props-platform-models/catboost/v9/${GOOD}.cbm\n`,
    );

    const after = manifestText(dir);
    const m = JSON.parse(after);
    expect(m.production_model).toBe(GOOD);
    expect(m.models[GOOD]).toMatchObject({ status: 'production', production_since: '2026-02-12', owner: 'ml-team' });
    expect(m.models[PROD_ID]).toMatchObject({ status: 'active', production_since: '2026-02-08', production_end_date: '2026-02-12' });
    // 4-space indent kept, no final newline added, key order kept, new keys next to their siblings.
    expect(after.endsWith('}')).toBe(true);
    expect(after).toContain('\n            "status": "production",\n            "production_since": "2026-02-12",\n');
    expect(Object.keys(m.models)).toEqual(Object.keys(JSON.parse(before).models));
    expect(Object.keys(m.models[GOOD])).toEqual(['gcs_path', 'model_type', 'model_version', 'feature_count', 'training_start', 'training_end', 'training_samples', 'status', 'production_since', 'evaluation', 'owner']);

    // The registry followed at once.
    const prod = parsed(await run(dir, ['--json', 'production']));
    expect(prod.production.map((row: { model_id: string }) => row.model_id)).toEqual([GOOD]);
    const events = parsed(await run(dir, ['--json', 'history', GOOD])).events;
    const promote = events.find((e: { event_type: string }) => e.event_type === 'promote');
    expect(promote).toMatchObject({ changed_by: 'alice@example.com', git_commit: runGit(dir, 'rev-parse', 'HEAD'), details: { from: PROD_ID, to: GOOD, forced: false } });
    expect(promote.details.gates).toHaveLength(6);
  });

  it('--retire-as sets the previous model status; --no-sync / --no-docs skip the follow-ups', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    const claude = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    const r = await run(dir, ['--json', 'promote', GOOD, '--retire-as', 'rolled_back', '--no-sync', '--no-docs'], NOW);
    expect(r.code).toBe(0);
    const out = parsed(r);
    expect(out).toMatchObject({ ok: true, status: 'promoted', from: PROD_ID, to: GOOD, retiredAs: 'rolled_back', sync: { status: 'skipped' }, docs: { status: 'skipped' } });
    expect(JSON.parse(manifestText(dir)).models[PROD_ID].status).toBe('rolled_back');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(claude);
    // No sync ran, yet the registry follows the manifest: it is a cache rebuilt on first read.
    expect(parsed(await run(dir, ['--json', 'list'])).models.find((m: { model_id: string }) => m.model_id === GOOD)).toMatchObject({ is_production: true });
    const events = parsed(await run(dir, ['--json', 'history'])).events;
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['promote']);
  });

  it('honours config promote.sync / promote.docs = false', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    const cfgFile = join(dir, 'modelgov.config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8'));
    writeFileSync(cfgFile, JSON.stringify({ ...cfg, promote: { sync: false, docs: false } }, null, 2));
    const out = parsed(await run(dir, ['--json', 'promote', GOOD], NOW));
    expect(out.sync.status).toBe('skipped');
    expect(out.docs.status).toBe('skipped');
  });

  it('records a forced promotion with its reason, and history shows it', async () => {
    const dir = copyExample();
    const r = await run(dir, ['promote', RETRAIN, '--force', '--reason', 'hotfix: production model file corrupted'], NOW);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: promoting despite failed gate(s) duplicate-window, vegas-bias, hit-rate-3plus, tier-bias because of --force');
    expect(JSON.parse(manifestText(dir)).production_model).toBe(RETRAIN);
    // Only the promotion values changed: the rest of the bytes (79.0 and all) are as they were.
    expect(manifestText(dir)).toContain('"high_edge_hit_rate_5plus": 79.0,');

    const text = await run(dir, ['history']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^2026-02-12 15:00:00\\s+promote\\s+catboost_v9\\s+${RETRAIN}\\s+${PROD_ID} -> ${RETRAIN}; FORCED past duplicate-window, vegas-bias, hit-rate-3plus, tier-bias; reason: hotfix: production model file corrupted`, 'm'));
    expect(text.stdout).toContain('test@modelgov.example');
    const json = parsed(await run(dir, ['--json', 'history', RETRAIN]));
    const ev = json.events.find((e: { event_type: string }) => e.event_type === 'promote');
    expect(ev.details).toMatchObject({ forced: true, reason: 'hotfix: production model file corrupted', from: PROD_ID, to: RETRAIN, retired_as: 'active' });
    expect(ev.details.gates.filter((g: { passed: boolean }) => !g.passed).map((g: { id: string }) => g.id)).toEqual(['duplicate-window', 'vegas-bias', 'hit-rate-3plus', 'tier-bias']);
    expect(ev.changed_by).toBe('test@modelgov.example');
  });

  it('does nothing for the model that is already production', async () => {
    const dir = copyExample();
    const before = manifestText(dir);
    const r = await run(dir, ['promote', PROD_ID], NOW);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is already the production model');
    expect(manifestText(dir)).toBe(before);
  });

  it('exits 2 for an unknown model', async () => {
    const r = await run(copyExample(), ['promote', 'catboost_v9_nope', '--force', '--reason', 'x'], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown model "catboost_v9_nope"');
  });
});
