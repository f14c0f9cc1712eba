// Figure 7: `modelgov report` on a generated manifest of 1,000 models (synced into DuckDB, with
// gates configured and 50 recorded promotions): the whole run — config, manifest, registry
// history, gates of every model, a drift run, Vega-Lite + Vega rendering the timeline as SVG,
// and the HTML written. Goal: under 2 s of wall time. `node -e 0` is measured in the same rounds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateManifest } from '../lib/generate.mjs';
import { interleave, nodeStart, round, timeRun } from '../lib/measure.mjs';
import { BIN, EXAMPLE, EXAMPLE_MANIFEST, configRepo, hermeticEnv } from '../lib/repo.mjs';

const GOAL_MS = 2_000;

export async function benchReport({ runs, models = 1_000, promotions = 50, log }) {
  const env = hermeticEnv();
  const example = JSON.parse(readFileSync(join(EXAMPLE, 'modelgov.config.json'), 'utf8'));
  const manifest = generateManifest(models);
  const config = { registry: 'duckdb:.modelgov/registry.duckdb', systems: [{ id: 'catboost_v9', manifest: EXAMPLE_MANIFEST }], gates: example.gates };
  const repo = configRepo(env, { config, manifest, name: `report${models}` });
  timeRun(process.execPath, [BIN, 'sync'], { cwd: repo, env, label: 'sync (setup)' });
  // Promotions leave history events (and production periods on the chart); --no-sync --no-docs
  // keep the setup short (the registry then lags behind the manifest: drift has findings to show).
  const ids = Object.keys(manifest.models);
  for (let i = 0; i < promotions; i++) {
    const id = ids[ids.length - 2 - i * 3];
    const day = new Date(Date.UTC(2025, 0, 1) + i * 7 * 86_400_000).toISOString().slice(0, 10);
    timeRun(process.execPath, [BIN, 'promote', id, '--force', '--reason', 'bench', '--by', 'bench', '--no-sync', '--no-docs'], { cwd: repo, env: { ...env, MODELGOV_NOW: day }, label: 'promote (setup)' });
  }
  const report = () => {
    const r = timeRun(process.execPath, [BIN, 'report', '--out', 'report.html'], { cwd: repo, env, label: 'report' });
    if (!r.stdout.includes(`${models} model(s), ${promotions} promotion(s)`)) throw new Error(`report did not see the models and promotions: ${r.stdout}`);
    return r;
  };
  const res = await interleave(
    [
      { id: 'node -e 0', run: () => nodeStart(env) },
      { id: `report, ${models.toLocaleString('en')} models, ${promotions} promotions`, run: report },
    ],
    { runs, warmup: 1, onRound: (r) => log?.(`report round ${r + 1}/${runs}`) },
  );
  const unit = res['node -e 0'].wall.median;
  const rows = Object.entries(res).map(([id, r]) => {
    const row = { id, wall: r.wall, cpu: r.cpu };
    if (id !== 'node -e 0') {
      row.units = round(r.wall.median / unit);
      row.goal = `< ${GOAL_MS} ms`;
      row.pass = r.wall.median < GOAL_MS;
    }
    return row;
  });
  const bytes = readFileSync(join(repo, 'report.html')).length;
  return { figure: 'report', rows, notes: [`the page: ${round(bytes / 1024, 0)} KB (the chart shows the 60 newest models and the production model; the table all ${models})`] };
}
