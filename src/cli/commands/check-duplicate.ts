import { ModelgovError } from '../../errors.js';
import { isCalendarDate } from '../../schema/json-schema.js';
import { loadManifests, selectSystems } from '../../app/load-manifests.js';
import { manifestToRows } from '../../sync/to-rows.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { shaPrefix, table } from '../report/table.js';

/**
 * Exit 1 when a model with the same training window exists, so a training script can stop
 * before spending hours on a retrain that was already done (`if modelgov check-duplicate …`).
 */
export const run: CommandRun = async (ctx, _args, opts) => {
  for (const [flag, v] of [['--train-start', opts.trainStart], ['--train-end', opts.trainEnd]] as const) {
    if (!isCalendarDate(String(v))) {
      throw new ModelgovError('USAGE', `${flag}: not a calendar date "${v}"`, { fix: `Pass ${flag} as YYYY-MM-DD, a day that exists.` });
    }
  }
  if (opts.trainStart > opts.trainEnd) {
    throw new ModelgovError('USAGE', `--train-start ${opts.trainStart} is after --train-end ${opts.trainEnd}`, { fix: 'Swap the dates.' });
  }
  const loaded = ctx.config();
  const systems = selectSystems(loaded, opts.system);
  // The manifest is the source of truth and the registry may lag behind it: look in both.
  const [manifests, registered] = await Promise.all([
    loadManifests(loaded, ctx.env, systems),
    withRegistry(ctx, (r) => r.findByWindow(opts.trainStart, opts.trainEnd, opts.system)),
  ]);
  const byId = new Map(registered.map((r) => [r.model_id, r]));
  for (const m of manifests) {
    for (const row of manifestToRows(m.system, m.manifest)) {
      if (row.training_start_date === opts.trainStart && row.training_end_date === opts.trainEnd && !byId.has(row.model_id)) byId.set(row.model_id, row);
    }
  }
  const rows = [...byId.values()].sort((a, b) => a.model_id.localeCompare(b.model_id));
  const duplicate = rows.length > 0;
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: !duplicate || Boolean(opts.force),
        duplicate,
        forced: Boolean(opts.force) && duplicate,
        window: { start: opts.trainStart, end: opts.trainEnd },
        models: rows.map((r) => ({ model_id: r.model_id, system_id: r.system_id, status: r.status, sha256: r.sha256_hash, created_at: r.created_at })),
      }),
    );
  } else if (duplicate) {
    const say = opts.force ? ctx.err : ctx.out;
    say(`${opts.force ? 'warning' : 'duplicate'}: ${rows.length} model(s) already trained on ${opts.trainStart} → ${opts.trainEnd}:`);
    say(table(['model_id', 'status', 'sha256', 'created'], rows.map((r) => [r.model_id, r.status, shaPrefix(r.sha256_hash), r.created_at?.slice(0, 19).replace('T', ' ') ?? null])));
    say(opts.force ? 'continuing because of --force.' : 'Pick another training window, or pass --force to train anyway (the duplicate is then on record).');
  } else {
    ctx.out(`no model is trained on ${opts.trainStart} → ${opts.trainEnd}.`);
  }
  return duplicate && !opts.force ? 'failed' : 'ok';
};
