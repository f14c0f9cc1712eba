import { ModelgovError } from '../../errors.js';
import { VARIANT_PATTERN } from '../../naming/check-model-name.js';
import { isCalendarDate } from '../../util/calendar.js';

/** The rest of the duplicate key as the messages say it. */
function describeKey(features: number | undefined, variants: readonly string[]): string {
  const f = features === undefined ? '' : ` with ${features} features`;
  return `${f}${variants.length > 0 ? `${f ? ' and' : ' with'} variant ${[...variants].sort().join(', ')}` : f ? '' : ' (no variant tags)'}`;
}
import { loadManifests, selectSystems } from '../../app/load-manifests.js';
import { findDuplicates } from '../../app/find-duplicates.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { shaPrefix, table } from '../report/table.js';

/**
 * Exit 1 when a model with the same training window exists, so a training script can stop
 * before spending hours on a retrain that was already done (`if modelgov check-duplicate …`).
 */
export const run: CommandRun<OptionsOf<'check-duplicate'>> = async (ctx, _args, opts) => {
  for (const [flag, v] of [['--train-start', opts.trainStart], ['--train-end', opts.trainEnd]] as const) {
    if (!isCalendarDate(String(v))) {
      throw new ModelgovError('USAGE', `${flag}: not a calendar date "${v}"`, { fix: `Pass ${flag} as YYYY-MM-DD, a day that exists.` });
    }
  }
  if (opts.trainStart > opts.trainEnd) {
    throw new ModelgovError('USAGE', `--train-start ${opts.trainStart} is after --train-end ${opts.trainEnd}`, { fix: 'Swap the dates.' });
  }
  let features: number | undefined;
  if (opts.features !== undefined) {
    features = Number(opts.features);
    if (!/^[1-9]\d*$/.test(String(opts.features))) {
      throw new ModelgovError('USAGE', `--features: not a positive integer "${opts.features}"`, { fix: 'Pass the feature count of the model you are about to train, e.g. --features 33.' });
    }
  }
  const variants: string[] = opts.variant ?? [];
  const bad = variants.find((v) => !VARIANT_PATTERN.test(v));
  if (bad !== undefined) {
    throw new ModelgovError('USAGE', `--variant: "${bad}" is not a variant tag`, { fix: 'A variant tag is lowercase letters, digits and dots, e.g. --variant q0.43 --variant huber.' });
  }
  const loaded = ctx.config();
  const systems = selectSystems(loaded, opts.system);
  const manifests = await loadManifests(loaded, ctx.env, systems);
  const twins = await withRegistry(ctx, (r) =>
    findDuplicates(manifests, r, { start: opts.trainStart, end: opts.trainEnd, system: opts.system, features, variants }),
  );
  // A retrain on a retired model's key is still a retrain of the same thing: check-duplicate
  // lists every twin (the built-in gate, which judges a promotion, leaves retired ones out).
  const rows = [...twins.duplicates, ...twins.retired].sort((a, b) => a.model_id.localeCompare(b.model_id));
  const duplicate = rows.length > 0;
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: !duplicate || Boolean(opts.force),
        duplicate,
        forced: Boolean(opts.force) && duplicate,
        window: { start: opts.trainStart, end: opts.trainEnd },
        features: features ?? null,
        variants: [...variants].sort(),
        models: rows.map((r) => ({ model_id: r.model_id, system_id: r.system_id, status: r.status, sha256: r.sha256_hash, created_at: r.created_at })),
      }),
    );
  } else if (duplicate) {
    const say = opts.force ? ctx.err : ctx.out;
    say(`${opts.force ? 'warning' : 'duplicate'}: ${rows.length} model(s) already trained on ${opts.trainStart} → ${opts.trainEnd}${describeKey(features, variants)}:`);
    say(table(['model_id', 'status', 'sha256', 'created'], rows.map((r) => [r.model_id, r.status, shaPrefix(r.sha256_hash), r.created_at?.slice(0, 19).replace('T', ' ') ?? null])));
    say(opts.force ? 'continuing because of --force.' : 'Pick another training window, or pass --force to train anyway (the duplicate is then on record).');
  } else {
    ctx.out(`no model is trained on ${opts.trainStart} → ${opts.trainEnd}${describeKey(features, variants)}.`);
  }
  return duplicate && !opts.force ? 'failed' : 'ok';
};
