import { loadManifests } from '../../app/load-manifests.js';
import { runSync } from '../../app/sync.js';
import { readHistoryFiles } from '../../history/history-file.js';
import { gitUser, headCommit } from '../../git/git.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { isCacheRegistry } from '../../app/registry-cache.js';
import { startProgress } from '../report/progress.js';
import { show } from '../report/table.js';

export const run: CommandRun<OptionsOf<'sync'>> = async (ctx, _args, opts) => {
  const loaded = ctx.config();
  const manifests = await loadManifests(loaded, ctx.env);
  const [by, commit] = await Promise.all([opts.by ? Promise.resolve(opts.by as string) : gitUser(loaded.root, ctx.env), headCommit(loaded.root)]);
  const warnings = manifests.flatMap((m) => m.warnings ?? []);
  if (!ctx.json) for (const w of warnings) ctx.err(`warning: ${w}`);
  const models = manifests.reduce((n, m) => n + Object.keys(m.manifest.models).length, 0);
  const fileEvents = readHistoryFiles(loaded);
  const progress = startProgress(ctx, ctx.errRaw, `syncing ${models} model(s) to ${loaded.config.registry}…`);
  const report = await withRegistry(ctx, (registry) => runSync(manifests, registry, { dryRun: Boolean(opts.dryRun), by, commit, fileEvents }), { by, commit }).finally(() => progress.done());
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: true,
        warnings,
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
