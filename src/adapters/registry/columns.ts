import { ModelgovError } from '../../errors.js';
import type { HistoryEvent, RegistryRow } from '../../ports.js';
import { isCalendarDate } from '../../util/calendar.js';
import { parseInstant } from '../../util/instant.js';

/**
 * What the DuckDB and BigQuery registries share: the column lists, and the checks a value passes
 * before either writes it.
 */

/** Logical column types shared by the DuckDB and BigQuery schemas. */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'JSON';

/**
 * `model_registry` columns: the team's BigQuery table plus `system_id` and the full evaluation
 * as JSON. One list so both backends create, read and MERGE the same shape.
 */
export const REGISTRY_COLUMNS: readonly ColumnDef<keyof RegistryRow>[] = [
  { name: 'model_id', type: 'STRING', required: true },
  { name: 'system_id', type: 'STRING', required: true },
  { name: 'model_version', type: 'STRING' },
  { name: 'model_type', type: 'STRING' },
  { name: 'gcs_path', type: 'STRING' },
  { name: 'feature_count', type: 'INT64' },
  { name: 'training_start_date', type: 'DATE' },
  { name: 'training_end_date', type: 'DATE' },
  { name: 'training_samples', type: 'INT64' },
  { name: 'evaluation_mae', type: 'FLOAT64' },
  { name: 'evaluation_hit_rate_edge_3plus', type: 'FLOAT64' },
  { name: 'evaluation_hit_rate_edge_5plus', type: 'FLOAT64' },
  { name: 'sha256_hash', type: 'STRING' },
  { name: 'status', type: 'STRING' },
  { name: 'is_production', type: 'BOOL', required: true },
  { name: 'production_start_date', type: 'DATE' },
  { name: 'notes', type: 'STRING' },
  { name: 'evaluation_json', type: 'JSON' },
  { name: 'created_at', type: 'TIMESTAMP' },
  { name: 'created_by', type: 'STRING' },
];

/** `model_registry_history` columns: one row per field change or promotion. */
export const HISTORY_COLUMNS: readonly ColumnDef<keyof HistoryEvent>[] = [
  { name: 'event_id', type: 'STRING', required: true },
  { name: 'event_type', type: 'STRING', required: true },
  { name: 'system_id', type: 'STRING', required: true },
  { name: 'model_id', type: 'STRING', required: true },
  { name: 'field', type: 'STRING' },
  { name: 'old_value', type: 'STRING' },
  { name: 'new_value', type: 'STRING' },
  { name: 'changed_at', type: 'TIMESTAMP', required: true },
  { name: 'changed_by', type: 'STRING' },
  { name: 'git_commit', type: 'STRING' },
  { name: 'details_json', type: 'JSON' },
];

/** Default table names; the history table is `<registry table>_history`. */
export const DEFAULT_REGISTRY_TABLE = 'model_registry';
export function historyTableName(registryTable: string): string {
  return `${registryTable}_history`;
}

/**
 * Columns a MERGE updates when matched: everything except the key and the creation stamp,
 * which is set once on insert.
 */
export const UPDATABLE_COLUMNS = REGISTRY_COLUMNS.filter(
  (c) => c.name !== 'model_id' && c.name !== 'created_at' && c.name !== 'created_by',
).map((c) => c.name);

/** A column as the lists above describe it. */
export interface ColumnDef<K extends string = string> {
  readonly name: K;
  readonly type: ColumnType;
  readonly required?: boolean;
}

/** Thrown by `checkValue`; the registry adds which row and which place it was about. */
export class InvalidValueError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`${column}: ${reason}`);
    this.name = 'InvalidValueError';
  }
}

/**
 * Microseconds since the epoch (UTC) of an ISO-8601 timestamp with an explicit zone and at most
 * 6 fraction digits, or undefined when it is not one. Both stores keep microseconds: more digits
 * would be cut silently, so they are refused.
 */
export function parseIsoTimestamp(value: unknown): bigint | undefined {
  const instant = parseInstant(value);
  return instant === undefined || instant.fractionDigits > 6 ? undefined : instant.micros;
}

/** A value that passed `checkValue`: a TIMESTAMP as microseconds since the epoch (UTC). */
export type CheckedValue = string | number | boolean | bigint | null;

/**
 * The one rule both registries apply to a value before it is written: its type, a real calendar
 * day for DATE (years 0001–9999), `parseIsoTimestamp` for TIMESTAMP, and required
 * columns not null. Each registry then converts the checked value to what its driver sends.
 */
export function checkValue(column: ColumnDef, value: unknown): CheckedValue {
  if (value === null || value === undefined) {
    if (column.required) throw new InvalidValueError(column.name, 'is required but null');
    return null;
  }
  switch (column.type) {
    case 'STRING':
    case 'JSON':
      if (typeof value !== 'string') throw new InvalidValueError(column.name, `expected a string, got ${typeof value}`);
      return value;
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
      const micros = parseIsoTimestamp(value);
      if (micros === undefined) {
        throw new InvalidValueError(column.name, `not an ISO timestamp with a zone (e.g. 2026-02-08T14:47:49.000Z) ${JSON.stringify(value)}`);
      }
      return micros;
    }
  }
}

/**
 * The registry is keyed by model_id: a batch naming one id twice (two systems, or one manifest
 * listing it twice) is refused before anything is written. `place` names the registry.
 */
export function assertUniqueModelIds(rows: readonly Pick<RegistryRow, 'model_id' | 'system_id'>[], place: string): void {
  const seen = new Map<string, string>();
  for (const r of rows) {
    const other = seen.get(r.model_id);
    if (other !== undefined) {
      const systems = other === r.system_id ? `system ${other}` : `systems ${other} and ${r.system_id}`;
      throw new ModelgovError('MANIFEST_INVALID', `model id ${JSON.stringify(r.model_id)} appears twice in one sync (${systems}); nothing was written to ${place}`, {
        file: place,
        fix: 'Model ids are the registry key: give each model (across all systems) a unique id in its manifest.',
      });
    }
    seen.set(r.model_id, r.system_id);
  }
}

/** The training window of a duplicate lookup: both ends real calendar days, else USAGE. */
export function assertWindowDates(start: string, end: string): void {
  for (const d of [start, end]) {
    if (!isCalendarDate(d)) {
      throw new ModelgovError('USAGE', `not a calendar date (YYYY-MM-DD): ${JSON.stringify(d)}`, {
        fix: 'Pass training dates as YYYY-MM-DD, e.g. 2026-01-08.',
      });
    }
  }
}

/**
 * Encodes rows (`MANIFEST_INVALID` when a value fails) or history events (`INTERNAL`: modelgov
 * makes them) with a registry's own `encode`, all before anything is written; a value that fails
 * `checkValue` names the record, the column and the registry (`place`).
 */
export function encodeAll<T extends RegistryRow | HistoryEvent, R>(records: readonly T[], place: string, encode: (record: T) => R): R[] {
  return records.map((record, i) => {
    try {
      return encode(record);
    } catch (e) {
      if (!(e instanceof InvalidValueError)) throw e;
      const row = 'event_id' in record ? undefined : record;
      const what = row ? `registry row ${i} (${JSON.stringify(row.model_id)})` : `history event ${i} (${JSON.stringify((record as HistoryEvent).event_id)})`;
      throw new ModelgovError(row ? 'MANIFEST_INVALID' : 'INTERNAL', `${what}: ${e.message}; nothing was written to ${place}`, {
        file: place,
        fix: row ? 'Correct the manifest entry, then run `modelgov sync` again.' : 'This is a modelgov bug; please report it with the command you ran.',
      });
    }
  });
}
