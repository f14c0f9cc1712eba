// Cloud figures, run by bench/run.mjs as a child: `node --import tsx bench/cloud.mjs <task> <json>`.
// tsx is needed only to import the loopback fakes of test/fakes/ (TypeScript); this file is plain
// JavaScript. The fakes live in this process, so the CLI runs are spawned asynchronously and timed
// here. Prints one JSON object on stdout; progress on stderr.
//
// Tasks:
//   bq      — `modelgov sync` via the CLI against the BigQuery fake for N models: requests and
//             request bytes per sync, beside the size of the old inline-literal MERGE text.
//   drift   — `modelgov drift` with the manifest on the GCS fake, the registry on the BigQuery
//             fake and the deployment on the Cloud Run fake, each answering at once or after a
//             delay per request (a loopback proxy in front of each fake).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBigQueryFake } from '../test/fakes/bigquery-fake.ts';
import { startCloudRunFake } from '../test/fakes/cloud-run-fake.ts';
import { startGcsFake } from '../test/fakes/gcs-fake.ts';
import { inlineLiteralMergeSize } from '../test/fakes/registry-rows.ts';
import { manifestToRows } from '../src/sync/to-rows.ts';
import { benchConfig, generateManifest } from './lib/generate.mjs';
import { interleave, round, timeRunAsync } from './lib/measure.mjs';
import { BIN, EXAMPLE, EXAMPLE_MANIFEST, cleanup, configRepo, git, hermeticEnv, tempDir } from './lib/repo.mjs';

const QUERY_LIMIT = 1024 * 1024; // BigQuery: 1,024 K characters of query text
const REQUEST_LIMIT = 10 * 1024 * 1024; // BigQuery: 10 MB per request
const PROJECT = 'bench-project';
const TABLE = `${PROJECT}.ml.model_registry`;
const log = (s) => process.stderr.write(`${s}\n`);

/** What one CLI run sent to the BigQuery fake. */
function bqTraffic(fake, fromReq, fromQuery) {
  const reqs = fake.requests.slice(fromReq);
  const queries = fake.queries.slice(fromQuery);
  const kinds = {};
  for (const q of queries) kinds[q.kind ?? (q.error ? 'refused' : '?')] = (kinds[q.kind ?? (q.error ? 'refused' : '?')] ?? 0) + 1;
  const merges = queries.filter((q) => q.kind === 'MERGE');
  return {
    requests: reqs.length,
    requestBytes: reqs.reduce((a, r) => a + r.body.length, 0),
    jobs: kinds,
    mergeRequests: merges.length,
    mergeBytes: merges.map((q) => q.bytes),
    mergeQueryChars: merges.map((q) => q.query.length),
    largestRequestBytes: Math.max(0, ...reqs.map((r) => r.body.length)),
    refused: queries.filter((q) => q.error).map((q) => q.error.slice(0, 160)),
  };
}

/** Smallest N whose inline-literal MERGE text exceeds the limit (binary search on generated manifests). */
function inlineCrossing(limit) {
  const size = (n) => inlineLiteralMergeSize(manifestToRows('catboost_v9', generateManifest(n)));
  let lo = 1;
  let hi = 4_000;
  while (size(hi) <= limit) hi *= 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (size(mid) > limit) hi = mid;
    else lo = mid + 1;
  }
  return { n: lo, charsAtN: size(lo), charsBelow: size(lo - 1) };
}

async function taskBq({ sizes, changedUpTo = Infinity }) {
  const fake = await startBigQueryFake();
  const env = hermeticEnv({ MODELGOV_BIGQUERY_ENDPOINT: fake.url });
  const out = { rows: [], crossing: inlineCrossing(QUERY_LIMIT), queryLimitChars: QUERY_LIMIT, requestLimitBytes: REQUEST_LIMIT };
  try {
    for (const n of sizes) {
      fake.state.datasets.clear();
      // The fake executes every statement on its own rows in TypeScript; at 20,000 models its history
      // de-duplication takes longer than the default 10 s timeout (the real service does not).
      const config = { ...benchConfig({ registry: `bigquery:${TABLE}`, docs: [] }), location: 'US', timeoutMs: 600_000 };
      delete config.systems[0].deployment;
      const manifest = generateManifest(n);
      const repo = configRepo(env, { config, manifest, name: `bq${n}` });
      const step = async (label, okCodes = [0]) => {
        const r0 = fake.requests.length;
        const q0 = fake.queries.length;
        const res = await timeRunAsync(process.execPath, [BIN, 'sync'], { cwd: repo, env, okCodes, label: `sync ${n} (${label}) against the BigQuery fake` });
        return { step: label, ms: round(res.ms), cliCpuMs: res.cpuMs === undefined ? undefined : round(res.cpuMs), exit: res.status, summary: res.stdout.trim().split('\n').pop(), ...bqTraffic(fake, r0, q0) };
      };
      log(`bigquery fake: ${n} models`);
      const first = await step('first sync: creates dataset and tables');
      const again = await step('unchanged re-sync');
      const steps = [first, again];
      if (n <= changedUpTo) {
        // Every model changed (a bucket move): the steady-state MERGE carries all N rows. Skipped
        // for the largest size by default: the fake's history de-duplication is quadratic.
        const moved = JSON.parse(JSON.stringify(manifest).replaceAll('gs://nba-props-platform-models/', 'gs://nba-props-models-v2/'));
        writeFileSync(join(repo, EXAMPLE_MANIFEST), JSON.stringify(moved, null, 2) + '\n');
        steps.push(await step('all models changed'));
      }
      const rows = manifestToRows('catboost_v9', manifest);
      const inline = inlineLiteralMergeSize(rows);
      out.rows.push({ n, steps, inlineLiteralChars: inline, inlineOverLimit: inline > QUERY_LIMIT });
    }
  } finally {
    await fake.close();
  }
  return out;
}

/** A loopback proxy that holds every request `delayMs` before passing it to `target`. */
function delayProxy(target, delayMs, name, timeline) {
  const t = new URL(target);
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const event = { source: name, method: req.method, path: req.url.split('?')[0].slice(0, 80), arrivedMs: round(performance.now() - timeline.t0) };
    timeline.events.push(event);
    res.on('finish', () => (event.answeredMs = round(performance.now() - timeline.t0)));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', (e) => {
          res.writeHead(502);
          res.end(String(e));
        });
        up.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        count: () => count,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

async function taskDrift({ runs, delayMs }) {
  const bucket = 'bench-models';
  const object = 'catboost_v9/manifest.json';
  const gcs = await startGcsFake({ buckets: [bucket] });
  const bq = await startBigQueryFake();
  const run = await startCloudRunFake();
  const proxies = [];
  try {
    // The example as a git repo, its three locations switched to the cloud ones.
    const env0 = hermeticEnv();
    const repo = join(tempDir('drift-cloud'), 'repo');
    cpSync(EXAMPLE, repo, { recursive: true });
    const config = JSON.parse(readFileSync(join(repo, 'modelgov.config.json'), 'utf8'));
    config.registry = `bigquery:${TABLE}`;
    config.location = 'US';
    config.systems[0].manifest = `gs://${bucket}/${object}`;
    config.systems[0].deployment.service = `cloudrun:${PROJECT}/us-west2/prediction-worker`;
    writeFileSync(join(repo, 'modelgov.config.json'), JSON.stringify(config, null, 2) + '\n');
    const manifestText = readFileSync(join(repo, EXAMPLE_MANIFEST), 'utf8');
    gcs.put(bucket, object, manifestText, 'application/json');
    git(repo, ['init', '-q', '-b', 'main'], env0);
    git(repo, ['add', '-A'], env0);
    git(repo, ['commit', '-q', '-m', 'initial'], env0);
    const head = git(repo, ['rev-parse', 'HEAD'], env0);
    const manifest = JSON.parse(manifestText);
    run.setService(PROJECT, 'us-west2', 'prediction-worker', {
      env: { CATBOOST_V9_MODEL_PATH: manifest.models[manifest.production_model].gcs_path, GCP_PROJECT_ID: PROJECT },
      labels: { 'commit-sha': head },
      templateLabels: { 'commit-sha': head },
      updateTime: new Date().toISOString(),
    });
    const direct = hermeticEnv({ MODELGOV_GCS_ENDPOINT: gcs.url, MODELGOV_BIGQUERY_ENDPOINT: bq.url, MODELGOV_CLOUDRUN_ENDPOINT: run.url });
    // The registry and the docs section in line with the manifest, so drift finds nothing.
    await timeRunAsync(process.execPath, [BIN, 'sync'], { cwd: repo, env: direct, label: 'sync (setup)' });
    await timeRunAsync(process.execPath, [BIN, 'docs'], { cwd: repo, env: direct, label: 'docs (setup)' });
    git(repo, ['commit', '-q', '-am', 'docs'], env0);
    run.setService(PROJECT, 'us-west2', 'prediction-worker', { ...run.services.get(`${PROJECT}/us-west2/prediction-worker`), labels: { 'commit-sha': git(repo, ['rev-parse', 'HEAD'], env0) } });
    const check = await timeRunAsync(process.execPath, [BIN, 'drift', '--json'], { cwd: repo, env: direct, okCodes: [0, 1, 2], label: 'drift (setup check)' });
    if (check.status !== 0) return { skipped: `drift against the fakes did not come out clean (exit ${check.status}): ${(check.stdout + check.stderr).slice(0, 600)}` };

    // When each delayed request arrived and was answered, relative to the start of the drift run.
    const timeline = { t0: 0, events: [] };
    const gp = await delayProxy(gcs.url, delayMs, 'gcs', timeline);
    const bp = await delayProxy(bq.url, delayMs, 'bigquery', timeline);
    const rp = await delayProxy(run.url, delayMs, 'cloudrun', timeline);
    proxies.push(gp, bp, rp);
    const delayed = hermeticEnv({ MODELGOV_GCS_ENDPOINT: gp.url, MODELGOV_BIGQUERY_ENDPOINT: bp.url, MODELGOV_CLOUDRUN_ENDPOINT: rp.url });
    const perRun = { gcs: [], bigquery: [], cloudrun: [] };
    let lastTimeline = [];
    const drift = (env, count) => async () => {
      const before = [gcs.requests.length, bq.requests.length, run.requests.length];
      if (count) {
        timeline.t0 = performance.now();
        timeline.events = [];
      }
      const res = await timeRunAsync(process.execPath, [BIN, 'drift'], { cwd: repo, env, label: 'drift (cloud)' });
      if (count) {
        perRun.gcs.push(gcs.requests.length - before[0]);
        perRun.bigquery.push(bq.requests.length - before[1]);
        perRun.cloudrun.push(run.requests.length - before[2]);
        lastTimeline = [...timeline.events, { source: 'process', event: 'exit', answeredMs: round(res.ms) }];
      }
      return res;
    };
    const res = await interleave(
      [
        { id: 'node -e 0', run: () => timeRunAsync(process.execPath, ['-e', '0'], { env: direct }) },
        { id: 'drift cloud, fakes answer at once', run: drift(direct, false) },
        { id: `drift cloud, each request answered after ${delayMs} ms`, run: drift(delayed, true) },
      ],
      { runs, warmup: 1, onRound: (r) => log(`drift (cloud) round ${r + 1}/${runs}`) },
    );
    const requestsPerRun = Object.fromEntries(Object.entries(perRun).map(([k, v]) => [k, v.length ? Math.max(...v) : 0]));
    return { delayMs, results: Object.fromEntries(Object.entries(res).map(([id, r]) => [id, { wall: r.wall, cpu: r.cpu }])), requestsPerRun, timeline: lastTimeline };
  } finally {
    for (const p of proxies) await p.close();
    await Promise.all([gcs.close(), bq.close(), run.close()]);
  }
}

const [task, json = '{}'] = process.argv.slice(2);
const args = JSON.parse(json);
try {
  const result = task === 'bq' ? await taskBq(args) : task === 'drift' ? await taskDrift(args) : { skipped: `unknown task ${task}` };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  cleanup();
}
