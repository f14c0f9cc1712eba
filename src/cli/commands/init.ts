import { initRepo } from '../../app/init.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

/** `init`: config, husky hooks, lint-staged entry, docs markers; only what is missing (idempotent). */
export const run: CommandRun<OptionsOf<'init'>> = async (ctx, _args, opts) => {
  const result = await initRepo({
    cwd: ctx.cwd,
    env: ctx.env,
    configPath: ctx.configPath,
    system: opts.system,
    manifest: opts.manifest,
    docs: opts.docs,
    install: opts.install !== false,
    log: ctx.err,
  });
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, root: result.root, changed: result.changed, unchanged: result.unchanged, next: result.notes }));
    return 'ok';
  }
  for (const c of result.changed) ctx.out(`set up:    ${c}`);
  for (const u of result.unchanged) ctx.out(`unchanged: ${u}`);
  if (result.changed.length === 0) ctx.out('modelgov init: nothing to do, the repo is already set up.');
  for (const n of result.notes) ctx.out(`next: ${n}`);
  return 'ok';
};
