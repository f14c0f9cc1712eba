import { describe, expect, it } from 'vitest';
import { cli, run } from '../helpers/cli.js';
import { copyExample } from '../helpers/example.js';

// run() stands in for a spawned CLI in many tests: what is piped in must reach the command the
// same way (lint-names --stdin read the worker's own stdin instead, and waited for it).
describe('in-process runs read the stdin they are given', () => {
  it('lint-names --stdin judges the piped paths, as the spawned CLI does', async () => {
    const dir = copyExample({ git: false });
    const input = 'models/catboost_v9/bad_name.cbm\nmodels/catboost_v9/catboost_v9_33f_train20251102-20260108_20260208_144749.cbm\n';
    const inProcess = await run(dir, ['--json', 'lint-names', '--stdin'], {}, input);
    expect(inProcess.code, inProcess.stderr).toBe(1);
    expect(JSON.parse(inProcess.stdout).violations.map((v: { path: string }) => v.path)).toEqual(['models/catboost_v9/bad_name.cbm']);
    const spawned = cli(dir, ['--json', 'lint-names', '--stdin'], {}, input);
    expect(inProcess).toEqual(spawned);
  });

  it('nothing piped in is nothing to judge (no wait for the worker stdin)', async () => {
    const dir = copyExample({ git: false });
    const r = await run(dir, ['--json', 'lint-names', '--stdin']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, violations: [] });
  });
});
