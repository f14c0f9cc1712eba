/** Options of `table`. */
export interface TableOptions {
  /** Fit the table in this many columns by shortening the widest cells (`…` in the middle). */
  maxWidth?: number;
}

/** The narrowest a shortened column gets: enough for a status or a date. */
const MIN_COLUMN = 10;

/**
 * Shortens a cell keeping both ends: ids, paths and gs:// URIs differ at the end (file name,
 * date) as often as at the start, so the middle is what people miss least.
 */
function shorten(cell: string, width: number): string {
  if (cell.length <= width) return cell;
  const head = Math.ceil((width - 1) / 2);
  return `${cell.slice(0, head)}…${cell.slice(cell.length - (width - 1 - head))}`;
}

/**
 * Renders rows as an aligned plain-text table (no color codes, so it pastes cleanly). With
 * `maxWidth`, the widest columns give way until the table fits; full values stay in `--json`.
 */
export function table(headers: string[], rows: (string | number | null | undefined)[][], options: TableOptions = {}): string {
  let cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const gap = 2 * (headers.length - 1);
  if (options.maxWidth !== undefined) {
    const floor = headers.map((h) => Math.max(h.length, MIN_COLUMN));
    let total = widths.reduce((a, b) => a + b, 0) + gap;
    while (total > options.maxWidth) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
      if (widest < 0) break;
      widths[widest]--;
      total--;
    }
    cells = cells.map((r) => r.map((c, i) => shorten(c, widths[i])));
  }
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Short form of a sha256 for humans. */
export const shaPrefix = (sha: string | null | undefined, n = 12): string => (sha ? sha.slice(0, n) : '—');

/** Prints a value for a diff line: strings quoted only when they would be ambiguous. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

/** The fix lines under a findings table: one per distinct `[kind] fix`, in finding order. */
export function fixLines(findings: readonly { kind: string; fix: string }[]): string[] {
  return [...new Set(findings.map((f) => `  [${f.kind}] ${f.fix}`))];
}
