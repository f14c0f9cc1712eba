import { formatMetric } from '../../util/format-metric.js';
import { ModelgovError } from '../../errors.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { shaPrefix } from '../report/table.js';

export const run: CommandRun<OptionsOf<'production'>> = async (ctx, _args, opts) => {
  const rows = (await withRegistry(ctx, (r) => r.list({ system: opts.system }))).filter((r) => r.is_production);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, production: rows }));
    return 'ok';
  }
  if (rows.length === 0) {
    throw new ModelgovError('NOT_FOUND', 'the registry has no production model' + (opts.system ? ` for ${opts.system}` : ''), {
      fix: 'Run `modelgov sync` to copy the manifest into the registry.',
    });
  }
  for (const r of rows) {
    ctx.out(`${r.system_id}: ${r.model_id}`);
    ctx.out(`  path:     ${r.gcs_path}`);
    ctx.out(`  trained:  ${r.training_start_date} → ${r.training_end_date} (${r.training_samples ?? '?'} samples, ${r.feature_count ?? '?'} features)`);
    ctx.out(
      `  mae:      ${formatMetric('mae', r.evaluation_mae)}   hit rate edge 3+: ${formatMetric('evaluation_hit_rate_edge_3plus', r.evaluation_hit_rate_edge_3plus)}   5+: ${formatMetric('evaluation_hit_rate_edge_5plus', r.evaluation_hit_rate_edge_5plus)}`,
    );
    ctx.out(`  sha256:   ${shaPrefix(r.sha256_hash)}   since: ${r.production_start_date ?? '—'}`);
  }
  return 'ok';
};
