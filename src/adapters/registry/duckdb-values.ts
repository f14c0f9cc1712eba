import { civilFromDays } from '../../util/calendar.js';
import { formatIsoTimestamp } from '../../util/instant.js';
import { type ColumnDef, checkValue } from './columns.js';

/**
 * Value encoding between the ports' plain JS rows and DuckDB. Pure arithmetic on purpose: no
 * `Date` parsing (which accepts odd formats and maps years 0–99 to 19xx) and no local time zone
 * anywhere, so 2026-01-08 stays 2026-01-08 whatever `TZ` the process runs with.
 */

/** A value as it travels inside the JSON batch parameter (dates and timestamps as text). */
export type WireValue = string | number | boolean | null;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC, no zone): what DuckDB casts to TIMESTAMP without any zone logic. */
export function formatNaiveTimestamp(micros: bigint): string {
  const iso = formatIsoTimestamp(micros);
  const [date, time] = iso.slice(0, -1).split('T');
  const [clock, fraction] = time.split('.');
  return `${date} ${clock}.${fraction.padEnd(6, '0')}`;
}

// A lone UTF-16 surrogate cannot be stored as UTF-8; DuckDB's JSON reader rejects the escape
// JSON.stringify emits for it. Store U+FFFD instead, as any UTF-8 conversion would.
const LONE_SURROGATE = /\p{Cs}/gu;
function wellFormed(s: string): string {
  return /[\uD800-\uDFFF]/.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s;
}

/** Validates one JS value for a column (the shared check) and converts it to its wire form. */
export function encodeValue(column: ColumnDef, value: unknown): WireValue {
  const checked = checkValue(column, value);
  if (typeof checked === 'bigint') return formatNaiveTimestamp(checked);
  return typeof checked === 'string' ? wellFormed(checked) : checked;
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
