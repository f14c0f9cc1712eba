import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, PROD_ID } from '../helpers/example.js';
import { lineUp } from './line-up.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const UNTESTED = 'catboost_v9_2026_02';

// The CLI passes promote() no beforeWrite. In this file promote() gets the one a test sets, so
// two `modelgov promote` runs (in-process, through main()) can be lined up right before their
// manifest writes; everything else, from argument parsing to the exit code, is the real CLI.
const seam = vi.hoisted(() => ({ beforeWrite: undefined as undefined | (() => Promise<void>) }));
vi.mock('../../src/app/promote.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/app/promote.js')>();
  return { ...real, promote: (...[loaded, env, registry, opts]: Parameters<typeof real.promote>) => real.promote(loaded, env, registry, { ...opts, beforeWrite: seam.beforeWrite }) };
});

describe('modelgov promote, two at once', () => {
  it('lets exactly one of two concurrent promotions win; the other exits 2 with CONFLICT and nothing is lost', async () => {
    const dir = copyExample();
    const env = { MODELGOV_NOW: '2026-02-12T15:00:00Z' };
    // Both have read the manifest and passed the gates before either may write.
    const line = lineUp(2);
    seam.beforeWrite = line.arrive;
    const runs = [
      run(dir, ['--json', 'promote', RETRAIN, '--force', '--reason', 'race A'], env),
      run(dir, ['--json', 'promote', UNTESTED, '--force', '--reason', 'race B'], env),
    ];
    for (const r of runs) void r.finally(line.release);
    const [a, b] = await Promise.all(runs);
    seam.beforeWrite = undefined;
    expect(line.arrived()).toBe(2);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const [winner, loser] = a.code === 0 ? [RETRAIN, UNTESTED] : [UNTESTED, RETRAIN];
    const lost = a.code === 0 ? b : a;
    expect(parsed(lost).error.code).toBe('CONFLICT');
    expect(lost.stderr).toContain('changed since it was read; nothing was written');

    const m = JSON.parse(readFileSync(join(dir, EXAMPLE_MANIFEST), 'utf8'));
    expect(m.production_model).toBe(winner);
    expect(m.models[winner].status).toBe('production');
    expect(m.models[loser].status).toBe(exampleManifest().models[loser].status);
    expect(m.models[PROD_ID].status).toBe('active');
    expect(existsSync(join(dir, `${EXAMPLE_MANIFEST}.modelgov.lock`))).toBe(false);
    expect((await run(dir, ['sync', '--dry-run'])).code).toBe(0);
    // Only the winner is in the history.
    const promotions = parsed(await run(dir, ['--json', 'history'])).events.filter((e: { event_type: string }) => e.event_type === 'promote');
    expect(promotions.map((e: { model_id: string }) => e.model_id)).toEqual([winner]);
  });
});
