import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';

interface GatesJson {
  ok: boolean;
  model: string;
  gates: { id: string; metric: string; value: unknown; threshold: string; passed: boolean; result: string; message: string; builtin: boolean }[];
}

describe('modelgov gates', () => {
  it('fails the Feb-2 retrain naming the vegas-bias and hit-rate gates (exit 1)', async () => {
    const dir = copyExample();
    const r = await run(dir, ['gates', 'catboost_v9_feb_02_retrain']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^vegas-bias\s+vegas_bias\s+-2\.26\s+\|x\| <= 1\.5\s+FAIL$/m);
    expect(r.stdout).toMatch(/^hit-rate-3plus\s+high_edge_hit_rate_3plus\s+51\.2\s+>= 60\s+FAIL$/m);
    expect(r.stdout).toMatch(/^sample-size\s+graded_edge_3plus\s+86\s+>= 50\s+pass$/m);
    expect(r.stdout).toMatch(/^mae-vs-baseline\s+mae\s+4\.61\s+< 4\.82 \(production\)\s+pass$/m);
    expect(r.stdout).toContain('FAIL vegas-bias: vegas_bias -2.26 is outside ±1.5');
    expect(r.stdout).toContain('FAIL hit-rate-3plus: high_edge_hit_rate_3plus 51.2 is below the minimum 60');
    // The built-in duplicate-window gate is shown and marked as always on.
    expect(r.stdout).toMatch(/^duplicate-window \*.*FAIL$/m);
    expect(r.stdout).toContain('catboost_v9_2026_02 (untested)');
    expect(r.stdout).toContain('built in, always on');
  });

  it('--json gives {ok, model, gates} with every gate', async () => {
    const dir = copyExample();
    const r = await run(dir, ['--json', 'gates', 'catboost_v9_feb_02_retrain']);
    expect(r.code).toBe(1);
    const out = parsed(r) as GatesJson;
    expect(out.ok).toBe(false);
    expect(out.model).toBe('catboost_v9_feb_02_retrain');
    expect(out.gates.map((g) => [g.id, g.result])).toEqual([
      ['duplicate-window', 'fail'],
      ['vegas-bias', 'fail'],
      ['hit-rate-3plus', 'fail'],
      ['sample-size', 'pass'],
      ['tier-bias', 'fail'],
      ['mae-vs-baseline', 'pass'],
    ]);
    expect(out.gates[1]).toMatchObject({ metric: 'vegas_bias', value: -2.26, threshold: '|x| <= 1.5', passed: false, builtin: false });
    expect(out.gates[0].builtin).toBe(true);
  });

  it('fails every gate of a model without metrics, saying the metric is missing', async () => {
    const dir = copyExample();
    const r = await run(dir, ['--json', 'gates', 'catboost_v9_2026_02']);
    expect(r.code).toBe(1);
    const out = parsed(r) as GatesJson;
    const metricGates = out.gates.filter((g) => !g.builtin);
    expect(metricGates).toHaveLength(5);
    for (const g of metricGates) {
      expect(g.passed).toBe(false);
      expect(g.value).toBeNull();
      expect(g.message).toContain(`${g.metric} is missing`);
    }
    const text = await run(dir, ['gates', 'catboost_v9_2026_02']);
    expect(text.stdout).toMatch(/^vegas-bias\s+vegas_bias\s+missing\s+/m);
  });

  it('passes the production model (exit 0)', async () => {
    const dir = copyExample();
    const r = await run(dir, ['gates', PROD_ID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all 6 gates pass.');
  });

  it('reads the registry cache as the manifest is now: a twin dropped from the manifest no longer counts', async () => {
    const dir = copyExample();
    expect((await run(dir, ['sync'])).code).toBe(0);
    const before = parsed(await run(dir, ['--json', 'gates', 'catboost_v9_feb_02_retrain'])) as GatesJson;
    expect(before.gates[0]).toMatchObject({ id: 'duplicate-window', passed: false });
    expect(before.gates[0].message).toContain('catboost_v9_2026_02');
    // Drop the twin from the manifest: the DuckDB cache is rebuilt on the next read and forgets it.
    const file = join(dir, EXAMPLE_MANIFEST);
    const m = JSON.parse(readFileSync(file, 'utf8'));
    delete m.models.catboost_v9_2026_02;
    writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
    const out = parsed(await run(dir, ['--json', 'gates', 'catboost_v9_feb_02_retrain'])) as GatesJson;
    expect(out.gates[0]).toMatchObject({ id: 'duplicate-window', passed: true });
  });

  it('exits 2 for an unknown model id and names the ids that exist', async () => {
    const dir = copyExample();
    const r = await run(dir, ['gates', 'catboost_v9_nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown model "catboost_v9_nope"');
    expect(r.stderr).toContain(`fix: Use one of: ${PROD_ID} (catboost_v9)`);
  });
});
