import { addDays, type Timeline } from './build-timeline.js';

/**
 * Characters that would break a gantt line or a renderer, written as Mermaid entity codes
 * (`#58;` for `:`). Mermaid turns `#<number>;` into the character itself when it draws the
 * chart, so an id with `:` still reads `:` on the picture, while the raw text can no longer end a
 * task name (`:` starts a gantt task's data), start a comment (`%%`), end a data field (`#`, `;`)
 * or open HTML (`<`, `&`). Backquotes cannot close the surrounding code fence.
 */
const ESCAPED = /[:#;%<>&"'`\\{}]/g;

/** Text for a gantt title, section or task name: one line, escaped as above. */
export function ganttText(text: string): string {
  // Control characters (line breaks among them) would end the line or hide in it.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(ESCAPED, (c) => `#${c.codePointAt(0)};`).trim();
}

/** Rough width of a label in the section column, in pixels, for Mermaid's leftPadding. */
function labelWidth(rows: Timeline['rows']): number {
  const longest = Math.max(0, ...rows.map((r) => r.id.length));
  return Math.min(480, Math.max(75, Math.ceil(longest * 7.2) + 24));
}

/**
 * The timeline as a fenced Mermaid `gantt` block, one section (one row, `displayMode: compact`)
 * per model, newest first: the training window as a bar (greyed with `done` for retired
 * models) and each production period as a highlighted `crit` bar. Training ends are inclusive
 * in the manifest, so a bar runs to the day after. An ongoing period is drawn to the timeline's
 * horizon. When models were left out, a line after the block says how many.
 *
 * Deterministic: the same timeline gives the same bytes. Task ids are generated (`t1`, `p1_1`),
 * never taken from model ids.
 */
export function timelineMermaid(timeline: Timeline): string {
  const lines = [
    '```mermaid',
    '---',
    'displayMode: compact',
    'config:',
    '  gantt:',
    `    leftPadding: ${labelWidth(timeline.rows)}`,
    '---',
    'gantt',
    `    title ${ganttText(`${timeline.system} models, newest first (training window, production periods)`)}`,
    '    dateFormat YYYY-MM-DD',
    '    axisFormat %Y-%m-%d',
  ];
  timeline.rows.forEach((row, i) => {
    const n = i + 1;
    lines.push(`    section ${ganttText(row.id)}`);
    const done = row.retired ? 'done, ' : '';
    lines.push(`        training :${done}t${n}, ${row.training.start}, ${addDays(row.training.end, 1)}`);
    row.periods.forEach((p, j) => {
      const label = p.end === null ? 'production (serving)' : 'production';
      lines.push(`        ${label} :crit, ${done}p${n}_${j + 1}, ${p.start}, ${p.end ?? timeline.horizon}`);
    });
  });
  lines.push('```');
  if (timeline.omitted > 0) {
    lines.push('', `_${timeline.omitted} older model${timeline.omitted === 1 ? '' : 's'} not shown (limit ${timeline.limit})._`);
  }
  return lines.join('\n');
}
