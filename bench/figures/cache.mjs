// Figure 2c: the DuckDB registry as a cache of the repository, 10,000 models. "rebuild" deletes
// .modelgov/ and runs a reading command (`info <id>`), which rebuilds the cache from the manifest
// and the history file; "unchanged" runs the same command on a fresh cache, which pays only the
// fingerprint check (read + hash the sources, one SELECT). Baselines in the same rounds:
// `node -e 0` and the first sync of the same manifest (figure 2a's subject).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig, generateManifest } from '../lib/generate.mjs';
import { interleave, nodeStart, round, timeRun } from '../lib/measure.mjs';
import { BIN, configRepo, hermeticEnv } from '../lib/repo.mjs';

export async function benchCache({ runs, n = 10_000, log }) {
  const env = hermeticEnv();
  const config = benchConfig({ docs: [] });
  delete config.systems[0].deployment;
  const manifest = generateManifest(n);
  const dir = configRepo(env, { config, manifest, name: `cache${n}` });
  const id = Object.keys(manifest.models)[Math.floor(n / 2)];
  const manifestFile = join(dir, config.systems[0].manifest);
  const fresh = () => rmSync(join(dir, '.modelgov'), { recursive: true, force: true });
  const check = (res, what) => {
    if (!res.stdout.includes(id)) throw new Error(`${what}: info ${id} printed ${res.stdout.slice(0, 200)}`);
    return res;
  };
  const subjects = [
    { id: 'node -e 0', run: () => nodeStart(env) },
    {
      id: `sync ${n} first`,
      run: () => {
        fresh();
        return timeRun(process.execPath, [BIN, 'sync'], { cwd: dir, env, label: 'sync first' });
      },
    },
    {
      id: `rebuild ${n} (info after rm -rf .modelgov)`,
      run: () => {
        fresh();
        return check(timeRun(process.execPath, [BIN, 'info', id], { cwd: dir, env, label: 'rebuild' }), 'rebuild');
      },
    },
    { id: `info on an unchanged cache (${n})`, run: () => check(timeRun(process.execPath, [BIN, 'info', id], { cwd: dir, env, label: 'unchanged' }), 'unchanged') },
  ];
  const res = await interleave(subjects, { runs, warmup: 1, onRound: (r) => log?.(`cache round ${r + 1}/${runs}`) });

  // The fingerprint's own work, in-process: read and hash every source (what each command adds).
  const samples = [];
  for (let i = 0; i < 21; i++) {
    const t0 = process.hrtime.bigint();
    createHash('sha256').update(readFileSync(manifestFile)).digest('hex');
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const hashMs = samples[10];

  const node = res['node -e 0'].wall.median;
  const first = res[`sync ${n} first`].wall.median;
  const rows = Object.entries(res).map(([subject, r]) => {
    const row = { id: subject, wall: r.wall, cpu: r.cpu, units: round(r.wall.median / node) };
    if (subject.startsWith('rebuild')) {
      row.goal = '≤ the first sync';
      row.pass = r.wall.median <= first;
    }
    return row;
  });
  rows.push({ id: `fingerprint: read + hash the ${round(readFileSync(manifestFile).length / 2 ** 20, 1)} MB manifest (in-process)`, wall: { median: round(hashMs) }, units: round(hashMs / node, 3) });
  return {
    figure: 'cache-duckdb',
    rows,
    notes: [`${n} generated models; "rebuild" = \`modelgov info <id>\` after deleting .modelgov/; "unchanged" = the same command on a fresh cache (fingerprint check only)`],
  };
}
