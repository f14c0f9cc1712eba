/**
 * A loopback fake of the BigQuery v2 REST API for @google-cloud/bigquery:
 *   POST /bigquery/v2/projects/{p}/queries                 jobs.query (what `bigquery.query()` uses)
 *   GET  /bigquery/v2/projects/{p}/queries/{jobId}         jobs.getQueryResults
 *   POST /bigquery/v2/projects/{p}/datasets                datasets.insert
 *   GET  /bigquery/v2/projects/{p}/datasets/{d}            datasets.get
 *   POST /bigquery/v2/projects/{p}/datasets/{d}/tables     tables.insert
 *   GET  /bigquery/v2/projects/{p}/datasets/{d}/tables/{t} tables.get
 *
 * It checks requests the way the service does and executes them on its own in-memory tables
 * (see bigquery-sql.ts), so an adapter bug shows up as the service's error, not as an echo:
 * - a request without a bearer token → 401; a body over 10 MB → 400 "Request payload size
 *   exceeds the limit"; query text over 1,024 K characters → 400 "The query is too large";
 * - parameters are decoded from their declared types: a parameter without a type → 400; a
 *   DATE/TIMESTAMP value that is empty or missing → 400 (the service would store NULL silently,
 *   which is the trap this fake exists to catch); invalid dates, integers, booleans → 400;
 * - tables and datasets must exist, in the job's location (→ 404 "Not found: …");
 * - results come back as `{jobReference, jobComplete, schema, rows:[{f:[{v}]}], totalRows}`,
 *   TIMESTAMPs as int64 microseconds when `formatOptions.useInt64Timestamp` asks for it, and DML
 *   answers carry `numDmlAffectedRows` and `dmlStats`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeBase, type FakeRequest, sendError, sendJson, startFakeServer } from './http-fake.js';
import {
  type Catalog,
  type Column,
  type ExecResult,
  type SqlType,
  type SqlTypeDesc,
  type Table,
  type Val,
  SqlError,
  canonicalJson,
  executeSql,
  microsToIso,
  parseDate,
  parseTimestamp,
} from './bigquery-sql.js';

export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const MAX_QUERY_CHARS = 1024 * 1024;
export const QUERY_TOO_LARGE =
  'The query is too large. The maximum standard SQL query length is 1024.00K characters, including comments and white space characters.';

export interface BqDataset {
  project: string;
  id: string;
  location: string;
  tables: Map<string, Table>;
}

export interface BqQueryLog {
  jobId: string;
  query: string;
  /** Bytes of the HTTP request body. */
  bytes: number;
  location?: string;
  /** Statement kind when it parsed, e.g. MERGE, SELECT. */
  kind?: ExecResult['kind'];
  /** Error message when the fake refused it. */
  error?: string;
  params: Map<string, Val>;
}

export interface BigQueryFake extends FakeBase {
  state: { datasets: Map<string, BqDataset> };
  /** Every jobs.query request, accepted or refused. */
  queries: BqQueryLog[];
  createDataset(project: string, dataset: string, location?: string): void;
  /** Create a table directly (e.g. a team's existing table with fewer columns). */
  createTable(ref: string, columns: Column[]): void;
  /** Rows of `project.dataset.table` as plain values (DATE `YYYY-MM-DD`, TIMESTAMP ISO, JSON text). */
  rows(ref: string): Record<string, unknown>[];
  /** Schema of a table, or undefined. */
  columns(ref: string): Column[] | undefined;
}

const API_TYPE: Record<string, SqlType> = {
  STRING: 'STRING',
  INT64: 'INT64',
  INTEGER: 'INT64',
  FLOAT64: 'FLOAT64',
  FLOAT: 'FLOAT64',
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  JSON: 'JSON',
  STRUCT: 'STRUCT',
  RECORD: 'STRUCT',
  ARRAY: 'ARRAY',
};
/** Schema type names as the REST API reports them. */
const LEGACY_NAME: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };

interface ApiType {
  type?: string;
  arrayType?: ApiType;
  structTypes?: { name?: string; type?: ApiType }[];
}

function decodeType(t: ApiType | undefined, where: string): SqlTypeDesc {
  if (!t || typeof t.type !== 'string') throw new SqlError(`Query parameter ${where} has no type (parameterType.type is required)`);
  const k = API_TYPE[t.type.toUpperCase()];
  if (!k) throw new SqlError(`Invalid query parameter type ${t.type} for ${where}`);
  if (k === 'ARRAY') return { t: 'ARRAY', element: decodeType(t.arrayType, `${where}[]`) };
  if (k === 'STRUCT') {
    return {
      t: 'STRUCT',
      fields: (t.structTypes ?? []).map((f, i) => ({ name: f.name ?? `_field_${i + 1}`, type: decodeType(f.type, `${where}.${f.name}`) })),
    };
  }
  return { t: k };
}

/** A parameter value decoded with its declared type, refusing what the service would refuse. */
function decodeValue(type: SqlTypeDesc, pv: Record<string, unknown> | undefined, where: string): Val {
  if (type.t === 'ARRAY') {
    const items = (pv?.arrayValues as Record<string, unknown>[] | undefined) ?? [];
    return { t: 'ARRAY', v: items.map((it, i) => decodeValue(type.element!, it, `${where}[${i}]`)), element: type.element };
  }
  if (type.t === 'STRUCT') {
    const values = (pv?.structValues as Record<string, Record<string, unknown>> | undefined) ?? {};
    const declared = new Set(type.fields!.map((f) => f.name));
    for (const k of Object.keys(values)) {
      if (!declared.has(k)) throw new SqlError(`Query parameter ${where} has a value for struct field ${k}, which its type does not declare`);
    }
    const m = new Map<string, Val>();
    for (const f of type.fields!) m.set(f.name, decodeValue(f.type, values[f.name], `${where}.${f.name}`));
    return { t: 'STRUCT', v: m, fields: type.fields };
  }
  const hasValue = pv !== undefined && Object.prototype.hasOwnProperty.call(pv, 'value');
  if (!hasValue) {
    // The service reads a missing value as NULL, so a DATE sent as a plain string (which the
    // Node client drops) becomes NULL in the table without a word. Refuse it loudly instead.
    if (type.t === 'DATE' || type.t === 'TIMESTAMP') {
      throw new SqlError(
        `Query parameter ${where} of type ${type.t} has an empty value (no "value" in its parameterValue). ` +
          `A plain string passed as ${type.t} is dropped by @google-cloud/bigquery; pass BigQuery.${type.t === 'DATE' ? 'date' : 'timestamp'}(…).`,
        400,
        'invalid',
      );
    }
    return { t: type.t, v: null };
  }
  const raw = pv!.value;
  if (raw === null) return { t: type.t, v: null };
  const s = String(raw);
  const bad = (): never => {
    throw new SqlError(`Invalid ${type.t} value for query parameter ${where}: "${s}"`, 400, 'invalid');
  };
  switch (type.t) {
    case 'STRING':
      return { t: 'STRING', v: s };
    case 'INT64':
      if (!/^-?\d+$/.test(s)) bad();
      return { t: 'INT64', v: Number(s) };
    case 'FLOAT64': {
      const n = Number(s);
      if (s.trim() === '' || (Number.isNaN(n) && s !== 'NaN')) bad();
      return { t: 'FLOAT64', v: n };
    }
    case 'BOOL':
      if (!/^(true|false)$/i.test(s)) bad();
      return { t: 'BOOL', v: s.toLowerCase() === 'true' };
    case 'DATE':
      try {
        return { t: 'DATE', v: parseDate(s, `query parameter ${where}`) };
      } catch {
        return bad();
      }
    case 'TIMESTAMP':
      try {
        return { t: 'TIMESTAMP', v: parseTimestamp(s, `query parameter ${where}`) };
      } catch {
        return bad();
      }
    case 'JSON':
      try {
        return { t: 'JSON', v: canonicalJson(s) };
      } catch {
        return bad();
      }
    default:
      return bad();
  }
}

function apiValue(x: Val, int64Timestamps: boolean): string | null {
  if (x.v === null) return null;
  switch (x.t) {
    case 'BOOL':
      return x.v ? 'true' : 'false';
    case 'TIMESTAMP': {
      const us = x.v as bigint;
      if (int64Timestamps) return us.toString();
      return (Number(us) / 1e6).toExponential().replace('e+', 'E');
    }
    default:
      return String(x.v);
  }
}

function plainValue(x: Val): unknown {
  if (x.v === null) return null;
  if (x.t === 'TIMESTAMP') return microsToIso(x.v as bigint);
  return x.v;
}

export async function startBigQueryFake(): Promise<BigQueryFake> {
  const datasets = new Map<string, BqDataset>();
  const queries: BqQueryLog[] = [];
  const results = new Map<string, unknown>(); // jobId → response, for getQueryResults
  const byRequestId = new Map<string, unknown>();

  const splitRef = (ref: string, defaultProject: string): { project: string; dataset: string; table: string } => {
    const parts = ref.split('.');
    if (parts.length === 1) throw new SqlError(`Table "${ref}" must be qualified with a dataset (e.g. dataset.table).`);
    const table = parts.pop()!;
    const dataset = parts.pop()!;
    return { project: parts.length ? parts.join('.') : defaultProject, dataset, table };
  };

  const catalogFor = (defaultProject: string, location: string | undefined): Catalog => {
    const dataset = (project: string, id: string): BqDataset => {
      const ds = datasets.get(`${project}.${id}`);
      const inLocation = location ? ` was not found in location ${location}` : '';
      if (!ds || (location && ds.location.toUpperCase() !== location.toUpperCase())) {
        throw new SqlError(`Not found: Dataset ${project}:${id}${inLocation}`, 404, 'notFound');
      }
      return ds;
    };
    return {
      table(ref) {
        const r = splitRef(ref, defaultProject);
        const ds = dataset(r.project, r.dataset);
        const t = ds.tables.get(r.table);
        if (!t) throw new SqlError(`Not found: Table ${r.project}:${r.dataset}.${r.table} was not found in location ${ds.location}`, 404, 'notFound');
        return t;
      },
      createTable(ref, columns, ifNotExists) {
        const r = splitRef(ref, defaultProject);
        const ds = dataset(r.project, r.dataset);
        if (ds.tables.has(r.table)) {
          if (ifNotExists) return false;
          throw new SqlError(`Already Exists: Table ${r.project}:${r.dataset}.${r.table}`, 409, 'duplicate');
        }
        ds.tables.set(r.table, { columns: columns.map((c) => ({ ...c })), rows: [] });
        return true;
      },
      now: () => BigInt(Date.now()) * 1000n,
    };
  };

  const tableResource = (project: string, dataset: string, name: string, t: Table): unknown => ({
    kind: 'bigquery#table',
    id: `${project}:${dataset}.${name}`,
    tableReference: { projectId: project, datasetId: dataset, tableId: name },
    schema: { fields: t.columns.map((c) => ({ name: c.name, type: LEGACY_NAME[c.type] ?? c.type, mode: c.mode })) },
    numRows: String(t.rows.length),
    type: 'TABLE',
  });

  const runQuery = (req: FakeRequest, res: ServerResponse, project: string): void => {
    const bytes = req.body.length;
    if (bytes > MAX_REQUEST_BYTES) {
      queries.push({ jobId: '', query: '', bytes, params: new Map(), error: 'payload too large' });
      return sendError(res, 400, `Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`, 'badRequest');
    }
    let body: Record<string, any>;
    try {
      body = JSON.parse(req.body.toString('utf8')) as Record<string, any>;
    } catch {
      return sendError(res, 400, 'Invalid JSON payload received.', 'parseError');
    }
    const jobId = `job_${randomUUID().replace(/-/g, '_')}`;
    const log: BqQueryLog = { jobId, query: String(body.query ?? ''), bytes, location: body.location, params: new Map() };
    queries.push(log);
    const refuse = (status: number, message: string, reason = 'invalidQuery'): void => {
      log.error = message;
      sendError(res, status, message, reason);
    };
    if (typeof body.requestId === 'string' && byRequestId.has(body.requestId)) {
      // jobs.query is idempotent per requestId: the same job answers again, nothing re-runs.
      return sendJson(res, 200, byRequestId.get(body.requestId));
    }
    if (body.useLegacySql !== false) {
      return refuse(400, 'The fake only runs GoogleSQL; jobs.query defaults to legacy SQL unless useLegacySql is false.');
    }
    if (log.query.length > MAX_QUERY_CHARS) return refuse(400, QUERY_TOO_LARGE);
    try {
      for (const p of (body.queryParameters ?? []) as { name?: string; parameterType?: ApiType; parameterValue?: Record<string, unknown> }[]) {
        if (!p.name) throw new SqlError('Positional parameters are not used by modelgov; the fake expects named parameters', 400, 'invalid');
        if (String(body.parameterMode ?? '').toUpperCase() !== 'NAMED') throw new SqlError('Named parameters need parameterMode NAMED', 400, 'invalid');
        const type = decodeType(p.parameterType, `@${p.name}`);
        log.params.set(p.name, decodeValue(type, p.parameterValue, `@${p.name}`));
      }
      const result = executeSql(log.query, log.params, catalogFor(project, body.location));
      log.kind = result.kind;
      const int64 = body.formatOptions?.useInt64Timestamp === true;
      const response: Record<string, unknown> = {
        kind: 'bigquery#queryResponse',
        jobReference: { projectId: project, jobId, location: body.location ?? 'US' },
        jobComplete: true,
        totalBytesProcessed: '0',
        cacheHit: false,
      };
      if (result.kind === 'SELECT') {
        response.schema = {
          fields: result.schema!.map((c) => ({ name: c.name, type: LEGACY_NAME[c.type] ?? c.type, mode: c.mode })),
        };
        response.rows = result.rows!.map((r) => ({ f: r.map((x) => ({ v: apiValue(x, int64) })) }));
        response.totalRows = String(result.rows!.length);
      } else if (result.kind === 'MERGE' || result.kind === 'INSERT') {
        response.numDmlAffectedRows = String(result.affected ?? 0);
        response.dmlStats = {
          insertedRowCount: String(result.inserted ?? 0),
          updatedRowCount: String(result.updated ?? 0),
          deletedRowCount: '0',
        };
      }
      results.set(jobId, response);
      if (typeof body.requestId === 'string') byRequestId.set(body.requestId, response);
      sendJson(res, 200, response);
    } catch (err) {
      if (err instanceof SqlError) return refuse(err.status, err.message, err.reason);
      throw err;
    }
  };

  const base = await startFakeServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    if (!/^Bearer \S+/.test(auth)) {
      return sendError(
        res,
        401,
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'required',
      );
    }
    const seg = req.path.split('/').filter(Boolean);
    if (seg[0] !== 'bigquery' || seg[1] !== 'v2' || seg[2] !== 'projects' || !seg[3]) {
      return sendError(res, 404, `BigQuery fake: no route for ${req.method} ${req.path}`, 'notFound');
    }
    const project = seg[3];
    const rest = seg.slice(4);
    if (rest[0] === 'queries' && rest.length === 1 && req.method === 'POST') return runQuery(req, res, project);
    if (rest[0] === 'queries' && rest.length === 2 && req.method === 'GET') {
      const r = results.get(rest[1]);
      return r ? sendJson(res, 200, r) : sendError(res, 404, `Not found: Job ${project}:${rest[1]}`, 'notFound');
    }
    if (rest[0] === 'datasets' && rest.length === 1 && req.method === 'POST') {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as { datasetReference?: { datasetId?: string }; location?: string };
      const id = body.datasetReference?.datasetId;
      if (!id) return sendError(res, 400, 'Required parameter is missing: datasetReference.datasetId', 'required');
      if (datasets.has(`${project}.${id}`)) return sendError(res, 409, `Already Exists: Dataset ${project}:${id}`, 'duplicate');
      const location = body.location ?? 'US';
      datasets.set(`${project}.${id}`, { project, id, location, tables: new Map() });
      return sendJson(res, 200, { kind: 'bigquery#dataset', id: `${project}:${id}`, datasetReference: { projectId: project, datasetId: id }, location });
    }
    if (rest[0] === 'datasets' && rest[1]) {
      const ds = datasets.get(`${project}.${rest[1]}`);
      if (!ds) return sendError(res, 404, `Not found: Dataset ${project}:${rest[1]}`, 'notFound');
      if (rest.length === 2 && req.method === 'GET') {
        return sendJson(res, 200, { kind: 'bigquery#dataset', id: `${project}:${ds.id}`, datasetReference: { projectId: project, datasetId: ds.id }, location: ds.location });
      }
      if (rest[2] === 'tables' && rest.length === 3 && req.method === 'POST') {
        const body = JSON.parse(req.body.toString('utf8') || '{}') as { tableReference?: { tableId?: string }; schema?: { fields?: { name: string; type: string; mode?: string }[] } };
        const name = body.tableReference?.tableId;
        if (!name) return sendError(res, 400, 'Required parameter is missing: tableReference.tableId', 'required');
        if (ds.tables.has(name)) return sendError(res, 409, `Already Exists: Table ${project}:${ds.id}.${name}`, 'duplicate');
        const columns = (body.schema?.fields ?? []).map((f) => ({
          name: f.name,
          type: API_TYPE[f.type.toUpperCase()] ?? 'STRING',
          mode: f.mode === 'REQUIRED' ? ('REQUIRED' as const) : ('NULLABLE' as const),
        }));
        const t = { columns, rows: [] };
        ds.tables.set(name, t);
        return sendJson(res, 200, tableResource(project, ds.id, name, t));
      }
      if (rest[2] === 'tables' && rest[3] && req.method === 'GET') {
        const t = ds.tables.get(rest[3]);
        if (!t) return sendError(res, 404, `Not found: Table ${project}:${ds.id}.${rest[3]}`, 'notFound');
        return sendJson(res, 200, tableResource(project, ds.id, rest[3], t));
      }
    }
    sendError(res, 404, `BigQuery fake: no route for ${req.method} ${req.path}`, 'notFound');
  }, 'BigQuery');

  const tableOf = (ref: string): Table | undefined => {
    const parts = ref.split('.');
    const table = parts.pop()!;
    const dataset = parts.pop()!;
    return datasets.get(`${parts.join('.')}.${dataset}`)?.tables.get(table);
  };

  return Object.assign(base, {
    state: { datasets },
    queries,
    createDataset(project: string, dataset: string, location = 'US') {
      datasets.set(`${project}.${dataset}`, { project, id: dataset, location, tables: new Map() });
    },
    createTable(ref: string, columns: Column[]) {
      const parts = ref.split('.');
      const table = parts.pop()!;
      const dataset = parts.pop()!;
      const project = parts.join('.');
      if (!datasets.has(`${project}.${dataset}`)) datasets.set(`${project}.${dataset}`, { project, id: dataset, location: 'US', tables: new Map() });
      datasets.get(`${project}.${dataset}`)!.tables.set(table, { columns: columns.map((c) => ({ ...c })), rows: [] });
    },
    rows(ref: string) {
      const t = tableOf(ref);
      if (!t) throw new Error(`fake: no table ${ref}`);
      return t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.name, plainValue(r.get(c.name) ?? { t: c.type, v: null })])));
    },
    columns: (ref: string) => tableOf(ref)?.columns.map((c) => ({ ...c })),
  });
}
