import { diffLines } from 'diff';

/**
 * The lines a review would show as removed and added between two texts. `keepEol` keeps each
 * line's ending (to check CRLF is kept); otherwise lines are split on `\n`, empty ones dropped.
 */
export function changedLines(a: string, b: string, opts: { keepEol?: boolean } = {}): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(a, b)) {
    const lines = opts.keepEol ? (part.value.match(/[^\n]*\n|[^\n]+$/g) ?? []) : part.value.split('\n').filter((l) => l !== '');
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}
