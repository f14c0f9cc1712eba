// Figure 4: `modelgov lint-names` on 100,000 paths. Goal: ≤ 1 s.
//
// 100,000 repo paths are ~9 MB of arguments; Linux allows ARG_MAX (2 MB here, arguments and
// environment together) per exec. So the CLI figure passes them the way `xargs` would, in as few
// command lines as fit (`xargs -s`), one after the other, and reports the total. GNU xargs' default
// command-line size is 128 KiB, which would mean ~75 processes: the count is reported too.
// The library figure times the pure `lintNames` function in-process (no process start), from the
// built bundle when it exposes it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chunkArgs, generatePaths } from '../lib/generate.mjs';
import { interleave, nodeStart, round, summarize, timeRun } from '../lib/measure.mjs';
import { BIN, EXAMPLE, EXAMPLE_MANIFEST, ROOT, configRepo, hermeticEnv } from '../lib/repo.mjs';

function argMax() {
  const r = spawnSync('getconf', ['ARG_MAX'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 2 * 1024 * 1024;
}

/** The dist chunk that defines lintNames (chunk names are hashed), or undefined. */
async function distLintNames() {
  const dir = join(ROOT, 'dist', 'chunks');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    if (text.includes('// src/naming/lint-names.ts') && /export\s*{[^}]*\blintNames\b/.test(text)) {
      const mod = await import(pathToFileURL(join(dir, f)).href);
      if (typeof mod.lintNames === 'function') return { lintNames: mod.lintNames, from: `dist/chunks/${f}` };
    }
  }
  const index = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
  if (typeof index.lintNames === 'function') return { lintNames: index.lintNames, from: 'dist/index.js' };
  return undefined;
}

export async function benchLintNames({ runs, count = 100_000, log }) {
  const env = hermeticEnv();
  const config = JSON.parse(readFileSync(join(EXAMPLE, 'modelgov.config.json'), 'utf8'));
  const manifestText = readFileSync(join(EXAMPLE, EXAMPLE_MANIFEST), 'utf8');
  const repo = configRepo(env, { config, manifest: manifestText, name: 'lint' });
  const paths = generatePaths(count);
  const argBytes = paths.reduce((a, p) => a + Buffer.byteLength(p) + 1, 0);
  // Each environment string and argument costs its bytes, its NUL and an 8-byte pointer.
  const envBytes = Object.entries(env).reduce((a, [k, v]) => a + Buffer.byteLength(`${k}=${v}`) + 1 + 8, 0);
  // What fits one exec: ARG_MAX minus the environment, the command itself and 64 KiB of headroom.
  const budget = argMax() - envBytes - Buffer.byteLength(process.execPath) - Buffer.byteLength(BIN) - 64 * 1024;
  const chunks = chunkArgs(paths, budget);
  const xargsDefault = chunkArgs(paths, 128 * 1024 - 2048).length;

  let violations;
  const cli = () => {
    let ms = 0;
    let cpuMs = 0;
    let found = 0;
    for (const c of chunks) {
      const r = timeRun(process.execPath, [BIN, 'lint-names', ...c], { cwd: repo, env, okCodes: [0, 1], label: `lint-names (${c.length} paths)` });
      ms += r.ms;
      cpuMs += r.cpuMs ?? NaN;
      found += (r.stdout.match(/^\S.*: /gm) ?? []).length;
    }
    violations = found;
    return { ms, cpuMs };
  };
  // One process, paths on stdin: `git ls-files -z | modelgov lint-names --stdin -z`.
  const stdinInput = paths.join('\0');
  const stdin = () => {
    const r = timeRun(process.execPath, [BIN, 'lint-names', '--stdin', '-z', '--json'], { cwd: repo, env, input: stdinInput, okCodes: [0, 1], label: 'lint-names --stdin' });
    const bad = JSON.parse(r.stdout).violations.length;
    if (violations !== undefined && bad !== violations) throw new Error(`--stdin judged differently: ${bad} vs ${violations} violations from the command lines`);
    return r;
  };
  const res = await interleave(
    [
      { id: 'node -e 0', run: () => nodeStart(env) },
      { id: `CLI, ${chunks.length} command lines`, run: cli },
      { id: 'CLI, one process: lint-names --stdin -z', run: stdin },
    ],
    { runs, warmup: 1, onRound: (r) => log?.(`lint-names round ${r + 1}/${runs}`) },
  );
  const rows = Object.entries(res).map(([id, r]) => {
    const row = { id, wall: r.wall, cpu: r.cpu };
    if (id.startsWith('CLI,')) {
      row.goal = '≤ 1,000 ms';
      row.pass = r.wall.median <= 1_000;
    }
    return row;
  });

  // The pure function, in-process: what a script calling the library pays after start-up.
  const lib = await distLintNames();
  if (lib) {
    const ctx = { systems: config.systems, manifests: new Map([['catboost_v9', JSON.parse(manifestText)]]) };
    const times = [];
    let result;
    for (let i = -1; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      result = lib.lintNames(paths, ctx);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 0) times.push(ms);
    }
    rows.push({ id: `library lintNames() in-process (${lib.from})`, wall: summarize(times), checked: result.checked, ignored: result.ignored, violations: result.violations.length });
  } else {
    rows.push({ id: 'library lintNames()', skipped: 'lintNames is not exported by dist/index.js and no dist chunk exports it' });
  }
  return {
    figure: 'lint-names',
    paths: count,
    argBytes,
    argMax: argMax(),
    chunkBudgetBytes: budget,
    commandLines: chunks.length,
    xargsDefaultCommandLines: xargsDefault,
    violationsReported: violations,
    rows,
    notes: [
      `${count.toLocaleString('en-US')} paths = ${round(argBytes / 1e6)} MB of arguments; ARG_MAX ${argMax().toLocaleString('en-US')} bytes (arguments + environment) → ${chunks.length} command lines of ≤ ${round(budget / 1e6)} MB, run one after the other`,
      `plain \`xargs\` (128 KiB command lines) would start ${xargsDefault} processes; use \`xargs -s ${Math.floor(budget / 1024) * 1024}\` or the library`,
    ],
  };
}
