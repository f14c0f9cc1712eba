import type { HistoryEvent, RegistryRow } from '../../ports.js';

/** Logical column types shared by the DuckDB and BigQuery schemas. */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'JSON';

/**
 * `model_registry` columns: the team's BigQuery table plus `system_id` and the full evaluation
 * as JSON. One list so both backends create, read and MERGE the same shape.
 */
export const REGISTRY_COLUMNS: readonly { name: keyof RegistryRow; type: ColumnType; required?: boolean }[] = [
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
export const HISTORY_COLUMNS: readonly { name: keyof HistoryEvent; type: ColumnType; required?: boolean }[] = [
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
