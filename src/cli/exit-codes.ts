import type { Outcome } from './context.js';

/** The exit codes, printed in --help and the README. */
export const EXIT_CODES = { ok: 0, failed: 1, error: 2 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  ran, nothing wrong
  1  ran, a check failed (drift, duplicate, bad name, stale docs, gate failed)
  2  could not run (usage, invalid config/manifest/markers, backend unreachable, internal error)
`;

export function exitCodeFor(outcome: Outcome): number {
  return outcome === 'ok' ? EXIT_CODES.ok : EXIT_CODES.failed;
}
