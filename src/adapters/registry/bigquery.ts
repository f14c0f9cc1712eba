/**
 * Registry on BigQuery (`bigquery:project.dataset.table`).
 *
 * Writes: one MERGE whose source is `UNNEST(@rows)`, an ARRAY<STRUCT<…>> query parameter with
 * explicit types (bigquery-sql.ts, bigquery-values.ts). The rows are split over several MERGE
 * jobs only when one request would exceed the 10 MB request limit. History is appended with an
 * INSERT … SELECT FROM UNNEST(@events) that skips event ids already present, so a retried append
 * cannot duplicate events.
 *
 * Tables are created on first write (CREATE TABLE IF NOT EXISTS, the dataset in the configured
 * location if it is missing), and a team's existing table gets the columns it lacks (ALTER TABLE
 * ADD COLUMN IF NOT EXISTS), so steady-state sync is a single job. Reads of a registry that does
 * not exist yet return no rows.
 */
import type { BigQuery as BigQueryClient } from '@google-cloud/bigquery';
import { parseLocationOf } from '../../config/location.js';
import { ModelgovError, isModelgovError } from '../../errors.js';
import type { AdapterOptions, HistoryEvent, Registry, RegistryRow, UpsertResult } from '../../ports.js';
import { type CredentialsCheck, credentialsCheck, keyFileOptions, placeholderAuthClient, readKeyFile } from '../google/auth.js';
import { callGoogle, callSettings } from '../google/call.js';
import type { GoogleContext, Operation } from '../google/context.js';
import { GOOGLE_SERVICES, endpointOverride } from '../google/endpoints.js';
import { causeOf } from '../google/errors.js';
import {
  EVENT_PREFIX,
  EVENT_TYPE,
  ROW_PREFIX,
  ROW_TYPE,
  addColumnsSql,
  createHistoryTableSql,
  createRegistryTableSql,
  getSql,
  historySelectSql,
  insertHistorySql,
  listSql,
  mergeRegistrySql,
  tableRef,
  windowSql,
} from './bigquery-sql.js';
import { type BigQueryStatics, decodeRecord, encodeStruct, requestBatches } from './bigquery-values.js';
import { HISTORY_COLUMNS, REGISTRY_COLUMNS, assertUniqueModelIds, assertWindowDates, encodeAll, historyTableName } from './columns.js';

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

type Params = Record<string, unknown>;
type QueryResult = { rows: Record<string, unknown>[]; response: { numDmlAffectedRows?: string } };

/** Creates the BigQuery registry. The BigQuery SDK is imported here, not at module load. */
export async function createBigQueryRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  const { project, dataset, table } = parseLocationOf('registry', location, 'bigquery', opts.root);
  const endpoint = endpointOverride('bigquery', opts.env, opts.warn);
  const ctx: GoogleContext = { service: 'bigquery', location, endpoint, settings: callSettings(opts) };
  const apiBase = endpoint?.url ?? GOOGLE_SERVICES.bigquery.defaultUrl;

  const { BigQuery } = await import('@google-cloud/bigquery');
  const authClient = opts.authClient ?? (endpoint ? await placeholderAuthClient() : undefined);
  const key = authClient ? undefined : readKeyFile(opts.env);
  const client: BigQueryClient = new BigQuery({
    projectId: project,
    apiEndpoint: apiBase,
    ...(authClient ? { authClient: authClient as never } : keyFileOptions(key)),
    ...(opts.location ? { location: opts.location } : {}),
    // Retries are ours: bounded, short backoff, and only for what is safe.
    autoRetry: false,
    maxRetries: 0,
  });
  // The client takes BIGQUERY_EMULATOR_HOST from process.env verbatim as its base URL; the
  // endpoint is modelgov's to choose (from opts.env), so pin it.
  (client as unknown as { baseUrl: string }).baseUrl = `${apiBase}/bigquery/v2`;

  const ensureCredentials = credentialsCheck(
    () => (client as unknown as { authClient: { getClient(): Promise<unknown> } }).authClient.getClient(),
    ctx,
    Boolean(authClient),
    key,
  );
  return new BigQueryRegistry(client, BigQuery, ctx, { project, dataset, table }, opts.location, ensureCredentials);
}

class BigQueryRegistry implements Registry {
  readonly location: string;
  private readonly registryRef: string;
  private readonly historyRef: string;
  private readonly historyTable: string;
  /**
   * The service waits this long for a job before answering "not complete"; kept under our
   * per-request bound so a slow job is reported as such instead of as a hung connection.
   */
  private readonly serverWaitMs: number;
  /** The API host: a timeout destroys the requests to it (the client's fetch cannot be cancelled). */
  private readonly host: string;
  /** Jobs run so far (UpsertResult.requests counts them). */
  private jobs = 0;
  /** Set when a read found no dataset/table: the next upsert creates them before its MERGE. */
  private knownMissing = false;

  constructor(
    private readonly client: BigQueryClient,
    private readonly statics: BigQueryStatics,
    private readonly ctx: GoogleContext,
    private readonly where: { project: string; dataset: string; table: string },
    /** BigQuery dataset location (jobs run there), from the config. */
    private readonly jobLocation: string | undefined,
    private readonly ensureCredentials: CredentialsCheck,
  ) {
    const { project, dataset, table } = where;
    this.location = ctx.location;
    this.historyTable = historyTableName(table);
    this.registryRef = tableRef(project, dataset, table);
    this.historyRef = tableRef(project, dataset, this.historyTable);
    const { timeoutMs } = ctx.settings;
    this.serverWaitMs = Math.max(1_000, timeoutMs - Math.min(2_000, timeoutMs / 4));
    this.host = new URL(ctx.endpoint?.url ?? GOOGLE_SERVICES.bigquery.defaultUrl).hostname;
  }

  async list(filter?: { system?: string }): Promise<RegistryRow[]> {
    const rows = await this.read(listSql(this.registryRef), { system: filter?.system ?? null }, { system: 'STRING' });
    return rows.map((r) => decodeRecord<RegistryRow>(REGISTRY_COLUMNS, r));
  }

  async get(modelId: string): Promise<RegistryRow | undefined> {
    const rows = await this.read(getSql(this.registryRef), { model_id: modelId }, { model_id: 'STRING' });
    return rows.length ? decodeRecord<RegistryRow>(REGISTRY_COLUMNS, rows[0]) : undefined;
  }

  async findByWindow(start: string, end: string, system?: string): Promise<RegistryRow[]> {
    assertWindowDates(start, end);
    const rows = await this.read(
      windowSql(this.registryRef),
      { start: this.statics.date(start), end: this.statics.date(end), system: system ?? null },
      { start: 'DATE', end: 'DATE', system: 'STRING' },
    );
    return rows.map((r) => decodeRecord<RegistryRow>(REGISTRY_COLUMNS, r));
  }

  async upsert(rows: RegistryRow[], events: HistoryEvent[]): Promise<UpsertResult> {
    // Validate everything before the first request: a bad value writes nothing.
    assertUniqueModelIds(rows, this.location);
    const encodedRows = encodeAll(rows, this.location, (r) => encodeStruct(this.statics, ROW_PREFIX, REGISTRY_COLUMNS, r));
    const encodedEvents = this.encodeEvents(events);
    const before = this.jobs;
    let affectedRows = 0;
    if (this.knownMissing && (rows.length > 0 || events.length > 0)) {
      // A read already saw that nothing exists: create it first instead of sending the whole
      // MERGE payload once only to have it refused.
      await this.ensureSchema(false);
      this.knownMissing = false;
    }
    if (encodedRows.length > 0) {
      const sql = mergeRegistrySql(this.registryRef);
      for (const batch of requestBatches(this.statics, sql, 'rows', encodedRows, ROW_TYPE)) {
        const { response } = await this.write(sql, MERGE_OP, this.where.table, { rows: batch }, { rows: [ROW_TYPE] });
        affectedRows += Number(response.numDmlAffectedRows ?? 0);
      }
    }
    await this.insertEvents(encodedEvents);
    return { affectedRows, requests: this.jobs - before };
  }

  async appendHistory(events: HistoryEvent[]): Promise<void> {
    await this.insertEvents(this.encodeEvents(events));
  }

  async history(filter?: { modelId?: string; system?: string }): Promise<HistoryEvent[]> {
    const rows = await this.read(
      historySelectSql(this.historyRef),
      { model_id: filter?.modelId ?? null, system: filter?.system ?? null },
      { model_id: 'STRING', system: 'STRING' },
    );
    return rows.map((r) => decodeRecord<HistoryEvent>(HISTORY_COLUMNS, r));
  }

  async close(): Promise<void> {
    // HTTP only: nothing to release.
  }

  private encodeEvents(events: HistoryEvent[]): Params[] {
    return encodeAll(events, this.location, (e) => encodeStruct(this.statics, EVENT_PREFIX, HISTORY_COLUMNS, e));
  }

  private async insertEvents(encoded: Params[]): Promise<void> {
    if (encoded.length === 0) return;
    const sql = insertHistorySql(this.historyRef);
    for (const batch of requestBatches(this.statics, sql, 'events', encoded, EVENT_TYPE)) {
      await this.write(sql, HISTORY_OP, this.historyTable, { events: batch }, { events: [EVENT_TYPE] });
    }
  }

  /** Runs one statement as one jobs.query request; returns the rows and the raw response. */
  private async query(sql: string, op: Operation, params?: Params, types?: Params): Promise<QueryResult> {
    await this.ensureCredentials(op);
    const result = await callGoogle(
      this.ctx,
      op,
      async () => {
        const [rows, , response] = (await this.client.query(
          {
            query: sql,
            ...(params ? { params, types: types as never } : {}),
            ...(this.jobLocation ? { location: this.jobLocation } : {}),
          },
          { timeoutMs: this.serverWaitMs },
        )) as unknown as [Record<string, unknown>[], unknown, { numDmlAffectedRows?: string }];
        return { rows, response: response ?? {} };
      },
      { destroyRequestsTo: this.host },
    );
    this.jobs += 1;
    return result;
  }

  /** A read: a registry that does not exist yet has no rows. */
  private async read(sql: string, params: Params, types: Params): Promise<Record<string, unknown>[]> {
    try {
      return (await this.query(sql, READ, params, types)).rows;
    } catch (err) {
      if (this.datasetMissing(err) || this.tableMissing(err)) {
        this.knownMissing = true;
        return [];
      }
      if (this.columnsMissing(err)) {
        const { project, dataset, table } = this.where;
        throw new ModelgovError('CONFIG_INVALID', `The registry table ${project}.${dataset}.${table} lacks columns modelgov reads: ${this.message(err)}`, {
          file: this.location,
          cause: err instanceof Error ? err.cause : undefined,
          fix: 'Run `modelgov sync` once: it adds the missing columns (ALTER TABLE … ADD COLUMN IF NOT EXISTS).',
        });
      }
      throw err;
    }
  }

  /** A write: creates or extends the tables on the first "not found", then runs again once. */
  private async write(sql: string, op: Operation, name: string, params: Params, types: Params): Promise<QueryResult> {
    try {
      return await this.query(sql, op, params, types);
    } catch (err) {
      if (this.datasetMissing(err) || this.tableMissing(err)) {
        await this.ensureSchema(false);
      } else if (this.columnsMissing(err)) {
        await this.ensureSchema(true);
      } else if (this.typesDiffer(err)) {
        throw this.schemaMismatch(err, name);
      } else {
        throw err;
      }
      try {
        return await this.query(sql, op, params, types);
      } catch (again) {
        if (this.typesDiffer(again)) throw this.schemaMismatch(again, name);
        throw again;
      }
    }
  }

  /** Both tables exist with every column modelgov writes. */
  private async ensureSchema(alsoAlter: boolean): Promise<void> {
    const registryDdl = createRegistryTableSql(this.registryRef);
    try {
      await this.query(registryDdl, DDL_OP);
    } catch (err) {
      if (!this.datasetMissing(err)) throw err;
      await this.createDataset();
      await this.query(registryDdl, DDL_OP);
    }
    await this.query(createHistoryTableSql(this.historyRef), DDL_OP);
    if (alsoAlter) {
      await this.query(addColumnsSql(this.registryRef, REGISTRY_COLUMNS), DDL_OP);
      await this.query(addColumnsSql(this.historyRef, HISTORY_COLUMNS), DDL_OP);
    }
  }

  private async createDataset(): Promise<void> {
    const { project, dataset } = this.where;
    await this.ensureCredentials(DATASET_OP);
    const where = this.jobLocation ?? 'US';
    try {
      await callGoogle(this.ctx, DATASET_OP, async () => {
        await this.client.createDataset(dataset, { location: where });
      });
      this.jobs += 1;
    } catch (err) {
      if (!(isModelgovError(err) && causeOf(err, this.ctx)?.status === 409)) throw err;
      // It exists, so the job ran in the wrong location.
      const [meta] = await this.client.dataset(dataset).getMetadata();
      throw new ModelgovError(
        'CONFIG_INVALID',
        `The dataset ${project}:${dataset} exists in location ${meta.location}, but modelgov runs its jobs in ${where}.`,
        { file: this.location, fix: `Set "location": "${meta.location}" in modelgov.config.json.` },
      );
    }
  }

  private schemaMismatch(err: ModelgovError, name: string): ModelgovError {
    const { project, dataset, table } = this.where;
    const expected = name === table ? createRegistryTableSql(this.registryRef) : createHistoryTableSql(this.historyRef);
    return new ModelgovError('CONFIG_INVALID', `BigQuery refused modelgov's statement on ${project}.${dataset}.${name}: ${this.message(err)}`, {
      file: this.location,
      cause: err.cause,
      details: [`modelgov expects:\n${expected}`],
      fix: 'The table exists with other column types than modelgov writes; migrate it to the schema above, or point "registry" at a new table.',
    });
  }

  /** The service's own message behind a failed call. */
  private message(err: unknown): string {
    return causeOf(err, this.ctx)?.message ?? '';
  }

  private datasetMissing(err: unknown): boolean {
    return isModelgovError(err) && err.code === 'NOT_FOUND' && /Not found: Dataset/i.test(this.message(err));
  }

  private tableMissing(err: unknown): boolean {
    return isModelgovError(err) && err.code === 'NOT_FOUND' && /Not found: Table/i.test(this.message(err));
  }

  private columnsMissing(err: unknown): boolean {
    return isModelgovError(err) && /not present in table|not found inside|Unrecognized name/i.test(this.message(err));
  }

  private typesDiffer(err: unknown): err is ModelgovError {
    return isModelgovError(err) && /cannot be assigned to|No matching signature|Required field/i.test(this.message(err));
  }
}
