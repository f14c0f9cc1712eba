// Figure 6: the cold import graph. (a) Which packages each command loads — traced with a loader
// hook (ES modules) and the require cache (CommonJS) — to confirm that the pre-commit fast path
// loads no markdown parser, no DuckDB and no Google SDK. (b) What each heavy group costs to import
// cold, over `node -e 0`, in the same interleaved rounds: the price a command pays for loading it.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { interleave, nodeStart, round, run, timeRun, unitsOver } from '../lib/measure.mjs';
import { BIN, EXAMPLE_MANIFEST, ROOT, exampleRepo, git, hermeticEnv, tempDir } from '../lib/repo.mjs';

const TRACER = join(ROOT, 'bench', 'lib', 'trace-imports.mjs');

/** Heavy groups, by package name (bundled packages are named in the dist chunks' `// node_modules/<pkg>/` comments). */
const GROUPS = {
  markdown: /^(unified|remark-.*|micromark.*|mdast-.*|unist-.*|vfile.*|decode-named-character-reference|character-entities)$/,
  duckdb: /^@duckdb\//,
  'google sdk': /^(@google-cloud\/.*|google-gax|google-auth-library|gaxios|gcp-metadata|gtoken|@grpc\/.*|protobufjs|proto3-json-serializer)$/,
  yaml: /^yaml$/,
  diff: /^diff$/,
  commander: /^commander$/,
  handlebars: /^handlebars$/,
  'jsonc-parser': /^jsonc-parser$/,
  // The Ajv package itself (compiler or runtime helpers). The validators are compiled by Ajv at
  // build time into plain code (src/schema/generated/), which is not this group.
  ajv: /^ajv$/,
};

function packageOfPath(file) {
  const i = file.lastIndexOf('/node_modules/');
  if (i < 0) return undefined;
  const parts = file.slice(i + '/node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Packages bundled into a dist chunk (esbuild leaves a `// node_modules/<pkg>/<file>` line per module). */
const bundledCache = new Map();
function bundledPackages(file) {
  if (!bundledCache.has(file)) {
    const set = new Set();
    for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm)) set.add(m[1]);
    bundledCache.set(file, set);
  }
  return bundledCache.get(file);
}

/** Runs a command with the tracer; returns the packages and files it loaded. */
function trace(label, args, { cwd, env, okCodes = [0, 1] }) {
  const out = join(tempDir('trace'), 'trace.txt');
  writeFileSync(out, '');
  run(process.execPath, ['--import', pathToFileURL(TRACER).href, BIN, ...args], { cwd, env: { ...env, BENCH_TRACE_IMPORTS: out }, okCodes });
  const urls = [...new Set(readFileSync(out, 'utf8').split('\n').filter((u) => u.startsWith('file://')))];
  const files = urls.map((u) => fileURLToPath(u));
  const packages = new Set();
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // a file removed since (temp) — ignore
    }
    const pkg = packageOfPath(f);
    if (pkg) packages.add(pkg);
    else if (f.startsWith(join(ROOT, 'dist'))) for (const p of bundledPackages(f)) packages.add(p);
  }
  const groups = Object.fromEntries(Object.entries(GROUPS).map(([g, re]) => [g, [...packages].some((p) => re.test(p))]));
  return {
    command: label,
    files: files.length,
    distFiles: files.filter((f) => f.startsWith(join(ROOT, 'dist'))).length,
    kilobytes: round(bytes / 1024, 0),
    groups,
    packages: [...packages].sort(),
  };
}

/** The dist chunk built from the source file `src` (esbuild leaves a `// <src>` line per module). */
function distChunkWithSource(src) {
  const dir = join(ROOT, 'dist', 'chunks');
  const f = readdirSync(dir).find((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes(`\n// ${src}\n`));
  return f ? join(dir, f) : undefined;
}

/** The dist chunk that bundles `pkg` (chunk names are hashed). */
function distChunkWith(pkg) {
  const dir = join(ROOT, 'dist', 'chunks');
  const f = readdirSync(dir).find((f) => f.endsWith('.js') && bundledPackages(join(dir, f)).has(pkg));
  return f ? join(dir, f) : undefined;
}

export async function benchImports({ runs, log }) {
  const env = hermeticEnv();
  const repo = exampleRepo(env, { files: 0, name: 'imports' });
  run(process.execPath, [BIN, 'sync'], { cwd: repo, env });
  run(process.execPath, [BIN, 'docs'], { cwd: repo, env });
  git(repo, ['commit', '-q', '-am', 'docs'], env);

  // (a) the graph per command
  const graphs = [];
  writeFileSync(join(repo, 'notes.txt'), 'unrelated\n');
  git(repo, ['add', 'notes.txt'], env);
  run(process.execPath, [BIN, 'hook', 'pre-commit'], { cwd: repo, env }); // records the freshness key
  graphs.push(trace('hook pre-commit (unrelated commit: fast path)', ['hook', 'pre-commit'], { cwd: repo, env }));
  const manifest = join(repo, EXAMPLE_MANIFEST);
  const before = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, before.replace('"mae": 4.82', '"mae": 4.83'));
  git(repo, ['add', EXAMPLE_MANIFEST], env);
  graphs.push(trace('hook pre-commit (manifest staged: regenerates)', ['hook', 'pre-commit'], { cwd: repo, env }));
  git(repo, ['commit', '-q', '--no-verify', '-m', 'manifest'], env);
  graphs.push(trace('docs --check', ['docs', '--check'], { cwd: repo, env }));
  graphs.push(trace('lint-names <path>', ['lint-names', 'models/catboost_v9/artifacts/catboost_v9_33f_train20251102-20260108_20260208_144749.cbm'], { cwd: repo, env }));
  graphs.push(trace('name', ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08', '--at', '2026-02-08T14:47:49Z'], { cwd: repo, env }));
  graphs.push(trace('sync', ['sync'], { cwd: repo, env }));
  graphs.push(trace('list', ['list'], { cwd: repo, env }));
  graphs.push(trace('drift (embedded)', ['drift'], { cwd: repo, env }));
  rmSync(join(repo, 'notes.txt'), { force: true });

  const fast = graphs[0];
  const HEAVY = ['markdown', 'duckdb', 'google sdk', 'handlebars', 'jsonc-parser', 'ajv'];
  const fastPathClean = HEAVY.every((g) => !fast.groups[g]);

  // (b) cold import costs, interleaved with node -e 0
  const targets = [['dist/cli.js (every command: commander, config)', join(ROOT, 'dist', 'cli.js')]];
  const md = distChunkWith('remark-parse');
  if (md) targets.push(['markdown parser (bundled unified + remark-parse)', md]);
  const gfm = distChunkWith('remark-gfm');
  if (gfm) targets.push(['remark-gfm (bundled)', gfm]);
  const yaml = distChunkWith('yaml');
  if (yaml) targets.push(['yaml (bundled)', yaml]);
  const hbs = distChunkWith('handlebars');
  if (hbs) targets.push(['handlebars (bundled; docs templates)', hbs]);
  const jsonc = distChunkWith('jsonc-parser');
  if (jsonc) targets.push(['jsonc-parser (bundled; promote)', jsonc]);
  for (const pkg of ['@duckdb/node-api', '@google-cloud/storage', '@google-cloud/bigquery', '@google-cloud/run']) targets.push([pkg, pkg]);
  const importer = (spec) => {
    const url = spec.startsWith('/') ? pathToFileURL(spec).href : spec;
    return () => timeRun(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], { cwd: ROOT, env, label: `import ${spec}` });
  };
  const res = await interleave([{ id: 'node -e 0', run: () => nodeStart(env) }, ...targets.map(([id, spec]) => ({ id, run: importer(spec) }))], {
    runs,
    warmup: 1,
    onRound: (r) => log?.(`imports round ${r + 1}/${runs}`),
  });
  // (c) The same modules timed INSIDE the process (hrtime and process.cpuUsage around the
  // import): no node start in the figure, and CPU time is far less sensitive than wall time to
  // other sessions loading the machine. The generated validators are chunks of their own.
  const inProcess = [...targets.filter(([, spec]) => spec.startsWith('/'))];
  const configValidator = distChunkWithSource('src/schema/generated/config-validator.js');
  if (configValidator) inProcess.push(['config validator (Ajv standalone, generated at build; every command)', configValidator]);
  const manifestValidator = distChunkWithSource('src/schema/generated/manifest-validator.js');
  if (manifestValidator) inProcess.push(['manifest validator (Ajv standalone, generated at build)', manifestValidator]);
  const probe = (file) =>
    JSON.parse(
      run(process.execPath, ['--input-type=module', '-e', `const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(file).href)}); const c = process.cpuUsage(c0); console.log(JSON.stringify({ wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1000 }))`], { cwd: ROOT, env }),
    );
  const samples = new Map(inProcess.map(([id]) => [id, []]));
  for (let r = 0; r < runs; r++) for (const [id, file] of inProcess) samples.get(id).push(probe(file));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const inProcessRows = inProcess.map(([id, file]) => ({
    id,
    kilobytes: round(statSync(file).size / 1024, 0),
    wallMs: round(median(samples.get(id).map((x) => x.wall)), 1),
    cpuMs: round(median(samples.get(id).map((x) => x.cpu)), 1),
  }));
  const node = res['node -e 0'].rawWall;
  const rows = Object.entries(res).map(([id, r]) => ({ id, wall: r.wall, cpu: r.cpu, ...(id === 'node -e 0' ? {} : { overNode: unitsOver(r.rawWall, node, node), overNodeMs: round(r.wall.median - res['node -e 0'].wall.median) }) }));
  return {
    figure: 'imports',
    graphs,
    fastPathClean,
    inProcess: inProcessRows,
    rows,
    notes: [
      `pre-commit fast path loads ${fast.files} files (${fast.kilobytes} KB): ${fastPathClean ? 'no markdown parser, DuckDB, Google SDK, Handlebars, jsonc-parser or Ajv' : `HEAVY MODULES LOADED: ${HEAVY.filter((g) => fast.groups[g]).join(', ')}`}`,
      'import costs: `node --input-type=module -e "await import(X)"`, wall over `node -e 0`, same rounds',
    ],
  };
}
