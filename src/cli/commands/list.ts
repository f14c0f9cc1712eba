import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { shaPrefix, table } from '../report/table.js';

export const run: CommandRun<OptionsOf<'list'>> = async (ctx, _args, opts) => {
  const rows = await withRegistry(ctx, (r) => r.list({ system: opts.system }));
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, models: rows }));
    return 'ok';
  }
  if (rows.length === 0) {
    ctx.out('The registry has no models yet. Run `modelgov sync` to copy the manifest into it.');
    return 'ok';
  }
  ctx.out(
    table(
      ['model_id', 'status', 'training window', 'feat', 'mae', 'hit3+', 'sha256', 'prod'],
      rows.map((r) => [
        r.model_id,
        r.status,
        `${r.training_start_date} → ${r.training_end_date}`,
        r.feature_count,
        r.evaluation_mae,
        r.evaluation_hit_rate_edge_3plus,
        shaPrefix(r.sha256_hash),
        r.is_production ? '*' : '',
      ]),
    ),
  );
  return 'ok';
};
