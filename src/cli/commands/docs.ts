import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { regenerateDocs } from '../../app/docs.js';

export const run: CommandRun<OptionsOf<'docs'>> = async (ctx, _args, opts) => {
  if (opts.staged) {
    // Same rules as the hook (skip variable, outside a repo, no config): it loads the config itself.
    const [{ runPreCommit }, { printPreCommit }] = await Promise.all([import('../../hooks/pre-commit/run-pre-commit.js'), import('../report/pre-commit.js')]);
    return printPreCommit(ctx, await runPreCommit(ctx, { lint: false }));
  }
  const loaded = ctx.config();
  const { changed, plans } = await regenerateDocs(loaded, ctx.env, { check: Boolean(opts.check) });
  if (opts.check) {
    const { docsDiff } = await import('../../docs/index.js');
    const stale = plans.filter((p) => p.changed);
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: stale.length === 0, stale: stale.map((p) => ({ file: p.file, diff: docsDiff(p.file, p.before, p.after) })), fresh: plans.filter((p) => !p.changed).map((p) => p.file) }));
    } else {
      for (const p of stale) ctx.out(docsDiff(p.file, p.before, p.after).trimEnd());
      for (const p of plans) ctx.out(`${p.changed ? 'stale' : 'fresh'}: ${p.file}`);
      if (stale.length) ctx.out('Run `modelgov docs` to regenerate (edit the manifest, not the section).');
    }
    return stale.length ? 'failed' : 'ok';
  }
  if (ctx.json) ctx.out(JSON.stringify({ ok: true, changed, unchanged: plans.filter((p) => !p.changed).map((p) => p.file) }));
  else for (const p of plans) ctx.out(`${p.changed ? 'updated' : 'unchanged'}: ${p.file}`);
  return 'ok';
};
