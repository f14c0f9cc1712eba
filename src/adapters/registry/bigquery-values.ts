import type { BigQuery } from '@google-cloud/bigquery';
import { ModelgovError } from '../../errors.js';
import { canonicalJson } from '../../sync/to-rows.js';
import { formatIsoTimestamp, parseInstant } from '../../util/instant.js';
import { type ColumnDef, InvalidValueError, checkValue } from './columns.js';
import { field } from './bigquery-sql.js';

/**
 * Value conversion between the ports' plain JS rows and BigQuery query parameters / results.
 * Values pass the check both registries share (`checkValue`); DATE and TIMESTAMP values are then
 * wrapped in `BigQuery.date()` / `BigQuery.timestamp()`: the client silently sends a plain string
 * typed DATE as an empty value, which the service stores as NULL.
 */

/** The static helpers of the client class used here; passed in because the SDK loads lazily. */
export type BigQueryStatics = Pick<typeof BigQuery, 'date' | 'timestamp' | 'valueToQueryParameter_'>;

/** BigQuery's limit on the size of one API request (query text plus parameters). */
export const BIGQUERY_REQUEST_LIMIT_BYTES = 10 * 1024 * 1024;
/** Room left for headers and the request fields we do not measure. */
const REQUEST_MARGIN_BYTES = 64 * 1024;

/** Canonical JSON text of JSON text (BigQuery's JSON output order is not ours). */
const canonicalJsonText = (text: string): string => canonicalJson(JSON.parse(text));

/** One value as a query parameter: checked, then in the form the client encodes correctly. */
export function encodeParam(bq: BigQueryStatics, column: ColumnDef, value: unknown): unknown {
  const checked = checkValue(column, value);
  if (checked === null) return null;
  if (typeof checked === 'bigint') return bq.timestamp(formatIsoTimestamp(checked));
  if (column.type === 'DATE') return bq.date(checked as string);
  if (column.type === 'JSON') {
    try {
      return canonicalJsonText(checked as string);
    } catch {
      throw new InvalidValueError(column.name, 'is not valid JSON');
    }
  }
  return checked;
}

/** One row or event as a STRUCT parameter element (fields `<prefix>0`, `<prefix>1`, …). */
export function encodeStruct(bq: BigQueryStatics, prefix: string, columns: readonly ColumnDef[], record: object): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [field(prefix, i), encodeParam(bq, c, (record as Record<string, unknown>)[c.name])]));
}

/** One value of a query result in the ports' JS form. */
export function decodeValue(column: ColumnDef, value: unknown): unknown {
  // A team's own table may hold NULL where modelgov writes a boolean.
  if (value === null || value === undefined) return column.type === 'BOOL' ? false : null;
  const inner = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
  switch (column.type) {
    case 'DATE':
      return String(inner).slice(0, 10);
    case 'TIMESTAMP': {
      // The client writes nanosecond digits when a value has microseconds; the stores keep micros.
      const instant = parseInstant(String(inner));
      return instant ? formatIsoTimestamp(instant.micros) : String(inner);
    }
    case 'INT64':
    case 'FLOAT64':
      return Number(inner);
    case 'BOOL':
      return inner === true || inner === 'true';
    case 'JSON':
      return canonicalJsonText(typeof inner === 'string' ? inner : JSON.stringify(inner));
    default:
      return String(inner);
  }
}

/** One result row as a record keyed by the column list. */
export function decodeRecord<T>(columns: readonly ColumnDef[], row: Record<string, unknown>): T {
  return Object.fromEntries(columns.map((c) => [c.name, decodeValue(c, row[c.name])])) as T;
}

/**
 * Splits encoded items into request-sized batches: the exact bytes each item adds to the request
 * body (as the client will encode it) are summed until the next would pass the 10 MB limit.
 * Typically one batch.
 */
export function requestBatches(
  bq: BigQueryStatics,
  sql: string,
  name: string,
  items: Record<string, unknown>[],
  type: Record<string, string>,
): Record<string, unknown>[][] {
  const empty = bq.valueToQueryParameter_([], [type]);
  const fixed = Buffer.byteLength(JSON.stringify({ query: sql, useLegacySql: false, queryParameters: [{ ...empty, name }] })) + 1_024;
  const budget = BIGQUERY_REQUEST_LIMIT_BYTES - REQUEST_MARGIN_BYTES - fixed;
  const out: Record<string, unknown>[][] = [[]];
  let used = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(bq.valueToQueryParameter_(item, type).parameterValue)) + 1;
    if (size > budget) throw new ModelgovError('MANIFEST_INVALID', `One registry row alone is ${size} bytes, over BigQuery's 10 MB request limit.`);
    if (used + size > budget && out[out.length - 1].length > 0) {
      out.push([]);
      used = 0;
    }
    out[out.length - 1].push(item);
    used += size;
  }
  return out;
}
