import type { ReportData, ReportModel, ReportSystem } from '../app/report.js';
import type { GateResult } from '../gates/evaluate-gates.js';
import { formatMetric, formatValue, isAbsent } from '../util/format-metric.js';

/** Text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const cell = (v: unknown) => (isAbsent(v) ? '<td class="none">—</td>' : `<td>${escapeHtml(formatValue(v))}</td>`);
const metricCell = (key: string, v: unknown) => (isAbsent(v) ? cell(v) : `<td>${escapeHtml(formatMetric(key, v))}</td>`);

/** Metric columns: the evaluation keys with a number in any model of the system, in first-seen order. */
function metricKeys(models: ReportModel[]): string[] {
  const keys = new Set<string>();
  for (const m of models) for (const [k, v] of Object.entries(m.evaluation)) if (typeof v === 'number') keys.add(k);
  return [...keys];
}

function gatesCell(gates: GateResult[]): string {
  const failed = gates.filter((g) => !g.passed);
  const title = escapeHtml(gates.map((g) => `${g.passed ? '✔' : '✘'} ${g.id}: ${g.message}`).join('\n'));
  if (failed.length === 0) return `<td class="pass" title="${title}">✔ all ${gates.length} pass</td>`;
  return `<td class="fail" title="${title}">✘ ${failed.map((g) => escapeHtml(g.id)).join(', ')}</td>`;
}

function modelsTable(s: ReportSystem): string {
  const metrics = metricKeys(s.models);
  const head = ['model', 'status', 'training window', 'production since', 'production end', 'gates', ...metrics].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = s.models.map((m) => {
    const cls = [m.id === s.production ? 'current' : '', ['deprecated', 'archived', 'rolled_back'].includes(m.status) ? 'retired' : ''].filter(Boolean).join(' ');
    return `<tr${cls ? ` class="${cls}"` : ''}><td><code>${escapeHtml(m.id)}</code></td>${cell(m.status)}${cell(`${m.training.start} → ${m.training.end}`)}${cell(m.production_since)}${cell(m.production_end_date)}${gatesCell(m.gates)}${metrics.map((k) => metricCell(k, m.evaluation[k])).join('')}</tr>`;
  });
  return `<table class="models"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function promotionsTable(s: ReportSystem): string {
  if (s.promotions.length === 0) return '<p class="none">No promotions recorded in the history.</p>';
  const rows = s.promotions.map(
    (p) =>
      `<tr${p.forced ? ' class="forced"' : ''}>${cell(p.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}${cell(p.by)}<td><code>${escapeHtml(p.from ?? '—')}</code> → <code>${escapeHtml(p.to)}</code></td>${cell(p.forced ? `yes, past ${p.failedGates.join(', ') || 'failed gates'}` : 'no')}${cell(p.reason)}${cell(p.commit?.slice(0, 7))}</tr>`,
  );
  return `<table class="promotions"><thead><tr><th>when</th><th>by</th><th>from → to</th><th>forced</th><th>reason</th><th>commit</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function driftSection(data: ReportData): string {
  const { findings, unreachable } = data.drift;
  const all = [...data.unreachable, ...unreachable];
  const parts = ['<h2 id="drift">Drift</h2>'];
  if (findings.length === 0) parts.push(`<p class="pass">No drift found in the sources that could be read (${escapeHtml(data.drift.checked.length)} checks).</p>`);
  else {
    const rows = findings.map((f) => `<tr>${cell(f.kind)}${cell(f.system)}${cell(f.subject)}${cell(f.expected)}${cell(f.actual)}<td><code>${escapeHtml(f.fix)}</code></td></tr>`);
    parts.push(`<table class="drift"><thead><tr><th>kind</th><th>system</th><th>subject</th><th>expected</th><th>actual</th><th>fix</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`);
  }
  if (all.length > 0) {
    parts.push('<h3>Unreachable — not checked</h3><ul class="unreachable">');
    for (const u of all) parts.push(`<li><code>${escapeHtml(u.source)}</code>${u.system ? ` (${escapeHtml(u.system)})` : ''}: ${escapeHtml(u.message)}${u.fix ? ` — ${escapeHtml(u.fix)}` : ''}</li>`);
    parts.push('</ul>');
  }
  return parts.join('\n');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1f2328;max-width:1400px}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}table.models td{white-space:nowrap}
th{background:#f6f8fa}td.none{color:#8c959f}tr.current td{background:#fff8c5}tr.retired td{color:#6e7781}
td.pass,p.pass{color:#1a7f37}td.fail{color:#cf222e}tr.forced td{background:#ffebe9}
.chart{overflow-x:auto}.chart svg{max-width:none}.note{color:#57606a}code{font-size:12px}`;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG, no script, no external
 * resource, so it works from file://, as a CI artifact and offline. `charts` holds each system's
 * timeline SVG (see renderTimelineSvg).
 */
export function renderReportHtml(data: ReportData, charts: ReadonlyMap<string, string>, meta: { generatedAt: string }): string {
  const sections = data.systems.map((s) => {
    const t = s.timeline;
    const omitted = t.omitted > 0 ? `<p class="note">${t.omitted} older model(s) not shown in the chart (it shows the ${t.limit} newest and the production model); the table lists them all.</p>` : '';
    return [
      `<section class="system" id="system-${escapeHtml(s.id)}">`,
      `<h2>${escapeHtml(s.id)}</h2>`,
      `<p>Manifest <code>${escapeHtml(s.manifest)}</code> · production model <code>${escapeHtml(s.production ?? 'none')}</code> · ${s.models.length} model(s)</p>`,
      '<h3>Timeline</h3>',
      `<p class="note">One row per model, newest first: the training window (grey when retired) and each production period (red). A period still running is drawn to ${escapeHtml(t.horizon)}.</p>`,
      `<div class="chart" data-system="${escapeHtml(s.id)}">${charts.get(s.id) ?? ''}</div>`,
      omitted,
      '<h3>Models</h3>',
      modelsTable(s),
      '<h3>Promotions</h3>',
      promotionsTable(s),
      '</section>',
    ].join('\n');
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>modelgov report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>modelgov report</h1>
<p class="note">From <code>${escapeHtml(data.config)}</code>, generated ${escapeHtml(meta.generatedAt)}. A static page: no scripts, nothing loaded from the network.</p>
${sections.join('\n')}
${driftSection(data)}
</body>
</html>
`;
}
