/**
 * Calendar and clock checks for model file names. They read characters by code instead of
 * slicing or building a `Date`: `lintNames` runs them several times per path, over every
 * staged or listed file, and `Date` would silently roll 2026-02-30 over to March 2.
 */

/** Decimal value of `s[from..to)`, or -1 when any character is not an ASCII digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Days in `month` (1–12) of `year` in the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True when `iso` is `YYYY-MM-DD` and names a real day (Gregorian, years 0001–9999), so
 * `2026-02-30`, `2025-02-29` and `2026-13-01` are rejected while `2024-02-29` passes.
 */
export function isCalendarDate(iso: string): boolean {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return false;
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 7);
  const d = digits(iso, 8, 10);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * True when `hms` is `HH:MM:SS` on a 24-hour clock (00:00:00–23:59:59). Leap second 60 is
 * rejected: the training script takes the time from `strftime`, which never writes it.
 */
export function isClockTime(hms: string): boolean {
  if (hms.length !== 8 || hms.charCodeAt(2) !== 58 || hms.charCodeAt(5) !== 58) return false;
  const h = digits(hms, 0, 2);
  const m = digits(hms, 3, 5);
  const s = digits(hms, 6, 8);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 59;
}

/** `20260208` → `2026-02-08` (no validation; callers check the result with `isCalendarDate`). */
export function isoDateFromCompact(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** `144749` → `14:47:49` (no validation; callers check the result with `isClockTime`). */
export function isoTimeFromCompact(compact: string): string {
  return `${compact.slice(0, 2)}:${compact.slice(2, 4)}:${compact.slice(4, 6)}`;
}

/** `2026-02-08` → `20260208`, `14:47:49` → `144749`: the separators dropped, as names write them. */
export function compactFromIso(iso: string): string {
  return iso.length === 10
    ? iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10)
    : iso.slice(0, 2) + iso.slice(3, 5) + iso.slice(6, 8);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); one owner for the instant parser and the DuckDB DATE values. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of `daysFromCivil`: the proleptic Gregorian date `days` after 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
