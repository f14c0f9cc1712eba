import { loadManifests } from '../../app/load-manifests.js';
import { runSync } from '../../app/run-sync.js';
import { readHistoryFiles } from '../../history/history-file.js';
import { gitUser, headCommit } from '../../git/git.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { isCacheRegistry } from '../../app/registry-cache.js';
import { show } from '../report/table.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const loaded = ctx.config();
  const manifests = await loadManifests(loaded, ctx.env);
  const [by, commit] = await Promise.all([opts.by ? Promise.resolve(opts.by as string) : gitUser(loaded.root, ctx.env), headCommit(loaded.root)]);
  const fileEvents = readHistoryFiles(loaded);
  const report = await withRegistry(ctx, (registry) => runSync(manifests, registry, { dryRun: Boolean(opts.dryRun), by, commit, fileEvents }), { by, commit });
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: true,
        dryRun: report.dryRun,
        registry: loaded.config.registry,
        inserted: report.inserted.map((r) => r.model_id),
        updated: report.updated.map((u) => ({ model_id: u.row.model_id, changes: u.changes })),
        unchanged: report.unchanged,
        orphans: report.orphans.map((r) => r.model_id),
        affectedRows: report.affectedRows,
        requests: report.requests,
        historyEvents: report.dryRun ? 0 : report.history.length,
      }),
    );
    return 'ok';
  }
  const verb = report.dryRun ? 'would be ' : '';
  for (const r of report.inserted) ctx.out(`+ ${r.model_id} (${verb}inserted)`);
  for (const u of report.updated) {
    ctx.out(`~ ${u.row.model_id} (${verb}updated)`);
    for (const c of u.changes) ctx.out(`    ${c.field}: ${show(c.old)} -> ${show(c.new)}`);
  }
  const cache = isCacheRegistry(loaded.config.registry);
  for (const o of report.orphans) {
    ctx.out(cache ? `- ${o.model_id} (${verb}removed: no manifest has it)` : `? ${o.model_id} is in the registry but not in the manifest (kept; remove it by hand if it is gone for good)`);
  }
  ctx.out(
    `${report.dryRun ? 'dry run: ' : ''}${report.inserted.length} ${verb}inserted, ${report.updated.length} ${verb}updated, ${report.unchanged.length} unchanged` +
      (report.dryRun ? ' — nothing written' : report.writes.length ? ` — ${report.affectedRows} row(s) written in ${report.requests} statement(s), ${report.history.length} history event(s)` : ' — nothing to write') +
      ` (${loaded.config.registry})`,
  );
  return 'ok';
};
