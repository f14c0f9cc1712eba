#!/usr/bin/env node
// `npm run bench` (builds dist/ first): modelgov's speed figures, each with its baseline measured
// in the same interleaved rounds, printed as a table and written to bench/results.json.
// See docs/benchmarks.md for what each figure means and the goals.
//
//   BENCH_RUNS=N     measured rounds per figure (default 7; warm-up round not counted)
//   BENCH_QUICK=1    3 rounds, smaller BigQuery sizes: a smoke run in about a minute
//   BENCH_ONLY=a,b   only these figures: imports, precommit, docs, docs-large, lint, drift, drift-cloud, sync, bigquery, report
//   BENCH_KEEP=1     keep the temp repositories
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchDocs, benchDocsLarge } from './figures/docs.mjs';
import { benchDriftCloud, benchDriftEmbedded, cloudChild } from './figures/drift.mjs';
import { benchImports } from './figures/imports.mjs';
import { benchLintNames } from './figures/lint-names.mjs';
import { benchPrecommit } from './figures/precommit.mjs';
import { benchReport } from './figures/report.mjs';
import { benchSync } from './figures/sync.mjs';
import { CPU_AVAILABLE, round } from './lib/measure.mjs';
import { ROOT, cleanup } from './lib/repo.mjs';
import { printTable } from './lib/table.mjs';

const quick = process.env.BENCH_QUICK === '1';
const runs = Number(process.env.BENCH_RUNS) || (quick ? 3 : 7);
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const want = (id) => only.size === 0 || only.has(id);
const log = (s) => process.stderr.write(`  ${s}\n`);
const started = Date.now();

function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin', 'scripts', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/bin/scripts` : head;
  } catch {
    return 'unknown';
  }
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model?.trim(),
  memoryGB: round(os.totalmem() / 2 ** 30, 1),
  platform: `${os.type()} ${os.release()}`,
  node: process.version,
  git: execFileSync('git', ['--version'], { encoding: 'utf8' }).trim(),
  commit: gitDescribe(),
  loadAverageBefore: os.loadavg().map((x) => round(x)),
  cpuTimeMeasured: CPU_AVAILABLE,
};
process.stderr.write(`modelgov bench: ${runs} rounds per figure${quick ? ' (quick)' : ''}; ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAverageBefore.join(' ')}\n`);

const figures = [];
const step = async (id, title, fn) => {
  if (!want(id)) return;
  const t0 = Date.now();
  process.stderr.write(`${title}\n`);
  try {
    const result = await fn();
    result.seconds = round((Date.now() - t0) / 1000, 1);
    result.loadAverageAfter = os.loadavg().map((x) => round(x));
    figures.push(result);
  } catch (e) {
    figures.push({ figure: id, error: e instanceof Error ? e.message : String(e), rows: [] });
    process.stderr.write(`  FAILED: ${e instanceof Error ? e.stack : e}\n`);
  }
};

try {
  await step('imports', '6. cold import graph per command', () => benchImports({ runs, log }));
  await step('precommit', '1. pre-commit on a 2,000-file repo', () => benchPrecommit({ runs, log }));
  await step('docs', '3. docs on a 1 MB markdown file', () => benchDocs({ runs, budgetMs: quick ? 20_000 : 90_000, minRuns: quick ? 1 : 3, log }));
  await step('docs-large', '3b. docs --check on 1, 2, 5 MB files, markers at the end', () => benchDocsLarge({ runs, log }));
  await step('lint', '4. lint-names on 100,000 paths', () => benchLintNames({ runs, log }));
  await step('drift', '5a. drift, embedded sources', () => benchDriftEmbedded({ runs, log }));
  await step('drift-cloud', '5b. drift, three cloud fakes answering after 200 ms', () => benchDriftCloud({ runs, log }));
  await step('report', '7. report for 1,000 models', () => benchReport({ runs, log }));
  await step('sync', '2a. sync into DuckDB', () => benchSync({ runs, sizes: [10, 1_000, 10_000], log }));
  await step('bigquery', '2b. sync against the BigQuery fake', () => {
    const sizes = quick ? [10, 1_000, 2_000] : [10, 1_000, 20_000];
    const out = cloudChild('bq', { sizes, changedUpTo: quick ? 1_000 : Number(process.env.BENCH_BQ_CHANGED_UP_TO ?? 1_000) }, { log });
    return out.skipped ? { figure: 'bigquery', skipped: out.skipped, rows: [] } : { figure: 'bigquery', ...out };
  });
} finally {
  cleanup();
}

machine.loadAverageAfter = os.loadavg().map((x) => round(x));
const results = { generatedAt: new Date().toISOString(), runs, quick, machine, totalSeconds: round((Date.now() - started) / 1000, 1), figures };
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
printTable(results, (s) => process.stdout.write(s + '\n'));
process.stdout.write(`\nwrote bench/results.json (${results.totalSeconds} s)\n`);
if (figures.some((f) => f.error)) process.exitCode = 1;
