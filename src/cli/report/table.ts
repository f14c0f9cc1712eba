/** Renders rows as an aligned plain-text table (no color codes, so it pastes cleanly). */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
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
