import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, PROD_ID } from '../helpers/example.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const UNTESTED = 'catboost_v9_2026_02';

interface AtJson {
  ok: boolean;
  at: string;
  model?: string;
  wasProduction?: boolean;
  production: { system: string; model: string | null; source: string | null; since: string | null; until: string | null }[];
}
const at = async (dir: string, day: string, ...extra: string[]): Promise<AtJson> => {
  const r = await run(dir, ['--json', 'history', ...extra, '--at', day]);
  expect(r.code).toBe(0);
  return parsed(r) as AtJson;
};

/** A repo with two recorded promotions: the retrain on 2026-02-12, the untested model on 2026-02-20. */
async function twoPromotions(): Promise<string> {
  const dir = copyExample();
  expect((await run(dir, ['promote', RETRAIN, '--force', '--reason', 'first'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' })).code).toBe(0);
  expect((await run(dir, ['promote', UNTESTED, '--force', '--reason', 'second', '--retire-as', 'rolled_back'], { MODELGOV_NOW: '2026-02-20T09:00:00Z' })).code).toBe(0);
  return dir;
}

describe('modelgov history', () => {
  it('lists the promotions oldest first, filtered by model, from the history file beside the manifest', async () => {
    const dir = await twoPromotions();
    const all = parsed(await run(dir, ['--json', 'history'])).events as { event_type: string; model_id: string; changed_at: string; field: string | null }[];
    const times = all.map((e) => Date.parse(e.changed_at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A local manifest's field changes are in its git log; the audit file holds the promotions.
    expect(all.map((e) => [e.event_type, e.model_id])).toEqual([
      ['promote', RETRAIN],
      ['promote', UNTESTED],
    ]);
    expect(readFileSync(join(dir, 'models/catboost_v9/history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    const mine = parsed(await run(dir, ['--json', 'history', UNTESTED])).events as { model_id: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((e) => e.model_id))).toEqual(new Set([UNTESTED]));
    const text = await run(dir, ['history', UNTESTED]);
    expect(text.stdout).toMatch(new RegExp(`^2026-02-20 09:00:00\\s+promote\\s+catboost_v9\\s+${UNTESTED}\\s+${RETRAIN} -> ${UNTESTED}; FORCED past .*; reason: second; previous -> rolled_back`, 'm'));
  });

  it('--at answers before and after each promotion, saying which record answered', async () => {
    const dir = await twoPromotions();
    expect((await at(dir, '2026-02-12')).production[0]).toMatchObject({ system: 'catboost_v9', model: RETRAIN, source: 'history', since: '2026-02-12', until: '2026-02-20' });
    expect((await at(dir, '2026-02-19')).production[0]).toMatchObject({ model: RETRAIN, source: 'history' });
    expect((await at(dir, '2026-02-20')).production[0]).toMatchObject({ model: UNTESTED, source: 'history', until: null });
    expect((await at(dir, '2026-03-01')).production[0]).toMatchObject({ model: UNTESTED, source: 'history' });
    // Before modelgov recorded anything: the manifest's production_since / production_end_date.
    expect((await at(dir, '2026-02-09')).production[0]).toMatchObject({ model: PROD_ID, source: 'manifest', since: '2026-02-08', until: '2026-02-12' });
    expect((await at(dir, '2026-02-11')).production[0]).toMatchObject({ model: PROD_ID, source: 'manifest' });
    expect((await at(dir, '2026-01-15')).production[0]).toMatchObject({ model: null, source: null });
    const text = await run(dir, ['history', '--at', '2026-02-09']);
    expect(text.stdout).toMatch(new RegExp(`^catboost_v9\\s+${PROD_ID}\\s+2026-02-08\\s+2026-02-12\\s+manifest: production_since`, 'm'));
    const after = await run(dir, ['history', '--at', '2026-02-15']);
    expect(after.stdout).toMatch(new RegExp(`^catboost_v9\\s+${RETRAIN}\\s+2026-02-12\\s+2026-02-20\\s+history: promoted 2026-02-12 15:00:00 UTC by test@modelgov.example`, 'm'));
  });

  it('--at with a model id says whether that model was production then', async () => {
    const dir = await twoPromotions();
    expect(await at(dir, '2026-02-15', RETRAIN)).toMatchObject({ model: RETRAIN, wasProduction: true });
    expect(await at(dir, '2026-02-25', RETRAIN)).toMatchObject({ model: RETRAIN, wasProduction: false });
    expect((await run(dir, ['history', PROD_ID, '--at', '2026-02-10'])).stdout).toContain(`${PROD_ID} was production on 2026-02-10.`);
  });

  it('--at answers from the manifest alone in a repo that never promoted with modelgov', async () => {
    const dir = copyExample();
    expect((await at(dir, '2026-02-09')).production[0]).toMatchObject({ model: PROD_ID, source: 'manifest', until: null });
    expect((await at(dir, '2026-02-07')).production[0]).toMatchObject({ model: null });
  });

  it('rejects an invalid --at date and an unknown --system (exit 2)', async () => {
    const dir = copyExample();
    for (const bad of ['2026-02-30', '2026-2-9', 'yesterday']) {
      const r = await run(dir, ['history', '--at', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--at: not a calendar date "${bad}"`);
    }
    expect((await run(dir, ['history', '--system', 'xgb_v2'])).code).toBe(2);
    expect((await run(dir, ['history', '--at', '2026-02-09', '--system', 'xgb_v2'])).code).toBe(2);
  });

  it('says so when there is no history yet', async () => {
    const r = await run(copyExample(), ['history']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no history events');
  });
});
