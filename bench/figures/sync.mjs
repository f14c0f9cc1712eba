// Figure 2a: `modelgov sync` of generated manifests (10 / 1,000 / 10,000 models) into DuckDB via
// the CLI: a first sync into a fresh registry file, and an unchanged re-sync. Baselines in the same
// rounds: `node -e 0` and the 10-model sync (the goal is relative to it).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig, generateManifest } from '../lib/generate.mjs';
import { interleave, nodeStart, round, timeRun } from '../lib/measure.mjs';
import { BIN, configRepo, hermeticEnv } from '../lib/repo.mjs';

export async function benchSync({ runs, sizes, log }) {
  const env = hermeticEnv();
  const repos = new Map();
  for (const n of sizes) {
    const config = benchConfig({ docs: [] });
    delete config.systems[0].deployment;
    repos.set(n, configRepo(env, { config, manifest: generateManifest(n), name: `sync${n}` }));
  }
  const sync = (n, r, fresh) => {
    const dir = repos.get(n);
    if (fresh) rmSync(join(dir, '.modelgov'), { recursive: true, force: true });
    const res = timeRun(process.execPath, [BIN, 'sync'], { cwd: dir, env, label: `sync ${n}${fresh ? '' : ' (re-sync)'}` });
    // Warm-up rounds may run the re-sync before any first sync; measured rounds are checked.
    if (r >= 0) {
      const want = fresh ? `${n.toLocaleString('en-US')} inserted` : `0 inserted, 0 updated, ${n} unchanged`;
      const summary = res.stdout.trim().split('\n').pop();
      if (!summary.replace(/,(?=\d{3})/g, '').includes(want.replace(/,(?=\d{3})/g, ''))) throw new Error(`sync ${n}${fresh ? '' : ' re-sync'}: expected "${want}", got: ${summary}`);
    }
    return res;
  };
  const subjects = [{ id: 'node -e 0', run: () => nodeStart(env) }];
  for (const n of sizes) {
    subjects.push({ id: `sync ${n} first`, run: (r) => sync(n, r, true) });
    subjects.push({ id: `sync ${n} re-sync`, run: (r) => sync(n, r, false) });
  }
  const res = await interleave(subjects, { runs, warmup: 1, onRound: (r) => log?.(`sync round ${r + 1}/${runs}`) });
  const base = res[`sync ${sizes[0]} first`].wall.median;
  const rows = Object.entries(res).map(([id, r]) => {
    const row = { id, wall: r.wall, cpu: r.cpu };
    if (id.startsWith('sync')) row.vsSmallest = round(r.wall.median / base);
    if (id === `sync ${Math.max(...sizes)} first` && Math.max(...sizes) >= 10_000) {
      row.goal = '≤ 5,000 ms and ≤ 8× the 10-model sync';
      row.pass = r.wall.median <= 5_000 && row.vsSmallest <= 8;
    }
    return row;
  });
  return { figure: 'sync-duckdb', rows, notes: [`manifests generated in the team's format (~720 bytes of JSON per model); "first" deletes .modelgov/ before each run`] };
}
