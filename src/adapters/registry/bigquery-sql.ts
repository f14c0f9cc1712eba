import { type ColumnDef, type ColumnType, HISTORY_COLUMNS, REGISTRY_COLUMNS, UPDATABLE_COLUMNS } from './columns.js';

/**
 * SQL text for the BigQuery registry. Identifiers come from the shared column list and from the
 * parsed `bigquery:project.dataset.table` location; every value travels as a query parameter
 * (`@rows`, `@events`: ARRAY<STRUCT<…>> with explicit types), never as text in the statement,
 * whose 1 MB limit inlined literals hit near 1,500 models.
 */

/** A table of the registry's dataset, backquoted: `` `project.dataset.table` ``. */
export function tableRef(project: string, dataset: string, table: string): string {
  return `\`${project}.${dataset}.${table}\``;
}

/** Struct field prefixes of the @rows and @events parameters. */
export const ROW_PREFIX = 'c';
export const EVENT_PREFIX = 'h';

/** Struct field names in the @rows/@events parameters: short, because they repeat per row. */
export const field = (prefix: string, i: number): string => `${prefix}${i}`;

/**
 * Parameter type of a column: JSON travels as STRING and is parsed in SQL (PARSE_JSON), which
 * every BigQuery edition accepts inside a STRUCT parameter.
 */
const paramType = (t: ColumnType): string => (t === 'JSON' ? 'STRING' : t);

/** The STRUCT type of one element of @rows (prefix `c`) or @events (prefix `h`). */
export function structType(prefix: string, columns: readonly ColumnDef[]): Record<string, string> {
  return Object.fromEntries(columns.map((c, i) => [field(prefix, i), paramType(c.type)]));
}
export const ROW_TYPE = structType(ROW_PREFIX, REGISTRY_COLUMNS);
export const EVENT_TYPE = structType(EVENT_PREFIX, HISTORY_COLUMNS);

/** `S.cN`, wrapped as the column needs. */
const sourceExpr = (alias: string, prefix: string, i: number, c: ColumnDef): string =>
  c.type === 'JSON' ? `PARSE_JSON(${alias}.${field(prefix, i)})` : `${alias}.${field(prefix, i)}`;

function columnDdl(c: ColumnDef, withRequired: boolean): string {
  return `${c.name} ${c.type}${withRequired && c.required ? ' NOT NULL' : ''}`;
}

function createTableSql(ref: string, columns: readonly ColumnDef[], description: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${ref} (\n  ${columns.map((c) => columnDdl(c, true)).join(',\n  ')}\n)\n` +
    `OPTIONS (description = '${description}')`
  );
}

/** DDL for the registry table. */
export function createRegistryTableSql(ref: string): string {
  return createTableSql(ref, REGISTRY_COLUMNS, 'modelgov registry: one row per model, upserted from the manifests by modelgov sync');
}

/** DDL for the append-only history table. */
export function createHistoryTableSql(ref: string): string {
  return createTableSql(ref, HISTORY_COLUMNS, 'modelgov history: one row per field change or promotion');
}

/** Adds the columns a team's existing table lacks. */
export function addColumnsSql(ref: string, columns: readonly ColumnDef[]): string {
  return `ALTER TABLE ${ref}\n  ${columns.map((c) => `ADD COLUMN IF NOT EXISTS ${columnDdl(c, false)}`).join(',\n  ')}`;
}

const mapping = (prefix: string, columns: readonly ColumnDef[]): string => columns.map((c, i) => `${field(prefix, i)}=${c.name}`).join(' ');
const registryIndex = (name: string): number => REGISTRY_COLUMNS.findIndex((c) => c.name === name);

/**
 * The one upsert statement: MERGE every element of @rows by model_id. Matched rows are updated
 * only when a column differs, so numDmlAffectedRows counts real changes; created_at is set on
 * insert only (the insert time when the row has none).
 */
export function mergeRegistrySql(registry: string): string {
  const changed = UPDATABLE_COLUMNS.map((name) => {
    const i = registryIndex(name);
    const c = REGISTRY_COLUMNS[i];
    // JSON has no equality in BigQuery; compare its canonical text.
    return c.type === 'JSON'
      ? `TO_JSON_STRING(T.${name}) IS DISTINCT FROM TO_JSON_STRING(${sourceExpr('S', ROW_PREFIX, i, c)})`
      : `T.${name} IS DISTINCT FROM S.${field(ROW_PREFIX, i)}`;
  });
  const insertValues = REGISTRY_COLUMNS.map((c, i) =>
    c.name === 'created_at' ? `COALESCE(S.${field(ROW_PREFIX, i)}, CURRENT_TIMESTAMP())` : sourceExpr('S', ROW_PREFIX, i, c),
  );
  return (
    `-- modelgov sync: upsert by model_id from @rows (${mapping(ROW_PREFIX, REGISTRY_COLUMNS)})\n` +
    `MERGE ${registry} AS T\n` +
    `USING (SELECT * FROM UNNEST(@rows)) AS S\n` +
    `ON T.model_id = S.${field(ROW_PREFIX, registryIndex('model_id'))}\n` +
    `WHEN MATCHED AND (\n  ${changed.join('\n  OR ')}\n) THEN UPDATE SET\n  ` +
    UPDATABLE_COLUMNS.map((name) => `${name} = ${sourceExpr('S', ROW_PREFIX, registryIndex(name), REGISTRY_COLUMNS[registryIndex(name)])}`).join(',\n  ') +
    `\nWHEN NOT MATCHED THEN INSERT (${REGISTRY_COLUMNS.map((c) => c.name).join(', ')})\n` +
    `  VALUES (${insertValues.join(', ')})`
  );
}

/** Appends @events, skipping event ids already stored, so a retried append cannot duplicate events. */
export function insertHistorySql(history: string): string {
  const eventKey = HISTORY_COLUMNS.findIndex((c) => c.name === 'event_id');
  return (
    `-- modelgov history: append @events (${mapping(EVENT_PREFIX, HISTORY_COLUMNS)}), skipping event ids already stored\n` +
    `INSERT INTO ${history} (${HISTORY_COLUMNS.map((c) => c.name).join(', ')})\n` +
    `SELECT ${HISTORY_COLUMNS.map((c, i) => sourceExpr('e', EVENT_PREFIX, i, c)).join(', ')}\n` +
    `FROM UNNEST(@events) AS e\n` +
    `WHERE e.${field(EVENT_PREFIX, eventKey)} NOT IN (SELECT event_id FROM ${history})`
  );
}

const registryColumns = REGISTRY_COLUMNS.map((c) => c.name).join(', ');

/** Every row, or those of @system when it is not NULL. */
export function listSql(registry: string): string {
  return `SELECT ${registryColumns} FROM ${registry}\nWHERE (@system IS NULL OR system_id = @system)\nORDER BY system_id, model_id`;
}

/** The row of @model_id. */
export function getSql(registry: string): string {
  return `SELECT ${registryColumns} FROM ${registry}\nWHERE model_id = @model_id\nORDER BY system_id\nLIMIT 1`;
}

/** The rows trained on exactly @start..@end (DATE parameters), optionally of @system. */
export function windowSql(registry: string): string {
  return (
    `SELECT ${registryColumns} FROM ${registry}\n` +
    `WHERE training_start_date = @start AND training_end_date = @end AND (@system IS NULL OR system_id = @system)\n` +
    `ORDER BY system_id, model_id`
  );
}

/** History events, optionally of @model_id and/or @system, oldest first. */
export function historySelectSql(history: string): string {
  return (
    `SELECT ${HISTORY_COLUMNS.map((c) => c.name).join(', ')} FROM ${history}\n` +
    `WHERE (@model_id IS NULL OR model_id = @model_id) AND (@system IS NULL OR system_id = @system)\n` +
    `ORDER BY changed_at, event_id`
  );
}
