import type { OptionsOf } from '../command-specs.js';
import { selectSystems } from '../../app/load-manifests.js';
import { runDrift } from '../../app/drift.js';
import { ModelgovError } from '../../errors.js';
import type { CommandContext, CommandRun, Outcome } from '../context.js';
import { fixLines, table } from '../report/table.js';

/** Runs drift and reports it; shared by `drift` and `hook pre-push`. */
export async function driftCommand(ctx: CommandContext, opts: { offline?: 'warn' | 'fail'; system?: string }): Promise<Outcome> {
  const loaded = ctx.config();
  const offline = opts.offline ?? loaded.config.offline ?? 'fail';
  const report = await runDrift(loaded, ctx.env, selectSystems(loaded, opts.system));
  const ok = report.findings.length === 0;
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: ok && (report.unreachable.length === 0 || offline === 'warn'), findings: report.findings, unreachable: report.unreachable }));
  } else {
    if (report.findings.length) {
      ctx.out(table(['kind', 'system', 'subject', 'expected', 'actual'], report.findings.map((f) => [f.kind, f.system, f.subject, f.expected, f.actual]), { maxWidth: ctx.columns }));
      ctx.out('\nfixes:');
      for (const line of fixLines(report.findings)) ctx.out(line);
    } else if (report.unreachable.length === 0) {
      ctx.out(`no drift: ${report.checked.length} place(s) agree with the manifest.`);
    }
  }
  if (report.unreachable.length) {
    const lines = report.unreachable.map((u) => `${u.source}: ${u.message}${u.fix ? ` — ${u.fix}` : ''}`);
    if (offline === 'fail') {
      throw new ModelgovError('BACKEND_UNREACHABLE', `could not check ${report.unreachable.length} source(s)`, {
        details: lines,
        fix: 'Make the sources reachable, or pass --offline warn (config "offline": "warn") to check what is reachable.',
      });
    }
    for (const l of lines) ctx.err(`warning: not checked: ${l}`);
  }
  return ok ? 'ok' : 'failed';
}

export const run: CommandRun<OptionsOf<'drift'>> = (ctx, _args, opts) => driftCommand(ctx, opts);
