import { createRequire } from 'node:module';

type CreateTwoFilesPatch = typeof import('diff/lib/patch/create.js').createTwoFilesPatch;
let createTwoFilesPatch: CreateTwoFilesPatch | undefined;

/**
 * A unified diff from the current to the regenerated document, for `modelgov docs --check`.
 * Both sides are labelled with `file` (headers "current" and "regenerated"); line endings are
 * part of the compared lines, so a CRLF/LF change shows up. Returns '' when the texts are equal.
 */
export function docsDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  // Loaded on first use, synchronously: only `--check` with stale docs needs it, and importing
  // the docs layer must stay cheap for the pre-commit hook. The patch module alone, not the
  // package index (which also loads the word, JSON, … diff algorithms).
  createTwoFilesPatch ??= (
    createRequire(import.meta.url)('diff/lib/patch/create.js') as { createTwoFilesPatch: CreateTwoFilesPatch }
  ).createTwoFilesPatch;
  return createTwoFilesPatch(file, file, before, after, 'current', 'regenerated');
}
