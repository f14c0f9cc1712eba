/**
 * Registry on BigQuery (`bigquery:project.dataset.table`).
 *
 * Writes: one MERGE whose source is `UNNEST(@rows)`, an ARRAY<STRUCT<…>> query parameter with
 * explicit types — never values in the SQL text, whose 1 MB limit the old inline-literal
 * approach hit near 1,500 models. DATE and TIMESTAMP values are wrapped in `BigQuery.date()` /
 * `BigQuery.timestamp()`: the client silently sends a plain string typed DATE as an empty value,
 * which the service stores as NULL. The rows are split over several MERGE jobs only when one
 * request would exceed the 10 MB request limit. History is appended with an INSERT … SELECT
 * FROM UNNEST(@events) that skips event ids already present, so a retried append cannot
 * duplicate events.
 *
 * Tables are created on first write (CREATE TABLE IF NOT EXISTS, the dataset in the configured
 * location if it is missing), and a team's existing table gets the columns it lacks (ALTER TABLE
 * ADD COLUMN IF NOT EXISTS), so steady-state sync is a single job. Reads of a registry that does
 * not exist yet return no rows.
 */
import { canonicalJson } from '../../sync/to-rows.js';
import { isCalendarDate } from '../../util/calendar.js';
import type { BigQuery as BigQueryClient } from '@google-cloud/bigquery';
import { ModelgovError, isModelgovError } from '../../errors.js';
import type { AdapterOptions, HistoryEvent, Registry, RegistryRow, UpsertResult } from '../../ports.js';
import {
  type GoogleContext,
  type Operation,
  GOOGLE_SERVICES,
  callGoogle,
  callSettings,
  causeOf,
  credentialsCheck,
  endpointOverride,
  placeholderAuthClient,
} from '../google-common.js';
import { type ColumnType, HISTORY_COLUMNS, REGISTRY_COLUMNS, UPDATABLE_COLUMNS, historyTableName } from './columns.js';

/** BigQuery's limit on the size of one API request (query text plus parameters). */
export const BIGQUERY_REQUEST_LIMIT_BYTES = 10 * 1024 * 1024;
/** Room left for headers and the request fields we do not measure. */
const REQUEST_MARGIN_BYTES = 64 * 1024;

const READ: Operation = {
  what: 'query the registry',
  permission: 'bigquery.jobs.create (project) and bigquery.tables.getData (dataset)',
  role: 'roles/bigquery.jobUser on the project and roles/bigquery.dataViewer on the dataset',
  idempotent: true,
};
const MERGE_OP: Operation = {
  what: 'upsert the registry (MERGE)',
  permission: 'bigquery.jobs.create (project) and bigquery.tables.updateData (dataset)',
  role: 'roles/bigquery.jobUser on the project and roles/bigquery.dataEditor on the dataset',
  // Re-running the same MERGE leaves the same rows: safe to retry.
  idempotent: true,
};
const HISTORY_OP: Operation = {
  what: 'append to the registry history',
  permission: 'bigquery.jobs.create (project) and bigquery.tables.updateData (dataset)',
  role: 'roles/bigquery.jobUser on the project and roles/bigquery.dataEditor on the dataset',
  // The INSERT skips event ids already stored, so a retry cannot duplicate events.
  idempotent: true,
};
const DDL_OP: Operation = {
  what: 'create the registry tables',
  permission: 'bigquery.tables.create and bigquery.tables.update (dataset)',
  role: 'roles/bigquery.dataEditor on the dataset',
  idempotent: true,
};
const DATASET_OP: Operation = {
  what: 'create the registry dataset',
  permission: 'bigquery.datasets.create (project)',
  role: 'roles/bigquery.user or roles/bigquery.dataEditor on the project',
  idempotent: true,
};

/** `bigquery:project.dataset.table` split. Projects may be domain-scoped (`example.com:proj`). */
export function parseBigQueryLocation(location: string): { project: string; dataset: string; table: string } {
  const m = /^bigquery:(.+)\.([A-Za-z0-9_]{1,1024})\.([A-Za-z0-9_-]{1,1024})$/.exec(location);
  if (!m || !/^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(m[1])) {
    throw new ModelgovError('CONFIG_INVALID', `"${location}" is not a BigQuery registry location.`, {
      file: location,
      fix: 'Write it as bigquery:<project>.<dataset>.<table>, e.g. bigquery:my-project.ml.model_registry.',
    });
  }
  return { project: m[1], dataset: m[2], table: m[3] };
}

type Col = { name: string; type: ColumnType; required?: boolean };

/** Struct field names in the @rows/@events parameters: short, because they repeat per row. */
const field = (prefix: string, i: number): string => `${prefix}${i}`;
/**
 * Parameter type of a column: JSON travels as STRING and is parsed in SQL (PARSE_JSON), which
 * every BigQuery edition accepts inside a STRUCT parameter.
 */
const paramType = (t: ColumnType): string => (t === 'JSON' ? 'STRING' : t);
/** `S.cN`, wrapped as the column needs. */
const sourceExpr = (alias: string, prefix: string, i: number, c: Col): string =>
  c.type === 'JSON' ? `PARSE_JSON(${alias}.${field(prefix, i)})` : `${alias}.${field(prefix, i)}`;

function columnDdl(c: Col, withRequired: boolean): string {
  return `${c.name} ${c.type}${withRequired && c.required ? ' NOT NULL' : ''}`;
}

/** Canonical JSON text of JSON text (BigQuery's JSON output order is not ours). */
const canonicalJsonText = (text: string): string => canonicalJson(JSON.parse(text));

/** Creates the BigQuery registry. The BigQuery SDK is imported here, not at module load. */
export async function createBigQueryRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  const { project, dataset, table } = parseBigQueryLocation(location);
  const history = historyTableName(table);
  const ref = (t: string): string => `\`${project}.${dataset}.${t}\``;
  const endpoint = endpointOverride('bigquery', opts.env);
  const settings = callSettings(opts);
  const ctx: GoogleContext = { service: 'bigquery', location, endpoint, settings };
  const apiBase = endpoint?.url ?? GOOGLE_SERVICES.bigquery.defaultUrl;
  const host = new URL(apiBase).hostname;

  const { BigQuery } = await import('@google-cloud/bigquery');
  const authClient = opts.authClient ?? (endpoint ? await placeholderAuthClient() : undefined);
  const bq: BigQueryClient = new BigQuery({
    projectId: project,
    apiEndpoint: apiBase,
    ...(authClient ? { authClient: authClient as never } : {}),
    ...(opts.location ? { location: opts.location } : {}),
    // Retries are ours: bounded, short backoff, and only for what is safe.
    autoRetry: false,
    maxRetries: 0,
  });
  // The client takes BIGQUERY_EMULATOR_HOST from process.env verbatim as its base URL; the
  // endpoint is modelgov's to choose (from opts.env), so pin it.
  (bq as unknown as { baseUrl: string }).baseUrl = `${apiBase}/bigquery/v2`;

  const ensureCredentials = credentialsCheck(
    () => (bq as unknown as { authClient: { getClient(): Promise<unknown> } }).authClient.getClient(),
    ctx,
    Boolean(authClient),
  );

  // The service waits this long for a job before answering "not complete"; kept under our
  // per-request bound so a slow job is reported as such instead of as a hung connection.
  const serverWaitMs = Math.max(1_000, settings.timeoutMs - Math.min(2_000, settings.timeoutMs / 4));

  let jobs = 0;
  /** Runs one statement as one jobs.query request; returns the rows and the raw response. */
  const query = async (
    sql: string,
    op: Operation,
    params?: Record<string, unknown>,
    types?: Record<string, unknown>,
  ): Promise<{ rows: Record<string, unknown>[]; response: { numDmlAffectedRows?: string } }> => {
    await ensureCredentials(op);
    const result = await callGoogle(
      ctx,
      op,
      async () => {
        const [rows, , response] = (await bq.query(
          {
            query: sql,
            ...(params ? { params, types: types as never } : {}),
            ...(opts.location ? { location: opts.location } : {}),
          },
          { timeoutMs: serverWaitMs },
        )) as unknown as [Record<string, unknown>[], unknown, { numDmlAffectedRows?: string }];
        return { rows, response: response ?? {} };
      },
      { destroyRequestsTo: host },
    );
    jobs += 1;
    return result;
  };

  const message = (err: unknown): string => causeOf(err, ctx)?.message ?? '';
  const datasetMissing = (err: unknown): boolean => isModelgovError(err) && err.code === 'NOT_FOUND' && /Not found: Dataset/i.test(message(err));
  const tableMissing = (err: unknown): boolean => isModelgovError(err) && err.code === 'NOT_FOUND' && /Not found: Table/i.test(message(err));
  const columnsMissing = (err: unknown): boolean =>
    isModelgovError(err) && /not present in table|not found inside|Unrecognized name/i.test(message(err));
  const typesDiffer = (err: unknown): err is ModelgovError =>
    isModelgovError(err) && /cannot be assigned to|No matching signature|Required field/i.test(message(err));

  const ddl = (name: string, columns: readonly Col[], description: string): string =>
    `CREATE TABLE IF NOT EXISTS ${ref(name)} (\n  ${columns.map((c) => columnDdl(c, true)).join(',\n  ')}\n)\n` +
    `OPTIONS (description = '${description}')`;
  const registryDdl = ddl(table, REGISTRY_COLUMNS, 'modelgov registry: one row per model, upserted from the manifests by modelgov sync');
  const historyDdl = ddl(history, HISTORY_COLUMNS, 'modelgov history: one row per field change or promotion');
  const alterSql = (name: string, columns: readonly Col[]): string =>
    `ALTER TABLE ${ref(name)}\n  ${columns.map((c) => `ADD COLUMN IF NOT EXISTS ${columnDdl(c, false)}`).join(',\n  ')}`;

  const createDataset = async (): Promise<void> => {
    await ensureCredentials(DATASET_OP);
    const where = opts.location ?? 'US';
    try {
      await callGoogle(ctx, DATASET_OP, async () => {
        await bq.createDataset(dataset, { location: where });
      });
      jobs += 1;
    } catch (err) {
      if (!(isModelgovError(err) && causeOf(err, ctx)?.status === 409)) throw err;
      // It exists, so the job ran in the wrong location.
      const [meta] = await bq.dataset(dataset).getMetadata();
      throw new ModelgovError(
        'CONFIG_INVALID',
        `The dataset ${project}:${dataset} exists in location ${meta.location}, but modelgov runs its jobs in ${where}.`,
        { file: location, fix: `Set "location": "${meta.location}" in modelgov.config.json.` },
      );
    }
  };

  /** Both tables exist with every column modelgov writes. */
  const ensureSchema = async (alsoAlter: boolean): Promise<void> => {
    try {
      await query(registryDdl, DDL_OP);
    } catch (err) {
      if (!datasetMissing(err)) throw err;
      await createDataset();
      await query(registryDdl, DDL_OP);
    }
    await query(historyDdl, DDL_OP);
    if (alsoAlter) {
      await query(alterSql(table, REGISTRY_COLUMNS), DDL_OP);
      await query(alterSql(history, HISTORY_COLUMNS), DDL_OP);
    }
  };

  const schemaMismatch = (err: ModelgovError, name: string): ModelgovError =>
    new ModelgovError('CONFIG_INVALID', `BigQuery refused modelgov's statement on ${project}.${dataset}.${name}: ${message(err)}`, {
      file: location,
      cause: err.cause,
      details: [`modelgov expects:\n${name === table ? registryDdl : historyDdl}`],
      fix: 'The table exists with other column types than modelgov writes; migrate it to the schema above, or point "registry" at a new table.',
    });

  /** A write: creates or extends the tables on the first "not found", then runs again once. */
  const write = async (sql: string, op: Operation, name: string, params: Record<string, unknown>, types: Record<string, unknown>) => {
    try {
      return await query(sql, op, params, types);
    } catch (err) {
      if (datasetMissing(err) || tableMissing(err)) {
        await ensureSchema(false);
      } else if (columnsMissing(err)) {
        await ensureSchema(true);
      } else if (typesDiffer(err)) {
        throw schemaMismatch(err, name);
      } else {
        throw err;
      }
      try {
        return await query(sql, op, params, types);
      } catch (again) {
        if (typesDiffer(again)) throw schemaMismatch(again, name);
        throw again;
      }
    }
  };

  /** Set when a read found no dataset/table: the next upsert creates them before its MERGE. */
  let knownMissing = false;

  /** A read: a registry that does not exist yet has no rows. */
  const read = async (sql: string, params: Record<string, unknown>, types: Record<string, unknown>) => {
    try {
      return (await query(sql, READ, params, types)).rows;
    } catch (err) {
      if (datasetMissing(err) || tableMissing(err)) {
        knownMissing = true;
        return [];
      }
      if (columnsMissing(err)) {
        throw new ModelgovError('CONFIG_INVALID', `The registry table ${project}.${dataset}.${table} lacks columns modelgov reads: ${message(err)}`, {
          file: location,
          cause: err instanceof Error ? err.cause : undefined,
          fix: 'Run `modelgov sync` once: it adds the missing columns (ALTER TABLE … ADD COLUMN IF NOT EXISTS).',
        });
      }
      throw err;
    }
  };

  // --- parameter encoding --------------------------------------------------------------------

  const toParam = (c: Col, value: unknown, what: string): unknown => {
    if (value === null || value === undefined) return null;
    switch (c.type) {
      case 'DATE':
        if (typeof value !== 'string' || !isCalendarDate(value)) {
          throw new ModelgovError('MANIFEST_INVALID', `${what}: ${c.name} "${String(value)}" is not a calendar date (YYYY-MM-DD).`);
        }
        return BigQuery.date(value);
      case 'TIMESTAMP': {
        const d = new Date(String(value));
        if (Number.isNaN(d.getTime())) throw new ModelgovError('MANIFEST_INVALID', `${what}: ${c.name} "${String(value)}" is not a timestamp.`);
        return BigQuery.timestamp(d);
      }
      case 'INT64':
        if (!Number.isSafeInteger(value)) throw new ModelgovError('MANIFEST_INVALID', `${what}: ${c.name} ${String(value)} is not an integer.`);
        return value;
      case 'FLOAT64':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new ModelgovError('MANIFEST_INVALID', `${what}: ${c.name} ${String(value)} is not a finite number.`);
        }
        return value;
      case 'BOOL':
        return Boolean(value);
      case 'JSON':
        try {
          return canonicalJsonText(typeof value === 'string' ? value : JSON.stringify(value));
        } catch {
          throw new ModelgovError('MANIFEST_INVALID', `${what}: ${c.name} is not valid JSON.`);
        }
      default:
        return String(value);
    }
  };
  const structType = (prefix: string, columns: readonly Col[]): Record<string, string> =>
    Object.fromEntries(columns.map((c, i) => [field(prefix, i), paramType(c.type)]));
  const ROW_TYPE = structType('c', REGISTRY_COLUMNS);
  const EVENT_TYPE = structType('h', HISTORY_COLUMNS);
  const encodeRow = (r: RegistryRow): Record<string, unknown> =>
    Object.fromEntries(REGISTRY_COLUMNS.map((c, i) => [field('c', i), toParam(c, r[c.name], `model ${r.model_id}`)]));
  const encodeEvent = (e: HistoryEvent): Record<string, unknown> =>
    Object.fromEntries(HISTORY_COLUMNS.map((c, i) => [field('h', i), toParam(c, e[c.name], `history event ${e.event_id}`)]));

  /**
   * Splits encoded items into request-sized batches: the exact bytes each row adds to the
   * request body (as the client will encode it) are summed until the next would pass the 10 MB
   * limit. Typically one batch.
   */
  const batches = (sql: string, name: string, items: Record<string, unknown>[], type: Record<string, string>): Record<string, unknown>[][] => {
    const empty = BigQuery.valueToQueryParameter_([], [type]);
    const fixed = Buffer.byteLength(JSON.stringify({ query: sql, useLegacySql: false, queryParameters: [{ ...empty, name }] })) + 1_024;
    const budget = BIGQUERY_REQUEST_LIMIT_BYTES - REQUEST_MARGIN_BYTES - fixed;
    const out: Record<string, unknown>[][] = [[]];
    let used = 0;
    for (const item of items) {
      const size = Buffer.byteLength(JSON.stringify(BigQuery.valueToQueryParameter_(item, type).parameterValue)) + 1;
      if (size > budget) throw new ModelgovError('MANIFEST_INVALID', `One registry row alone is ${size} bytes, over BigQuery's 10 MB request limit.`);
      if (used + size > budget && out[out.length - 1].length > 0) {
        out.push([]);
        used = 0;
      }
      out[out.length - 1].push(item);
      used += size;
    }
    return out;
  };

  // --- statements ----------------------------------------------------------------------------

  const mapping = (prefix: string, columns: readonly Col[]): string =>
    columns.map((c, i) => `${field(prefix, i)}=${c.name}`).join(' ');
  const keyIndex = REGISTRY_COLUMNS.findIndex((c) => c.name === 'model_id');
  const idx = (name: string): number => REGISTRY_COLUMNS.findIndex((c) => c.name === name);
  const changed = UPDATABLE_COLUMNS.map((name) => {
    const i = idx(name);
    const c = REGISTRY_COLUMNS[i];
    // JSON has no equality in BigQuery; compare its canonical text.
    return c.type === 'JSON'
      ? `TO_JSON_STRING(T.${name}) IS DISTINCT FROM TO_JSON_STRING(${sourceExpr('S', 'c', i, c)})`
      : `T.${name} IS DISTINCT FROM S.${field('c', i)}`;
  });
  const insertValues = REGISTRY_COLUMNS.map((c, i) =>
    c.name === 'created_at' ? `COALESCE(S.${field('c', i)}, CURRENT_TIMESTAMP())` : sourceExpr('S', 'c', i, c),
  );
  const mergeSql =
    `-- modelgov sync: upsert by model_id from @rows (${mapping('c', REGISTRY_COLUMNS)})\n` +
    `MERGE ${ref(table)} AS T\n` +
    `USING (SELECT * FROM UNNEST(@rows)) AS S\n` +
    `ON T.model_id = S.${field('c', keyIndex)}\n` +
    // Only rows that differ are updated, so numDmlAffectedRows counts real changes.
    `WHEN MATCHED AND (\n  ${changed.join('\n  OR ')}\n) THEN UPDATE SET\n  ` +
    UPDATABLE_COLUMNS.map((name) => `${name} = ${sourceExpr('S', 'c', idx(name), REGISTRY_COLUMNS[idx(name)])}`).join(',\n  ') +
    `\nWHEN NOT MATCHED THEN INSERT (${REGISTRY_COLUMNS.map((c) => c.name).join(', ')})\n` +
    `  VALUES (${insertValues.join(', ')})`;
  const eventKey = HISTORY_COLUMNS.findIndex((c) => c.name === 'event_id');
  const historySql =
    `-- modelgov history: append @events (${mapping('h', HISTORY_COLUMNS)}), skipping event ids already stored\n` +
    `INSERT INTO ${ref(history)} (${HISTORY_COLUMNS.map((c) => c.name).join(', ')})\n` +
    `SELECT ${HISTORY_COLUMNS.map((c, i) => sourceExpr('e', 'h', i, c)).join(', ')}\n` +
    `FROM UNNEST(@events) AS e\n` +
    `WHERE e.${field('h', eventKey)} NOT IN (SELECT event_id FROM ${ref(history)})`;
  const registryColumns = REGISTRY_COLUMNS.map((c) => c.name).join(', ');
  const historyColumns = HISTORY_COLUMNS.map((c) => c.name).join(', ');

  const fromResult = (c: Col, v: unknown): unknown => {
    if (v === null || v === undefined) return c.type === 'BOOL' ? false : null;
    const inner = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
    switch (c.type) {
      case 'DATE':
        return String(inner).slice(0, 10);
      case 'TIMESTAMP':
        return new Date(String(inner)).toISOString();
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
  };
  const toRow = (r: Record<string, unknown>): RegistryRow =>
    Object.fromEntries(REGISTRY_COLUMNS.map((c) => [c.name, fromResult(c, r[c.name])])) as unknown as RegistryRow;
  const toEvent = (r: Record<string, unknown>): HistoryEvent =>
    Object.fromEntries(HISTORY_COLUMNS.map((c) => [c.name, fromResult(c, r[c.name])])) as unknown as HistoryEvent;

  const dateParam = (d: string, flag: string): unknown => {
    if (!isCalendarDate(d)) throw new ModelgovError('USAGE', `${flag} "${d}" is not a calendar date (YYYY-MM-DD).`);
    return BigQuery.date(d);
  };

  const appendHistory = async (events: HistoryEvent[]): Promise<number> => {
    if (events.length === 0) return 0;
    const before = jobs;
    const encoded = events.map(encodeEvent);
    for (const batch of batches(historySql, 'events', encoded, EVENT_TYPE)) {
      await write(historySql, HISTORY_OP, history, { events: batch }, { events: [EVENT_TYPE] });
    }
    return jobs - before;
  };

  return {
    location,

    async list(filter) {
      const rows = await read(
        `SELECT ${registryColumns} FROM ${ref(table)}\nWHERE (@system IS NULL OR system_id = @system)\nORDER BY system_id, model_id`,
        { system: filter?.system ?? null },
        { system: 'STRING' },
      );
      return rows.map(toRow);
    },

    async get(modelId) {
      const rows = await read(
        `SELECT ${registryColumns} FROM ${ref(table)}\nWHERE model_id = @model_id\nORDER BY system_id\nLIMIT 1`,
        { model_id: modelId },
        { model_id: 'STRING' },
      );
      return rows.length ? toRow(rows[0]) : undefined;
    },

    async findByWindow(start, end, system) {
      const rows = await read(
        `SELECT ${registryColumns} FROM ${ref(table)}\n` +
          `WHERE training_start_date = @start AND training_end_date = @end AND (@system IS NULL OR system_id = @system)\n` +
          `ORDER BY system_id, model_id`,
        { start: dateParam(start, '--train-start'), end: dateParam(end, '--train-end'), system: system ?? null },
        { start: 'DATE', end: 'DATE', system: 'STRING' },
      );
      return rows.map(toRow);
    },

    async upsert(rows, events): Promise<UpsertResult> {
      const seen = new Map<string, string>();
      for (const r of rows) {
        const other = seen.get(r.model_id);
        if (other !== undefined) {
          throw new ModelgovError('MANIFEST_INVALID', `Model id ${r.model_id} appears twice (systems ${other} and ${r.system_id}); the registry is keyed by model_id.`, {
            fix: 'Give the models distinct ids.',
          });
        }
        seen.set(r.model_id, r.system_id);
      }
      const before = jobs;
      let affectedRows = 0;
      if (knownMissing && (rows.length > 0 || events.length > 0)) {
        // The first sync already saw that nothing exists: create it first instead of sending the
        // whole MERGE payload once only to have it refused.
        await ensureSchema(false);
        knownMissing = false;
      }
      if (rows.length > 0) {
        const encoded = rows.map(encodeRow);
        for (const batch of batches(mergeSql, 'rows', encoded, ROW_TYPE)) {
          const { response } = await write(mergeSql, MERGE_OP, table, { rows: batch }, { rows: [ROW_TYPE] });
          affectedRows += Number(response.numDmlAffectedRows ?? 0);
        }
      }
      await appendHistory(events);
      return { affectedRows, requests: jobs - before };
    },

    async appendHistory(events) {
      await appendHistory(events);
    },

    async history(filter) {
      const rows = await read(
        `SELECT ${historyColumns} FROM ${ref(history)}\n` +
          `WHERE (@model_id IS NULL OR model_id = @model_id) AND (@system IS NULL OR system_id = @system)\n` +
          `ORDER BY changed_at, event_id`,
        { model_id: filter?.modelId ?? null, system: filter?.system ?? null },
        { model_id: 'STRING', system: 'STRING' },
      );
      return rows.map(toEvent);
    },

    async close() {
      // HTTP only: nothing to release.
    },
  };
}
