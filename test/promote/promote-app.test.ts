import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterOptions, openRegistry } from '../../src/adapters/index.js';
import { clockFrom, promote, type PromoteOptions, type PromoteResult } from '../../src/app/promote.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ModelgovError } from '../../src/errors.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, PROD_ID } from '../helpers/example.js';
import { addGoodModel, GOOD } from './good-model.js';
import { lineUp } from './line-up.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const UNTESTED = 'catboost_v9_2026_02';
const HISTORY = 'models/catboost_v9/history.jsonl';

const opts = (o: Partial<PromoteOptions> = {}): PromoteOptions => ({
  id: GOOD,
  force: false,
  reason: null,
  by: 'bob@example.com',
  commit: null,
  retireAs: 'active',
  sync: false,
  docs: false,
  now: new Date('2026-02-12T15:00:00Z'),
  ...o,
});

/** Calls the same promote() the CLI calls, with a real DuckDB registry in the temp repo. */
async function run(dir: string, o: Partial<PromoteOptions> = {}, env: NodeJS.ProcessEnv = {}) {
  const loaded = loadConfig({ cwd: dir });
  const registry = await openRegistry(loaded.config.registry, adapterOptions(loaded, env));
  try {
    return await promote(loaded, env, registry, opts(o));
  } finally {
    await registry.close();
  }
}

describe('promote (library)', () => {
  it('prints the exact deploy command for the service, region from the service YAML', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    const r = await run(dir);
    expect(r.deploy).toEqual([
      {
        system: 'catboost_v9',
        service: 'prediction-worker',
        region: 'us-west2',
        env: 'CATBOOST_V9_MODEL_PATH',
        current: `gs://nba-props-platform-models/catboost/v9/${PROD_ID}.cbm`,
        wanted: `gs://nba-props-platform-models/catboost/v9/${GOOD}.cbm`,
        command: `gcloud run services update prediction-worker --region=us-west2 --project=nba-props-platform --update-env-vars=CATBOOST_V9_MODEL_PATH=gs://nba-props-platform-models/catboost/v9/${GOOD}.cbm`,
      },
    ]);
  });

  it('loses to a hand edit made after the read: CONFLICT, the edit survives, no history event', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    const file = join(dir, EXAMPLE_MANIFEST);
    const edited = readFileSync(file, 'utf8').replace('"training_samples": 9993', '"training_samples": 9994');
    // The edit lands after promote read the manifest and passed the gates, right before its write.
    const err = await run(dir, { beforeWrite: () => writeFileSync(file, edited) }).then(
      () => undefined,
      (e: unknown) => e as ModelgovError,
    );
    expect(err?.code).toBe('CONFLICT');
    expect(err?.message).toContain('changed since it was read; nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(existsSync(join(dir, HISTORY))).toBe(false);
    const loaded = loadConfig({ cwd: dir });
    const registry = await openRegistry(loaded.config.registry, adapterOptions(loaded, {}));
    expect(await registry.history()).toEqual([]);
    await registry.close();
  });

  it('lets exactly one of two concurrent promotions win; the other gets CONFLICT and nothing of it is written', async () => {
    const dir = copyExample();
    const file = join(dir, EXAMPLE_MANIFEST);
    // Both have read the manifest and passed the gates before either writes.
    const line = lineUp(2);
    const runs = [RETRAIN, UNTESTED].map((id) => run(dir, { id, force: true, reason: `race ${id}`, beforeWrite: line.arrive }));
    for (const r of runs) void r.finally(line.release).catch(() => undefined);
    const [a, b] = await Promise.allSettled(runs);
    expect(line.arrived()).toBe(2);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const [won, lost] = a.status === 'fulfilled' ? [a, b] : [b, a];
    const winner = (won as PromiseFulfilledResult<PromoteResult>).value.model;
    const loser = winner === RETRAIN ? UNTESTED : RETRAIN;
    expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed since it was read; nothing was written') });

    const m = JSON.parse(readFileSync(file, 'utf8'));
    expect(m.production_model).toBe(winner);
    expect(m.models[winner].status).toBe('production');
    expect(m.models[loser].status).toBe(exampleManifest().models[loser].status);
    expect(m.models[PROD_ID].status).toBe('active');
    expect(existsSync(`${file}.modelgov.lock`)).toBe(false);
    // Only the winner is in the history.
    const events = readFileSync(join(dir, HISTORY), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { model_id: string });
    expect(events.map((e) => e.model_id)).toEqual([winner]);
  });

  it('refuses --force without a reason even when called directly', async () => {
    const dir = copyExample();
    await expect(run(dir, { id: 'catboost_v9_feb_02_retrain', force: true, reason: '  ' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('clockFrom', () => {
  it('reads MODELGOV_NOW as a day or an ISO timestamp, else the clock; rejects junk', () => {
    expect(clockFrom({ MODELGOV_NOW: '2026-02-12' }).toISOString()).toBe('2026-02-12T00:00:00.000Z');
    expect(clockFrom({ MODELGOV_NOW: '2026-02-12T23:30:00-08:00' }).toISOString()).toBe('2026-02-13T07:30:00.000Z');
    expect(Math.abs(clockFrom({}).getTime() - Date.now())).toBeLessThan(5_000);
    expect(() => clockFrom({ MODELGOV_NOW: '2026-02-30' })).toThrow(/MODELGOV_NOW/);
    expect(() => clockFrom({ MODELGOV_NOW: 'yesterday' })).toThrow(/MODELGOV_NOW/);
  });
});
