import { formatMetric } from '../../util/format-metric.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { ModelgovError } from '../../errors.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';

export const run: CommandRun<OptionsOf<'info'>> = async (ctx, args) => {
  const id = args[0];
  const { row, near } = await withRegistry(ctx, async (r) => {
    const found = await r.get(id);
    return { row: found, near: found ? [] : didYouMean(id, (await r.list()).map((m) => m.model_id)) };
  });
  if (!row) {
    throw new ModelgovError('NOT_FOUND', `model "${id}" is not in the registry${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}`, {
      fix: 'Check the id with `modelgov list`; if it is in the manifest, run `modelgov sync`.',
    });
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, model: row }));
    return 'ok';
  }
  const width = Math.max(...Object.keys(row).map((k) => k.length));
  for (const [k, v] of Object.entries(row)) ctx.out(`${k.padEnd(width)}  ${formatMetric(k, v)}`);
  return 'ok';
};
