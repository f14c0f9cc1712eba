import type { RegistryRow } from '../../ports.js';
import { formatMetric } from '../../util/format-metric.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { shaPrefix, table } from '../report/table.js';

const natural = new Intl.Collator('en', { numeric: true });

/**
 * Rows grouped by system in natural order (catboost_v9 before catboost_v12), newest first
 * inside a system: the order people scan a fleet in, whatever order the backend returned.
 */
export function sortForListing(rows: readonly RegistryRow[]): RegistryRow[] {
  const created = (r: RegistryRow) => String(r.created_at ?? '');
  return [...rows].sort(
    (a, b) => natural.compare(a.system_id, b.system_id) || created(b).localeCompare(created(a)) || natural.compare(b.model_id, a.model_id),
  );
}

export const run: CommandRun<OptionsOf<'list'>> = async (ctx, _args, opts) => {
  const rows = sortForListing(await withRegistry(ctx, (r) => r.list({ system: opts.system })));
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
      ['system', 'model_id', 'status', 'training window', 'feat', 'mae', 'hit3+', 'created', 'sha256', 'prod'],
      rows.map((r) => [
        r.system_id,
        r.model_id,
        r.status,
        `${r.training_start_date} → ${r.training_end_date}`,
        r.feature_count,
        formatMetric('mae', r.evaluation_mae),
        formatMetric('evaluation_hit_rate_edge_3plus', r.evaluation_hit_rate_edge_3plus),
        r.created_at ? String(r.created_at).slice(0, 10) : null,
        shaPrefix(r.sha256_hash),
        r.is_production ? '*' : '',
      ]),
      { maxWidth: ctx.columns },
    ),
  );
  return 'ok';
};
