import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { clockFrom } from '../../app/promote.js';
import { collectReport } from '../../app/report.js';
import { ModelgovError } from '../../errors.js';
import { atomicWriteFile } from '../../util/atomic-write.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

/** Where the page goes without --out (relative to the directory modelgov runs in). */
export const DEFAULT_REPORT_FILE = 'modelgov-report.html';

/**
 * `modelgov report [--out FILE] [--system S]`: one self-contained HTML page — the timeline as
 * inline SVG (Vega-Lite + Vega, loaded only here), the models with metrics and gate results, the
 * promotions, and the current drift. Exit 0 when the page was written, whatever it shows.
 */
export const run: CommandRun<OptionsOf<'report'>> = async (ctx, _args, opts) => {
  const out = resolve(ctx.cwd, typeof opts.out === 'string' ? opts.out : DEFAULT_REPORT_FILE);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    throw new ModelgovError('USAGE', `--out ${String(opts.out)}: the directory ${dirname(out)} does not exist`, { fix: `Create ${dirname(out)} first, or pass --out a file in an existing directory.` });
  }
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw new ModelgovError('USAGE', `--out ${String(opts.out)}: ${out} is a directory`, { fix: `Pass a file name, e.g. --out ${resolve(out, DEFAULT_REPORT_FILE)}.` });
  }
  const generatedAt = clockFrom(ctx.env).toISOString().replace(/\.\d+Z$/, 'Z');
  const loaded = ctx.config();
  const data = await collectReport(loaded, ctx.env, { system: opts.system });
  const [{ renderTimelineSvg }, { renderReportHtml }] = await Promise.all([import('../../report/timeline-chart.js'), import('../../report/render-html.js')]);
  const charts = new Map<string, string>();
  for (const s of data.systems) charts.set(s.id, await renderTimelineSvg(s.timeline));
  atomicWriteFile(out, renderReportHtml(data, charts, { generatedAt }));

  const unreachable = [...data.unreachable, ...data.drift.unreachable];
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, out, systems: data.systems.map((s) => ({ id: s.id, models: s.models.length, promotions: s.promotions.length })), findings: data.drift.findings.length, unreachable }));
  } else {
    ctx.out(`wrote ${out}`);
    ctx.out(`  ${data.systems.map((s) => `${s.id}: ${s.models.length} model(s), ${s.promotions.length} promotion(s)`).join('; ')}; drift: ${data.drift.findings.length} finding(s)${unreachable.length ? `, ${unreachable.length} source(s) unreachable (listed in the page)` : ''}`);
  }
  return 'ok';
};
