// Figure 5: `modelgov drift` on the example.
//  a) embedded sources (local manifest, DuckDB registry, service YAML): goal ≤ 4 node-start units
//     of wall time (drift's whole run divided by one `node -e 0`, same rounds);
//  b) cloud sources — the manifest on a GCS fake, the registry on a BigQuery fake, the deployment
//     on a Cloud Run fake — each answering every request after 200 ms, against the same fakes
//     answering at once: goal (b − b₀) ≤ 1.3 × 200 ms, i.e. the sources are read in parallel.
//     Runs in a child under tsx (the fakes are TypeScript test helpers).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, nodeStart, round, timeRun } from '../lib/measure.mjs';
import { BIN, ROOT, exampleRepo, git, hermeticEnv } from '../lib/repo.mjs';

export async function benchDriftEmbedded({ runs, log }) {
  const env = hermeticEnv();
  const repo = exampleRepo(env, { files: 0, name: 'drift' });
  // Registry and docs in line with the manifest, committed: drift finds nothing (exit 0).
  timeRun(process.execPath, [BIN, 'sync'], { cwd: repo, env, label: 'sync (setup)' });
  timeRun(process.execPath, [BIN, 'docs'], { cwd: repo, env, label: 'docs (setup)' });
  git(repo, ['commit', '-q', '-am', 'docs: generated section'], env);
  const drift = () => timeRun(process.execPath, [BIN, 'drift'], { cwd: repo, env, label: 'drift (embedded)' });
  const res = await interleave(
    [
      { id: 'node -e 0', run: () => nodeStart(env) },
      { id: 'drift (embedded sources)', run: drift },
    ],
    { runs, warmup: 1, onRound: (r) => log?.(`drift (embedded) round ${r + 1}/${runs}`) },
  );
  const unit = res['node -e 0'].wall.median;
  const rows = Object.entries(res).map(([id, r]) => {
    const row = { id, wall: r.wall, cpu: r.cpu };
    if (id !== 'node -e 0') {
      row.units = round(r.wall.median / unit);
      row.goal = 4;
      row.pass = row.units <= 4;
    }
    return row;
  });
  return { figure: 'drift-embedded', rows, notes: ['units = median(drift) / median(node -e 0): the whole run, start-up included'] };
}

/** Runs bench/cloud.mjs under tsx; `{skipped}` when tsx or the fakes are not there. */
export function cloudChild(task, args, { log } = {}) {
  const need = ['node_modules/tsx/package.json', 'test/fakes/bigquery-fake.ts', 'test/fakes/gcs-fake.ts', 'test/fakes/cloud-run-fake.ts'];
  const missing = need.filter((p) => !existsSync(join(ROOT, p)));
  if (missing.length) return { skipped: `not available: ${missing.join(', ')}` };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'cloud.mjs'), task, JSON.stringify(args)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const line of (r.stderr ?? '').split('\n').filter(Boolean)) log?.(line);
  if (r.status !== 0) return { skipped: `bench/cloud.mjs ${task} failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-6).join(' | ')}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export async function benchDriftCloud({ runs, delayMs = 200, log }) {
  const out = cloudChild('drift', { runs, delayMs }, { log });
  if (out.skipped) return { figure: 'drift-cloud', skipped: out.skipped, rows: [] };
  const ids = Object.keys(out.results);
  const [node, fast, slow] = ids.map((id) => out.results[id]);
  const extra = slow.wall.median - fast.wall.median;
  const rows = ids.map((id) => ({ id, wall: out.results[id].wall, cpu: out.results[id].cpu }));
  const goalMs = 1.3 * delayMs;
  rows[2].overAtOnce = round(extra);
  rows[2].goal = `≤ ${goalMs} ms over the same fakes answering at once`;
  rows[2].pass = extra <= goalMs;
  rows[1].units = round(fast.wall.median / node.wall.median);
  rows[2].units = round(slow.wall.median / node.wall.median);
  const timeline = (out.timeline ?? []).map((e) => (e.source === 'process' ? `exit ${e.answeredMs}` : `${e.source} ${e.arrivedMs}→${e.answeredMs}`)).join(', ');
  return {
    figure: 'drift-cloud',
    delayMs,
    requestsPerRun: out.requestsPerRun,
    timeline: out.timeline,
    rows,
    notes: [
      `each request to a fake is held ${delayMs} ms by a loopback proxy; requests per drift run: GCS ${out.requestsPerRun.gcs}, BigQuery ${out.requestsPerRun.bigquery}, Cloud Run ${out.requestsPerRun.cloudrun}`,
      `parallel sources: extra wall ≈ ${delayMs} ms × (requests of the slowest source, if they are sequential); sum of all: ${delayMs * (out.requestsPerRun.gcs + out.requestsPerRun.bigquery + out.requestsPerRun.cloudrun)} ms`,
      `timeline of the last delayed run (ms after spawn, request arrived→answered): ${timeline}`,
    ],
  };
}
