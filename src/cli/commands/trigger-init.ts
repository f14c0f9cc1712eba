import { initTrigger } from '../../trigger/init-trigger.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

declare const __MODELGOV_VERSION__: string | undefined;

/** `modelgov trigger init <dir>`: writes the auto-sync function source and prints how to deploy it. */
export const run: CommandRun<OptionsOf<'trigger init'>> = async (ctx, args, opts) => {
  const loaded = ctx.config();
  const version = typeof __MODELGOV_VERSION__ === 'string' ? __MODELGOV_VERSION__ : '0.0.0';
  const r = initTrigger(loaded, args[0], { cwd: ctx.cwd, version, region: opts.region, serviceAccount: opts.serviceAccount });
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, ...r }));
    return 'ok';
  }
  ctx.out(`wrote ${r.files.join(', ')}`);
  ctx.out('deploy (once per bucket):');
  for (const c of r.commands) ctx.out(`  ${c}`);
  ctx.out('the service account needs:');
  for (const role of r.roles) ctx.out(`  - ${role}`);
  return 'ok';
};
