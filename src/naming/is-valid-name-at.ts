import { daysInMonth } from '../util/calendar.js';

/** `_train{YYYYMMDD}-{YYYYMMDD}_{YYYYMMDD}_{HHMMSS}`: the fixed-width tail before the extension. */
const TAIL_LENGTH = 39;

/** Decimal value of `s[from..from+width)`, or -1 on a non-digit. */
function digitsAt(s: string, from: number, width: number): number {
  let n = 0;
  for (let i = from; i < from + width; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A YYYYMMDD number names a real day (years 0001–9999). */
function isCalendarYmd(ymd: number): boolean {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** `[a-z0-9.]`: the characters of a variant tag (see VARIANT_PATTERN). */
function isVariantChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46;
}

/**
 * Allocation-free check that `s[from..to)` is a fully valid
 * `{features}f{_variant…}_train{YYYYMMDD}-{YYYYMMDD}_{YYYYMMDD}_{HHMMSS}`, where `from` is
 * just after `{system}_` and `to` is where the extension starts. Reads the path in place,
 * so `lintNames` can pass the common, valid name without slicing, matching or building
 * parts. Only ever a shortcut: `false` means "ask the full analyzer", which gives the
 * reason. It accepts exactly the names `checkModelName` accepts (the round-trip property
 * test in test/naming holds the two together).
 */
export function isValidNameAt(s: string, from: number, to: number): boolean {
  const t = to - TAIL_LENGTH;
  if (t < from + 2 || !s.startsWith('_train', t)) return false;
  if (s.charCodeAt(t + 14) !== 45 || s.charCodeAt(t + 23) !== 95 || s.charCodeAt(t + 32) !== 95) return false;
  const start = digitsAt(s, t + 6, 8);
  const end = digitsAt(s, t + 15, 8);
  const created = digitsAt(s, t + 24, 8);
  const time = digitsAt(s, t + 33, 6);
  if (start < 0 || end < 0 || created < 0 || time < 0) return false;
  if (!isCalendarYmd(start) || !isCalendarYmd(end) || !isCalendarYmd(created)) return false;
  if (start > end || end > created) return false;
  if (Math.floor(time / 10000) > 23 || Math.floor(time / 100) % 100 > 59 || time % 100 > 59) return false;

  // Features: 1-9 then digits (no leading zero, so the name formats back identically), then
  // `f`; a safe integer. Accumulating in doubles is exact below 2^53, and anything at or
  // above it still compares greater than MAX_SAFE_INTEGER.
  let i = from;
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return false;
  let features = first - 48;
  i++;
  for (let c = s.charCodeAt(i); i < t && c >= 48 && c <= 57; c = s.charCodeAt(++i)) features = features * 10 + (c - 48);
  if (features > Number.MAX_SAFE_INTEGER || s.charCodeAt(i) !== 102) return false;
  i++;
  // Variants: `_` then one or more [a-z0-9.], repeated, ending exactly at the tail.
  while (i < t) {
    if (s.charCodeAt(i) !== 95) return false;
    i++;
    const segment = i;
    while (i < t && isVariantChar(s.charCodeAt(i))) i++;
    if (i === segment) return false;
  }
  return i === t;
}
