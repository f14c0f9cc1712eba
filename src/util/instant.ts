import { civilFromDays, daysFromCivil, isCalendarDate } from './calendar.js';

/**
 * The one parser for ISO 8601 instants (manifest `created_at`, `name --at`, `MODELGOV_NOW`,
 * service revision times, git commit times, registry timestamps). An instant is a real calendar
 * day and clock time WITH an explicit zone: `Z` or `±HH:MM`. Without a zone a time means a
 * different instant on every machine, so it is refused rather than read in the local zone;
 * `2026-02-30T…` is refused rather than rolled over to March, and `"1"` is not a year.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

export interface Instant {
  /** Microseconds since 1970-01-01T00:00:00Z (the fraction beyond microseconds is dropped). */
  micros: bigint;
  /** Milliseconds since the epoch (what `Date` takes). */
  millis: number;
  /** UTC calendar day, `YYYY-MM-DD`. */
  utcDate: string;
  /** UTC clock time, `HH:MM:SS` (fraction truncated, as strftime does). */
  utcTime: string;
  /** Digits of the fraction as written (0–9). */
  fractionDigits: number;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** The instant `text` names, or undefined when it is not a full ISO instant with a zone. */
export function parseInstant(text: unknown): Instant | undefined {
  if (typeof text !== 'string') return undefined;
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  if (!isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s - offsetMinutes * 60;
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0').slice(0, 6));
  const micros = BigInt(seconds) * 1_000_000n + fraction;
  // Floor, not truncation, so instants before 1970 land on the right millisecond.
  const millis = Number(micros / 1000n - (micros < 0n && micros % 1000n !== 0n ? 1n : 0n));
  const utc = new Date(millis);
  const year = utc.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return {
    micros,
    millis,
    fractionDigits: (m[7] ?? '').length,
    utcDate: `${pad(year, 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}`,
    utcTime: `${pad(utc.getUTCHours(), 2)}:${pad(utc.getUTCMinutes(), 2)}:${pad(utc.getUTCSeconds(), 2)}`,
  };
}

/** The same instant as `toISOString()` writes it (UTC, milliseconds), or undefined. */
export function instantToIso(text: unknown): string | undefined {
  const i = parseInstant(text);
  return i === undefined ? undefined : new Date(i.millis).toISOString();
}

/** What every message about a bad instant tells the user to write. */
export const INSTANT_HINT = 'an ISO 8601 instant with a zone, e.g. 2026-02-08T14:47:49Z or 2026-02-08T15:47:49+01:00';

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * Canonical ISO text of a UTC instant given in microseconds since the epoch: `Date#toISOString()`
 * form (`…T14:47:49.123Z`), with six fraction digits only when the value has sub-millisecond
 * precision, so anything written as `toISOString()` reads back byte for byte. Pure arithmetic:
 * no `Date`, which maps years 0–99 to 19xx.
 */
export function formatIsoTimestamp(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const { year, month, day } = civilFromDays(Number(days));
  const secs = Number(rest / 1_000_000n);
  const frac = Number(rest % 1_000_000n);
  const fraction = frac % 1000 === 0 ? pad(frac / 1000, 3) : pad(frac, 6);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}.${fraction}Z`;
}
