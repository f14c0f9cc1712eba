// Prints bench results as markdown tables (the same text docs/benchmarks.md shows).

const fmt = (x, d = 0) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ms = (s) => (s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '–');
const bytes = (b) => (b >= 1e6 ? `${fmt(b / 1e6, 2)} MB` : b >= 1e3 ? `${fmt(b / 1e3, 1)} KB` : `${fmt(b)} B`);

function verdict(row) {
  if (row.pass === undefined) return '';
  return row.pass ? 'pass' : '**FAIL**';
}

function measure(row) {
  if (row.msPerMB !== undefined) return `${fmt(row.msPerMB)} ms/MB (${fmt(row.perMBvs1MB, 2)}× the 1 MB row); max RSS ${fmt(row.maxRssMB)} MB`;
  if (row.overBare) return `${fmt(row.overBare.units, 2)} (paired ${fmt(row.overBare.pairedUnits, 2)})`;
  if (row.overNode) return `${fmt(row.overNode.units, 2)}${row.overNodeMs !== undefined ? ` (+${fmt(row.overNodeMs)} ms)` : ''}`;
  if (row.overAtOnce !== undefined) return `+${fmt(row.overAtOnce)} ms over at-once; ${fmt(row.units, 1)}× node`;
  if (row.units !== undefined) return `${fmt(row.units, 2)}× node`;
  if (row.vsSmallest !== undefined) return `${fmt(row.vsSmallest, 2)}× the 10-model sync`;
  return '';
}

function table(out, header, rows) {
  out(`| ${header.join(' | ')} |`);
  out(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) out(`| ${r.join(' | ')} |`);
}

const MEASURE_HEADER = {
  'pre-commit': 'cost over bare commit, node-start units',
  docs: 'over node -e 0, node-start units',
  'docs-large': 'time per MB; memory',
  imports: 'over node -e 0, units (+ms)',
  'drift-embedded': 'whole run, node-start units',
  report: 'whole run, node-start units',
  'drift-cloud': 'vs the same fakes at once',
  'sync-duckdb': 'vs 10-model first sync',
  'lint-names': '',
};

export function printTable(results, out) {
  const m = results.machine;
  out(`\nmodelgov bench — ${results.generatedAt}`);
  out(`machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, ${m.platform}; Node ${m.node}; ${m.git}; modelgov ${m.commit}`);
  out(`load average (1/5/15 min): ${m.loadAverageBefore.join(' / ')} before, ${m.loadAverageAfter.join(' / ')} after; ${results.runs} measured rounds per figure after 1 warm-up round; times in ms, median (min–max)`);
  const ORDER = ['pre-commit', 'sync-duckdb', 'bigquery', 'docs', 'docs-large', 'lint-names', 'drift-embedded', 'drift-cloud', 'imports'];
  const rank = (f) => (ORDER.includes(f.figure) ? ORDER.indexOf(f.figure) : ORDER.length);
  for (const f of [...results.figures].sort((a, b) => rank(a) - rank(b))) {
    out('');
    const title = {
      imports: '6. Cold import graph',
      'pre-commit': '1. Pre-commit hook',
      docs: '3. docs on a 1 MB markdown file',
      'docs-large': '3b. docs --check on 1, 2 and 5 MB files, markers at the end',
      'lint-names': '4. lint-names on 100,000 paths',
      'drift-embedded': '5a. drift, embedded sources',
      'drift-cloud': '5b. drift, three cloud fakes',
      'sync-duckdb': '2a. sync into DuckDB',
      bigquery: '2b. sync against the BigQuery fake',
    }[f.figure] ?? f.figure;
    out(`### ${title}${f.seconds ? ` (${f.seconds} s)` : ''}`);
    if (f.error) {
      out(`ERROR: ${f.error.split('\n')[0]}`);
      continue;
    }
    if (f.skipped) {
      out(`SKIPPED: ${f.skipped}`);
      continue;
    }
    if (f.figure === 'bigquery') {
      printBigQuery(f, out);
      continue;
    }
    if (f.figure === 'imports') {
      table(
        out,
        ['command', 'files', 'KB', 'markdown', 'duckdb', 'google sdk', 'yaml', 'commander', 'handlebars', 'jsonc-parser', 'ajv'],
        f.graphs.map((g) => [g.command, fmt(g.files), fmt(g.kilobytes), ...['markdown', 'duckdb', 'google sdk', 'yaml', 'commander', 'handlebars', 'jsonc-parser', 'ajv'].map((k) => (g.groups[k] ? 'yes' : '·'))]),
      );
      out('');
      if (f.inProcess?.length) {
        table(out, ['module (timed in-process)', 'KB', 'import wall ms', 'import CPU ms'], f.inProcess.map((r) => [r.id, fmt(r.kilobytes), fmt(r.wallMs), fmt(r.cpuMs)]));
        out('');
      }
    }
    if (f.figure === 'pre-commit') out(`repo: ${f.repoFiles} tracked files; unit = node -e 0 = ${fmt(f.unitMs)} ms; bare commit = ${fmt(f.bareMs)} ms`);
    table(
      out,
      ['subject', 'wall ms', 'CPU ms', MEASURE_HEADER[f.figure] ?? '', 'goal', ''],
      f.rows.map((r) => [r.id, r.skipped ? `skipped: ${r.skipped}` : ms(r.wall), r.cpu ? fmt(r.cpu.median) : '–', measure(r), r.goal ?? '', verdict(r)]),
    );
    if (f.figure === 'lint-names') out(`${f.commandLines} command lines of ≤ ${bytes(f.chunkBudgetBytes)} (ARG_MAX ${bytes(f.argMax)}); plain xargs would start ${f.xargsDefaultCommandLines} processes; ${f.violationsReported} violations reported`);
    for (const n of f.notes ?? []) out(`- ${n}`);
  }
}

function printBigQuery(f, out) {
  table(
    out,
    ['models', 'sync', 'requests', 'jobs', 'MERGE requests', 'request bytes', 'largest request', 'MERGE text chars', 'inline-literal MERGE chars'],
    f.rows.flatMap((r) =>
      r.steps.map((s, i) => [
        fmt(r.n),
        s.step,
        fmt(s.requests),
        Object.entries(s.jobs)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        fmt(s.mergeRequests),
        bytes(s.requestBytes),
        bytes(s.largestRequestBytes),
        s.mergeQueryChars.length ? s.mergeQueryChars.map((c) => fmt(c)).join(' + ') : '–',
        i === 0 ? `${fmt(r.inlineLiteralChars)}${r.inlineOverLimit ? ' (over 1 MB: refused)' : ''}` : '',
      ]),
    ),
  );
  out(`- the old inline-literal MERGE passes BigQuery's 1,024 K-character limit at N = ${fmt(f.crossing.n)} models of this shape (${fmt(f.crossing.charsBelow)} chars at ${fmt(f.crossing.n - 1)}, ${fmt(f.crossing.charsAtN)} at ${fmt(f.crossing.n)})`);
  out(`- parameters carry the rows: the MERGE text stays the same size for every N; MERGE requests are split only by the ${bytes(f.requestLimitBytes)} request limit`);
  out('- "refused" jobs on the first sync are the read, the first MERGE and a CREATE TABLE that find no dataset yet; wall times here measure the TypeScript fake more than modelgov');
}
