import { selectSystems } from '../../app/load-manifests.js';
import { ModelgovError } from '../../errors.js';
import { formatModelName } from '../../naming/index.js';
import { parseInstant } from '../../util/instant.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

/**
 * `name --system S --features N --train-start D --train-end D [--variant V]… [--ext E] [--at ISO]`:
 * prints the conventional file name. The extension defaults to the system's first configured one
 * (else `.cbm`) and the creation time to now; `--at` must carry its zone. Names are in UTC, so
 * they do not depend on the machine.
 */
export const run: CommandRun<OptionsOf<'name'>> = async (ctx, _args, opts) => {
  const loaded = ctx.config();
  const [system] = selectSystems(loaded, String(opts.system));
  const rawFeatures = String(opts.features);
  if (!/^\d+$/.test(rawFeatures)) {
    throw new ModelgovError('USAGE', `--features: "${rawFeatures}" is not a positive integer`, { fix: 'Pass the feature count, e.g. --features 33.' });
  }
  let at = new Date();
  if (opts.at !== undefined) {
    // An instant with its zone, never read in the machine's zone (nor silently as UTC).
    const raw = String(opts.at);
    const instant = parseInstant(raw);
    if (instant === undefined) {
      throw new ModelgovError('USAGE', `--at: "${raw}" is not an ISO 8601 instant with a zone (a real day and time, ending in Z or ±hh:mm)`, {
        fix: 'Pass e.g. --at 2026-02-08T14:47:49Z (UTC) or --at 2026-02-08T15:47:49+01:00, or leave it out for now.',
      });
    }
    at = new Date(instant.millis);
  }
  const configured = system.artifacts?.extensions?.find((e) => typeof e === 'string' && e.length > 0);
  let ext = opts.ext !== undefined ? String(opts.ext) : (configured ?? '.cbm');
  if (ext !== '' && !ext.startsWith('.')) ext = `.${ext}`;
  const name = formatModelName({
    system: system.id,
    features: Number(rawFeatures),
    variants: (opts.variant as string[] | undefined) ?? [],
    trainStart: String(opts.trainStart),
    trainEnd: String(opts.trainEnd),
    at,
    ext,
  });
  ctx.out(ctx.json ? JSON.stringify({ ok: true, name, system: system.id }) : name);
  return 'ok';
};
