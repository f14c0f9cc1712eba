/**
 * BigQuery registry through the real @google-cloud/bigquery client against the loopback fake
 * (test/fakes/bigquery-fake.ts), which executes the statements on its own rows.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBigQueryRegistry } from '../../src/adapters/registry/bigquery.js';
import { REGISTRY_COLUMNS } from '../../src/adapters/registry/columns.js';
import type { AdapterOptions, Registry } from '../../src/ports.js';
import { type BigQueryFake, MAX_QUERY_CHARS, MAX_REQUEST_BYTES, QUERY_TOO_LARGE, startBigQueryFake } from '../fakes/bigquery-fake.js';
import { historyEvent, inlineLiteralMergeSize, inlineLiteralMergeSql, leanRow, realisticRow } from '../fakes/registry-rows.js';
import { failure, withoutAdc } from '../fakes/cloud-test-helpers.js';

const PROJECT = 'nba-props-platform';
const TABLE = `${PROJECT}.ml.model_registry`;
const HISTORY = `${TABLE}_history`;
const LOCATION = `bigquery:${TABLE}`;

let fake: BigQueryFake;
beforeAll(async () => {
  fake = await startBigQueryFake();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.state.datasets.clear();
  fake.queries.length = 0;
  fake.requests.length = 0;
});
afterEach(() => expect(fake.pendingFaults()).toEqual([]));

const options = (over: Partial<AdapterOptions> = {}): AdapterOptions => ({
  root: '/',
  env: { MODELGOV_BIGQUERY_ENDPOINT: fake.url },
  location: 'US',
  ...over,
});

/** The @google-cloud/bigquery client itself, pointed at the fake: statements the adapter never sends. */
async function rawClient(): Promise<BigQuery> {
  const { BigQuery: Client } = await import('@google-cloud/bigquery');
  const { OAuth2Client } = await import('google-auth-library');
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'x', expiry_date: Date.now() + 3.6e6 });
  const bq = new Client({ projectId: PROJECT, apiEndpoint: fake.url, authClient: auth, autoRetry: false });
  (bq as unknown as { baseUrl: string }).baseUrl = `${fake.url}/bigquery/v2`;
  return bq;
}

/** A registry whose tables exist (one warm-up sync), with the fake's logs cleared. */
async function warmRegistry(over: Partial<AdapterOptions> = {}): Promise<Registry> {
  const reg = await createBigQueryRegistry(LOCATION, options(over));
  await reg.upsert([leanRow(0, 'warmup')], []);
  fake.queries.length = 0;
  fake.requests.length = 0;
  return reg;
}

const merges = (): number => fake.queries.filter((q) => q.kind === 'MERGE').length;

describe('BigQuery registry: round trip', () => {
  it('first sync creates the dataset (in the configured location) and both tables with DATE/TIMESTAMP/JSON types', async () => {
    const reg = await createBigQueryRegistry(LOCATION, options({ location: 'EU' }));
    const result = await reg.upsert([realisticRow(0)], [historyEvent(1, realisticRow(0).model_id)]);
    expect(result.affectedRows).toBe(1);
    expect(fake.state.datasets.get(`${PROJECT}.ml`)?.location).toBe('EU');
    const cols = Object.fromEntries(fake.columns(TABLE)!.map((c) => [c.name, `${c.type} ${c.mode}`]));
    expect(cols).toMatchObject({
      model_id: 'STRING REQUIRED',
      training_start_date: 'DATE NULLABLE',
      created_at: 'TIMESTAMP NULLABLE',
      evaluation_json: 'JSON NULLABLE',
      is_production: 'BOOL REQUIRED',
      feature_count: 'INT64 NULLABLE',
      evaluation_mae: 'FLOAT64 NULLABLE',
    });
    expect(fake.columns(HISTORY)!.map((c) => c.name)).toContain('details_json');
    // Every job ran in the configured location.
    // (As a set: also fails when no job was logged, which `every` would pass.)
    expect(new Set(fake.queries.map((q) => q.location))).toEqual(new Set(['EU']));
    // Steady state: the next sync is one job.
    const again = await reg.upsert([realisticRow(0)], []);
    expect(again).toEqual({ affectedRows: 0, requests: 1 });
  });

  it('rows come back exactly as RegistryRow: dates YYYY-MM-DD, timestamps ISO, numbers, booleans, nulls', async () => {
    const reg = await warmRegistry();
    const rows = [realisticRow(0), realisticRow(1), { ...leanRow(2, 'catboost_v9'), created_at: '2026-02-08T14:47:49.123Z' }];
    await reg.upsert(rows, []);
    const listed = await reg.list({ system: 'catboost_v9' });
    const expected = rows
      .map((r) => ({ ...r, evaluation_json: r.evaluation_json && JSON.stringify(JSON.parse(r.evaluation_json), Object.keys(JSON.parse(r.evaluation_json)).sort()) }))
      .sort((a, b) => a.model_id.localeCompare(b.model_id));
    expect(listed).toEqual(expected);
    expect(typeof listed[0].feature_count).toBe('number');
    expect(typeof listed[0].is_production).toBe('boolean');
    expect(await reg.get(rows[1].model_id)).toEqual(expected.find((r) => r.model_id === rows[1].model_id));
    expect(await reg.get('no-such-model')).toBeUndefined();
  });

  it('a row without created_at gets the insert time, and keeps it on later updates', async () => {
    const reg = await warmRegistry();
    await reg.upsert([leanRow(1)], []);
    const created = (await reg.get('m1'))!.created_at!;
    expect(created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await reg.upsert([{ ...leanRow(1), status: 'deprecated' }], []);
    expect((await reg.get('m1'))!.created_at).toBe(created);
  });

  it('upsert by model_id: inserts, updates only rows that changed, reports DML affected rows', async () => {
    const reg = await warmRegistry();
    const rows = Array.from({ length: 5 }, (_, i) => realisticRow(i));
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 5, requests: 1 });
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 0, requests: 1 });
    const changed = rows.map((r, i) => (i < 2 ? { ...r, training_end_date: '2026-01-08', evaluation_json: '{"mae":1}' } : r));
    expect(await reg.upsert([...changed, realisticRow(9)], [])).toEqual({ affectedRows: 3, requests: 1 });
    expect(fake.rows(TABLE)).toHaveLength(1 + 6);
    const row0 = fake.rows(TABLE).find((r) => r.model_id === rows[0].model_id)!;
    expect(row0.training_end_date).toBe('2026-01-08');
    expect(row0.evaluation_json).toBe('{"mae":1}');
  });

  it('findByWindow and history are parameterized queries: no value appears in the SQL text', async () => {
    const reg = await warmRegistry();
    const a = { ...realisticRow(1), training_start_date: '2025-11-02', training_end_date: '2026-01-08' };
    const b = { ...realisticRow(2), training_start_date: '2025-11-02', training_end_date: '2026-01-31' };
    const c = { ...realisticRow(3, 'xgb_v1'), training_start_date: '2025-11-02', training_end_date: '2026-01-08' };
    const events = [historyEvent(1, a.model_id), historyEvent(2, b.model_id), historyEvent(3, a.model_id, null)];
    await reg.upsert([a, b, c], events);

    expect((await reg.findByWindow('2025-11-02', '2026-01-08')).map((r) => r.model_id)).toEqual([a.model_id, c.model_id]);
    expect((await reg.findByWindow('2025-11-02', '2026-01-08', 'xgb_v1')).map((r) => r.model_id)).toEqual([c.model_id]);
    expect(await reg.findByWindow('2024-01-01', '2024-02-01')).toEqual([]);
    const hist = await reg.history({ modelId: a.model_id });
    expect(hist.map((e) => e.event_id)).toEqual([events[0].event_id, events[2].event_id]);
    expect(hist[1]).toEqual({ ...events[2], details_json: '{"forced":false,"from":"old","to":"' + a.model_id + '"}' });
    expect((await reg.history()).length).toBe(3);

    for (const q of fake.queries) {
      expect(q.query).not.toContain(a.model_id);
      expect(q.query).not.toContain('2025-11-02');
      expect(q.query).not.toContain('xgb_v1');
    }
    const windowQuery = fake.queries.find((q) => q.query.includes('training_start_date = @start'))!;
    expect(windowQuery.params.get('start')).toEqual({ t: 'DATE', v: '2025-11-02' });
  });

  it('reads of a registry that does not exist yet return no rows', async () => {
    const reg = await createBigQueryRegistry(LOCATION, options());
    expect(await reg.list()).toEqual([]);
    expect(await reg.get('x')).toBeUndefined();
    expect(await reg.history()).toEqual([]);
    fake.createDataset(PROJECT, 'ml');
    expect(await reg.findByWindow('2025-01-01', '2025-02-01')).toEqual([]);
  });

  it('appending the same history events twice stores them once (a retried append cannot duplicate)', async () => {
    const reg = await warmRegistry();
    const events = [historyEvent(1, 'm1'), historyEvent(2, 'm2')];
    await reg.appendHistory(events);
    await reg.appendHistory(events);
    expect(fake.rows(HISTORY)).toHaveLength(2);
  });

  it("a team's existing table without system_id and evaluation_json gets the columns on the first sync", async () => {
    fake.createDataset(PROJECT, 'ml');
    const legacy = REGISTRY_COLUMNS.filter((c) => c.name !== 'system_id' && c.name !== 'evaluation_json').map((c) => ({
      name: c.name,
      type: c.type,
      mode: 'NULLABLE' as const,
    }));
    fake.createTable(TABLE, legacy);
    const reg = await createBigQueryRegistry(LOCATION, options());
    const read = await failure(reg.list());
    expect(read.code).toBe('CONFIG_INVALID');
    expect(read.fix).toMatch(/modelgov sync/);

    await reg.upsert([realisticRow(0)], []);
    expect(fake.columns(TABLE)!.map((c) => c.name)).toEqual(expect.arrayContaining(['system_id', 'evaluation_json']));
    expect((await reg.list()).map((r) => r.model_id)).toEqual([realisticRow(0).model_id]);
  });

  it('a dataset in another location than configured is a clear CONFIG_INVALID', async () => {
    fake.createDataset(PROJECT, 'ml', 'US');
    const reg = await createBigQueryRegistry(LOCATION, options({ location: 'EU' }));
    const err = await failure(reg.upsert([leanRow(1)], []));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.fix).toBe('Set "location": "US" in modelgov.config.json.');
  });

  it('a table with other column types is reported with the schema modelgov expects', async () => {
    fake.createDataset(PROJECT, 'ml');
    fake.createTable(TABLE, REGISTRY_COLUMNS.map((c) => ({ name: c.name, type: c.type === 'DATE' ? 'STRING' : c.type, mode: 'NULLABLE' as const })));
    const reg = await createBigQueryRegistry(LOCATION, options());
    const err = await failure(reg.upsert([leanRow(1)], []));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/cannot be assigned to training_start_date, which has type STRING/);
    expect(err.details?.[0]).toMatch(/training_start_date DATE/);
  });

  it('duplicate model ids are refused before any request', async () => {
    const reg = await createBigQueryRegistry(LOCATION, options());
    const err = await failure(reg.upsert([leanRow(1), { ...leanRow(1), system_id: 'other' }], []));
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(fake.requests).toHaveLength(0);
  });

  it('an invalid calendar date is refused before any request', async () => {
    const reg = await createBigQueryRegistry(LOCATION, options());
    const err = await failure(reg.upsert([{ ...leanRow(1), training_end_date: '2026-02-30' }], []));
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.message).toMatch(/training_end_date: not a calendar date \(YYYY-MM-DD\) "2026-02-30"/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the DATE trap', () => {
  it('the adapter sends real DATE and TIMESTAMP values inside the ARRAY<STRUCT> parameter', async () => {
    const reg = await warmRegistry();
    await reg.upsert([{ ...realisticRow(0), training_start_date: '2025-11-02', training_end_date: '2026-01-08' }], []);
    const merge = fake.requests.find((r) => r.body.includes('"MERGE') || r.body.toString().includes('MERGE '))!;
    const body = JSON.parse(merge.body.toString()) as { queryParameters: { name: string; parameterType: any; parameterValue: any }[] };
    const rows = body.queryParameters.find((p) => p.name === 'rows')!;
    const fields = rows.parameterType.arrayType.structTypes as { name: string; type: { type: string } }[];
    const byColumn = (name: string): { field: string; type: string } => {
      const i = REGISTRY_COLUMNS.findIndex((c) => c.name === name);
      return { field: fields[i].name, type: fields[i].type.type };
    };
    const start = byColumn('training_start_date');
    const created = byColumn('created_at');
    expect(start.type).toBe('DATE');
    expect(created.type).toBe('TIMESTAMP');
    const value = rows.parameterValue.arrayValues[0].structValues;
    expect(value[start.field]).toEqual({ value: '2025-11-02' });
    expect(value[byColumn('production_start_date').field]).toEqual({ value: '2026-02-08' });
    expect(value[created.field].value).toMatch(/^2026-02-01T00:00:00(\.000)?Z$/);
    expect(fake.rows(TABLE).find((r) => r.model_id === realisticRow(0).model_id)!.training_start_date).toBe('2025-11-02');
  });

  it('the fake refuses a plain string typed DATE (sent empty by the client), in a STRUCT and on its own', async () => {
    fake.createDataset(PROJECT, 'ml');
    const bq = await rawClient();

    await expect(
      bq.query({ query: 'SELECT * FROM UNNEST(@rows)', params: { rows: [{ d: '2026-01-08' }] }, types: { rows: [{ d: 'DATE' }] } }),
    ).rejects.toThrow(/@rows\[0\]\.d of type DATE has an empty value/);
    await expect(bq.query({ query: 'SELECT @d AS d', params: { d: '2026-01-08' }, types: { d: 'DATE' } })).rejects.toThrow(
      /@d of type DATE has an empty value/,
    );
    await expect(bq.query({ query: 'SELECT @t AS t', params: { t: '2026-01-08T00:00:00Z' }, types: { t: 'TIMESTAMP' } })).rejects.toThrow(
      /@t of type TIMESTAMP has an empty value/,
    );
    // The same values wrapped as the adapter does are accepted and typed.
    const [rows] = await bq.query({
      query: 'SELECT * FROM UNNEST(@rows)',
      params: { rows: [{ d: bq.date('2026-01-08') }] },
      types: { rows: [{ d: 'DATE' }] },
    });
    expect((rows[0] as { d: { value: string } }).d.value).toBe('2026-01-08');
    // A null without a type never leaves the client; with a type it is a typed NULL.
    await expect(bq.query({ query: 'SELECT @x AS x', params: { x: null } })).rejects.toThrow(/Parameter types must be provided for null values/);
    const [nulls] = await bq.query({ query: 'SELECT @x AS x', params: { x: null }, types: { x: 'DATE' } });
    expect(nulls).toEqual([{ x: null }]);
  });

  it('the fake refuses empty and invalid values and untyped parameters sent on the wire', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries`, {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body: JSON.stringify({ useLegacySql: false, parameterMode: 'NAMED', ...(body as object) }),
      });
    const cases: [unknown, RegExp][] = [
      [{ query: 'SELECT @d', queryParameters: [{ name: 'd', parameterType: { type: 'DATE' }, parameterValue: { value: '' } }] }, /Invalid DATE value/],
      [{ query: 'SELECT @d', queryParameters: [{ name: 'd', parameterType: { type: 'DATE' }, parameterValue: {} }] }, /has an empty value/],
      [{ query: 'SELECT @d', queryParameters: [{ name: 'd', parameterType: { type: 'DATE' }, parameterValue: { value: '2026-02-30' } }] }, /Invalid DATE value/],
      [{ query: 'SELECT @x', queryParameters: [{ name: 'x', parameterValue: { value: null } }] }, /has no type/],
      [{ query: 'SELECT @n', queryParameters: [{ name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '1.5' } }] }, /Invalid INT64 value/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { code: number; message: string; status: string } };
      expect(json.error.message).toMatch(message);
      expect(json.error.status).toBe('INVALID_ARGUMENT');
    }
    // A well-formed typed NULL is fine.
    const ok = await post({ query: 'SELECT @d AS d', queryParameters: [{ name: 'd', parameterType: { type: 'DATE' }, parameterValue: { value: null } }] });
    expect(ok.status).toBe(200);
  });
});

describe('request sizes: one MERGE job, not one per model and not a 1 MB query text', () => {
  for (const n of [10, 1_000, 20_000]) {
    it(`${n.toLocaleString('en-US')} models upsert in exactly one request`, async () => {
      const reg = await warmRegistry();
      const rows = Array.from({ length: n }, (_, i) => leanRow(i + 1));
      const result = await reg.upsert(rows, []);
      expect(result).toEqual({ affectedRows: n, requests: 1 });
      expect(fake.requests).toHaveLength(1);
      expect(merges()).toBe(1);
      expect(fake.queries[0].bytes).toBeLessThan(MAX_REQUEST_BYTES);
      expect(fake.queries[0].query.length).toBeLessThan(8_000);
      expect(fake.rows(TABLE)).toHaveLength(n + 1);
    });
  }

  it('1,500 realistic models: inline literals exceed 1 MB of query text (the fake refuses it), parameters take one request', async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => realisticRow(i));
    const inline = inlineLiteralMergeSize(rows);
    expect(inline).toBeGreaterThan(MAX_QUERY_CHARS);
    // The limit is crossed just below 1,500 models of this shape.
    expect(inlineLiteralMergeSize(rows.slice(0, 1_450))).toBeLessThan(MAX_QUERY_CHARS);

    const reg = await warmRegistry();
    const res = await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ query: inlineLiteralMergeSql(rows, `\`${TABLE}\``), useLegacySql: false }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(QUERY_TOO_LARGE);

    fake.queries.length = 0;
    fake.requests.length = 0;
    expect(await reg.upsert(rows, [])).toEqual({ affectedRows: 1_500, requests: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('20,000 realistic models (~1 KB each in the request) are split only as the 10 MB limit requires', async () => {
    const reg = await warmRegistry();
    const rows = Array.from({ length: 20_000 }, (_, i) => realisticRow(i + 1));
    const result = await reg.upsert(rows, []);
    const sizes = fake.queries.map((q) => q.bytes);
    expect(result.affectedRows).toBe(20_000);
    expect(result.requests).toBe(2);
    expect(merges()).toBe(2);
    expect(sizes.every((b) => b < MAX_REQUEST_BYTES)).toBe(true);
    // Packed, not halved: the first request is close to the limit.
    expect(sizes[0]).toBeGreaterThan(MAX_REQUEST_BYTES * 0.95);
    expect(fake.rows(TABLE)).toHaveLength(20_001);
  });

  it('the fake refuses a request body over 10 MB like the service', async () => {
    const res = await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT 1', useLegacySql: false, pad: 'x'.repeat(MAX_REQUEST_BYTES) }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Request payload size exceeds the limit: 10485760 bytes/);
  });

  it('history goes in with the sync as one more job; a large history is split by size too', async () => {
    const reg = await warmRegistry();
    const rows = Array.from({ length: 100 }, (_, i) => realisticRow(i));
    const events = rows.flatMap((r, i) => Array.from({ length: 17 }, (_, f) => historyEvent(i * 17 + f, r.model_id)));
    const result = await reg.upsert(rows, events);
    expect(result).toEqual({ affectedRows: 100, requests: 2 });
    expect(fake.rows(HISTORY)).toHaveLength(1_700);
  });
});

describe('faults', () => {
  it('503 twice then success: the MERGE (idempotent) and reads are retried', async () => {
    const reg = await warmRegistry();
    fake.inject({ kind: 'status', status: 503, times: 2 });
    expect(await reg.upsert([leanRow(1)], [])).toEqual({ affectedRows: 1, requests: 1 });
    expect(fake.requests).toHaveLength(3);
    fake.inject({ kind: 'status', status: 500, times: 2 });
    // Ordered by system_id, model_id: the lean row's system "m" sorts before "warmup".
    expect((await reg.list()).map((r) => r.model_id)).toEqual(['m1', 'm0']);
    expect(fake.requests).toHaveLength(6);
  });

  it("BigQuery's 403 rateLimitExceeded is retried, not reported as a permission problem", async () => {
    const reg = await warmRegistry();
    fake.inject({ kind: 'status', status: 403, reason: 'rateLimitExceeded', message: 'Exceeded rate limits' });
    expect((await reg.list()).length).toBe(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('a hung response ends in BACKEND_UNREACHABLE within the bound, and the hung socket is destroyed', async () => {
    const reg = await warmRegistry({ timeoutMs: 500 });
    fake.inject({ kind: 'hang' });
    const t0 = Date.now();
    const err = await failure(reg.list());
    const elapsed = Date.now() - t0;
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toMatch(/BigQuery at http:\/\/127\.0\.0\.1:\d+ \(from MODELGOV_BIGQUERY_ENDPOINT\) did not answer within 500 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(480);
    // The BigQuery client's fetch has no timeout of its own: without the adapter destroying the
    // request, this socket would stay open and keep a CLI process alive.
    await expect.poll(() => fake.hung.at(-1)?.closed, { timeout: 30_000 }).toBe(true);
  });

  it('401 → CREDENTIALS with the login fix; 403 → the missing permission', async () => {
    const reg = await warmRegistry();
    fake.inject({ kind: 'status', status: 401, reason: 'authError', message: 'Request had invalid authentication credentials.' });
    const e401 = await failure(reg.list());
    expect(e401.code).toBe('CREDENTIALS');
    expect(e401.fix).toMatch(/gcloud auth application-default login/);
    fake.inject({ kind: 'status', status: 403, reason: 'accessDenied', message: 'Access Denied: Project nba-props-platform: User does not have bigquery.jobs.create permission in project nba-props-platform.' });
    const e403 = await failure(reg.upsert([leanRow(5)], []));
    expect(e403.code).toBe('CREDENTIALS');
    expect(e403.message).toMatch(/needs bigquery\.jobs\.create \(project\) and bigquery\.tables\.updateData/);
    expect(e403.fix).toMatch(/roles\/bigquery\.dataEditor/);
  });

  it('the fake answers 401 to a request without a bearer token; the adapter always sends the placeholder', async () => {
    const res = await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    const reg = await warmRegistry();
    await reg.list();
    expect(new Set(fake.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer placeholder']));
  });

  it('an unreachable endpoint is BACKEND_UNREACHABLE naming the location and MODELGOV_BIGQUERY_ENDPOINT', async () => {
    const reg = await createBigQueryRegistry(LOCATION, options({ env: { MODELGOV_BIGQUERY_ENDPOINT: 'http://127.0.0.1:1' } }));
    const err = await failure(reg.list());
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.message).toContain(LOCATION);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.fix).toMatch(/MODELGOV_BIGQUERY_ENDPOINT/);
  });

  it('without an override and without credentials: CREDENTIALS before any connection', async () => {
    await withoutAdc(async () => {
      const reg = await createBigQueryRegistry(LOCATION, { root: '/', env: {} });
      const err = await failure(reg.list());
      expect(err.code).toBe('CREDENTIALS');
      expect(err.fix).toMatch(/gcloud auth application-default login/);
      expect(err.fix).toMatch(/bigquery\.jobs\.create/);
    });
  });

  it('rejects a location that is not bigquery:project.dataset.table', async () => {
    const err = await failure(createBigQueryRegistry('bigquery:ml.model_registry', options()));
    expect(err.code).toBe('CONFIG_INVALID');
  });
});

describe('BigQuery fake executes what it receives', () => {
  it('MERGE semantics: a target row matched by two source rows is the service error', async () => {
    const reg = await warmRegistry();
    await reg.upsert([leanRow(1)], []);
    const bq = await rawClient();
    await expect(
      bq.query({
        query: `MERGE \`${TABLE}\` T USING (SELECT * FROM UNNEST(@rows)) S ON T.model_id = S.id WHEN MATCHED THEN UPDATE SET status = S.status`,
        params: { rows: [{ id: 'm1', status: 'a' }, { id: 'm1', status: 'b' }] },
      }),
    ).rejects.toThrow(/must match at most one source row for each target row/);
    await expect(bq.query(`SELECT model_id FROM \`${TABLE}\` WHERE training_start_date = '2025-01-01'`)).rejects.toThrow(
      /No matching signature for operator = for argument types: DATE, STRING/,
    );
    await expect(bq.query(`SELECT model_id FROM \`${TABLE}\` WHERE evaluation_json = evaluation_json`)).rejects.toThrow(
      /Equality is not defined for arguments of type JSON/,
    );
    const [rows] = await bq.query(`SELECT model_id, status FROM \`${TABLE}\` WHERE model_id = 'm1'`);
    expect(rows).toEqual([{ model_id: 'm1', status: 'active' }]);
  });
});
