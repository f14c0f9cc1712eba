import { parseInstant } from '../util/instant.js';

/**
 * The creation timestamp of a manifest entry's `created_at`, as the UTC date and time a file
 * name carries (the fraction truncated, as `strftime` does). Only a full ISO instant with a
 * zone counts (the one instant parser, `parseInstant`): a time without a zone would mean a
 * different instant on every machine, and a bare date says nothing about the time.
 */
export function parseCreatedAt(value: unknown): { date: string; time: string } | undefined {
  const i = parseInstant(typeof value === 'string' ? value.trim() : value);
  return i === undefined ? undefined : { date: i.utcDate, time: i.utcTime };
}
