import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterOptions, openRegistry } from '../../src/adapters/index.js';
import { clockFrom, promote, type PromoteOptions } from '../../src/app/promote.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ModelgovError } from '../../src/errors.js';
import { copyExample, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';
import { addGoodModel, GOOD } from './good-model.js';

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

// Each case runs the CLI several times in a fresh repo; a busy CI machine needs the headroom.
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
        command: `gcloud run services update prediction-worker --region=us-west2 --update-env-vars=CATBOOST_V9_MODEL_PATH=gs://nba-props-platform-models/catboost/v9/${GOOD}.cbm`,
      },
    ]);
  });

  it('loses to a hand edit made after the read: CONFLICT, the edit survives, no history event', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    const file = join(dir, EXAMPLE_MANIFEST);
    const barrier = mkdtempSync(join(tmpdir(), 'modelgov-barrier-'));
    const pending = run(dir, {}, { MODELGOV_TEST_BARRIER: barrier });
    while (!readdirSync(barrier).some((f) => f.startsWith('ready-'))) await new Promise((r) => setTimeout(r, 5));
    const edited = readFileSync(file, 'utf8').replace('"training_samples": 9993', '"training_samples": 9994');
    writeFileSync(file, edited);
    writeFileSync(join(barrier, 'go'), '');
    const err = (await pending.then(
      () => undefined,
      (e: unknown) => e,
    )) as ModelgovError;
    expect(err?.code).toBe('CONFLICT');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    const loaded = loadConfig({ cwd: dir });
    const registry = await openRegistry(loaded.config.registry, adapterOptions(loaded, {}));
    expect(await registry.history()).toEqual([]);
    await registry.close();
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
