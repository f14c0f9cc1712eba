import { parseInstant } from '../../util/instant.js';
import { isCalendarDate } from '../../util/calendar.js';
import type { ColumnType } from './columns.js';

/**
 * Value encoding between the ports' plain JS rows and DuckDB. Pure arithmetic on purpose: no
 * `Date` parsing (which accepts odd formats and maps years 0–99 to 19xx) and no local time zone
 * anywhere, so 2026-01-08 stays 2026-01-08 whatever `TZ` the process runs with.
 */

/** A value as it travels inside the JSON batch parameter (dates and timestamps as text). */
export { isCalendarDate };
export type WireValue = string | number | boolean | null;

/** A column as the shared column list describes it. */
export interface ColumnDef<K extends string = string> {
  readonly name: K;
  readonly type: ColumnType;
  readonly required?: boolean;
}

/** Thrown by the encoders; the adapter adds which row and file it was about. */
export class InvalidValueError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`${column}: ${reason}`);
    this.name = 'InvalidValueError';
  }
}

const MICROS_PER_DAY = 86_400_000_000n;

/** Inverse of daysFromCivil (src/util/calendar.ts). */
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

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');


/**
 * Microseconds since the epoch (UTC) of an ISO-8601 timestamp with an explicit zone
 * (`Z` or `±HH:MM`) and at most 6 fraction digits, or undefined when it is not one.
 */
export function parseIsoTimestamp(s: string): bigint | undefined {
  const i = parseInstant(s);
  // DuckDB keeps microseconds: more digits would be silently cut.
  return i === undefined || i.fractionDigits > 6 ? undefined : i.micros;
}

function splitMicros(micros: bigint): { date: string; time: string; millis: bigint; subMillis: bigint } {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const { year, month, day } = civilFromDays(Number(days));
  const secs = rest / 1_000_000n;
  const frac = rest % 1_000_000n;
  return {
    date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
    time: `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}`,
    millis: frac / 1000n,
    subMillis: frac % 1000n,
  };
}

/**
 * Canonical ISO text of a UTC instant: `Date#toISOString()` form (`…T14:47:49.123Z`), with six
 * fraction digits only when the value has sub-millisecond precision. Anything written as
 * `toISOString()` reads back byte for byte.
 */
export function formatIsoTimestamp(micros: bigint): string {
  const p = splitMicros(micros);
  const fraction = p.subMillis === 0n ? pad(p.millis, 3) : pad(p.millis * 1000n + p.subMillis, 6);
  return `${p.date}T${p.time}.${fraction}Z`;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC, no zone): what DuckDB casts to TIMESTAMP without any zone logic. */
export function formatNaiveTimestamp(micros: bigint): string {
  const p = splitMicros(micros);
  return `${p.date} ${p.time}.${pad(p.millis * 1000n + p.subMillis, 6)}`;
}

// A lone UTF-16 surrogate cannot be stored as UTF-8; DuckDB's JSON reader rejects the escape
// JSON.stringify emits for it. Store U+FFFD instead, as any UTF-8 conversion would.
const LONE_SURROGATE = /\p{Cs}/gu;
function wellFormed(s: string): string {
  return /[\uD800-\uDFFF]/.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s;
}

/** Validates one JS value for a column and converts it to its wire form. */
export function encodeValue(column: ColumnDef, value: unknown): WireValue {
  if (value === null || value === undefined) {
    if (column.required) throw new InvalidValueError(column.name, 'is required but null');
    return null;
  }
  switch (column.type) {
    case 'STRING':
    case 'JSON':
      if (typeof value !== 'string') throw new InvalidValueError(column.name, `expected a string, got ${typeof value}`);
      return wellFormed(value);
    case 'INT64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new InvalidValueError(column.name, `expected a whole number, got ${JSON.stringify(value) ?? String(value)}`);
      }
      return value;
    case 'FLOAT64':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidValueError(column.name, `expected a finite number, got ${String(value)}`);
      }
      return value;
    case 'BOOL':
      if (typeof value !== 'boolean') throw new InvalidValueError(column.name, `expected true or false, got ${String(value)}`);
      return value;
    case 'DATE':
      if (typeof value !== 'string' || !isCalendarDate(value)) {
        throw new InvalidValueError(column.name, `not a calendar date (YYYY-MM-DD) ${JSON.stringify(value)}`);
      }
      return value;
    case 'TIMESTAMP': {
      const micros = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
      if (micros === undefined) {
        throw new InvalidValueError(
          column.name,
          `not an ISO timestamp with a zone (e.g. 2026-02-08T14:47:49.000Z) ${JSON.stringify(value)}`,
        );
      }
      return formatNaiveTimestamp(micros);
    }
  }
}

/** Encodes one record (row or history event) in column-list order. */
export function encodeRecord(columns: readonly ColumnDef[], record: object): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const c of columns) out[c.name] = encodeValue(c, (record as Record<string, unknown>)[c.name]);
  return out;
}

/**
 * Converts one value DuckDB returned (node-api `DuckDBValue`) to the ports' JS form. Dates and
 * timestamps are read from their day / microsecond counts, never through `Date`.
 */
export function decodeValue(column: ColumnDef, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'INT64':
    case 'FLOAT64':
      return typeof value === 'bigint' ? Number(value) : (value as number);
    case 'BOOL':
      return value as boolean;
    case 'DATE': {
      const days = (value as { days?: unknown }).days;
      if (typeof days !== 'number' || !Number.isFinite(days)) return String(value);
      const { year, month, day } = civilFromDays(days);
      return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    }
    case 'TIMESTAMP': {
      const micros = (value as { micros?: unknown }).micros;
      return typeof micros === 'bigint' ? formatIsoTimestamp(micros) : String(value);
    }
    case 'STRING':
    case 'JSON':
      return typeof value === 'string' ? value : String(value);
  }
}

/** Decodes one result row object into a record keyed by the column list. */
export function decodeRecord<T>(columns: readonly ColumnDef[], row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = decodeValue(c, row[c.name]);
  return out as T;
}
