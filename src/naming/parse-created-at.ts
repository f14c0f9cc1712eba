import { isCalendarDate, isClockTime } from '../util/calendar.js';

/*
 * ISO 8601 as Python's `isoformat()` and JS's `toISOString()` write it: date, `T` or space,
 * `HH:MM:SS`, optional fraction, optional `Z` or `±HH[:MM]`.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * The creation timestamp of a manifest entry's `created_at`, as the UTC date and time a
 * file name carries. With an offset (`Z`, `+01:00`) it is converted to UTC, matching
 * `formatModelName`; without one the wall-clock digits are kept as written, because the
 * name was stamped from that same clock. The fraction is truncated, as `strftime` does.
 * Returns undefined for anything that is not a full, real timestamp (a bare date says
 * nothing about the time, so it does not count).
 */
export function parseCreatedAt(value: unknown): { date: string; time: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (m === null) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const time = `${m[4]}:${m[5]}:${m[6]}`;
  if (!isCalendarDate(date) || !isClockTime(time)) return undefined;
  if (m[8] === undefined) return { date, time };

  const offsetHours = Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = m[8] === '-' ? -1 : 1;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(
    Number(m[4]) - sign * offsetHours,
    Number(m[5]) - sign * offsetMinutes,
    Number(m[6]),
    0,
  );
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return {
    date: `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`,
    time: `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`,
  };
}
