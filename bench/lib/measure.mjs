// Timing primitives for the benchmark: wall time of a child process (spawnSync, so nothing else
// runs in this process while it is measured), its CPU time (user + sys of the child and every
// descendant it waited for, from /proc/self/stat on Linux), and the statistics we report.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux we run on). */
const USER_HZ = 100;

/**
 * CPU seconds (user + sys) of every child this process has reaped so far, or undefined when
 * /proc is not there (macOS). Resolution: one tick (10 ms); medians over ≥ 7 runs smooth it.
 */
function childCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(rest[13]); // field 16
    const cstime = Number(rest[14]); // field 17
    return (cutime + cstime) / USER_HZ;
  } catch {
    return undefined;
  }
}

export const CPU_AVAILABLE = childCpuSeconds() !== undefined;

/**
 * Runs a command to completion and returns its wall time (ms), CPU time (ms, descendants
 * included) and result. Throws when the exit code is not one of `okCodes`.
 */
export function timeRun(cmd, args, { cwd, env, input, okCodes = [0], label } = {}) {
  const cpu0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const t1 = process.hrtime.bigint();
  const cpu1 = childCpuSeconds();
  if (r.error) throw new Error(`${label ?? cmd}: ${r.error.message}`);
  if (!okCodes.includes(r.status)) {
    throw new Error(`${label ?? [cmd, ...args].join(' ')} exited ${r.status} (wanted ${okCodes.join('/')}) in ${cwd ?? process.cwd()}\n${r.stdout}\n${r.stderr}`);
  }
  return {
    ms: Number(t1 - t0) / 1e6,
    cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) * 1000,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/**
 * `timeRun` for a process that talks to servers living in this process (the loopback fakes):
 * spawn + await, so the event loop keeps serving while the child runs.
 */
export function timeRunAsync(cmd, args, { cwd, env, okCodes = [0], label } = {}) {
  return new Promise((resolve, reject) => {
    const cpu0 = childCpuSeconds();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const t1 = process.hrtime.bigint();
      const cpu1 = childCpuSeconds();
      if (!okCodes.includes(status)) {
        reject(new Error(`${label ?? [cmd, ...args].join(' ')} exited ${status} (wanted ${okCodes.join('/')}) in ${cwd ?? process.cwd()}\n${stdout}\n${stderr}`));
        return;
      }
      resolve({ ms: Number(t1 - t0) / 1e6, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) * 1000, status, stdout, stderr });
    });
  });
}

/** Runs a command and throws with its output when it fails (setup steps, not measured). */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0 && !(opts.okCodes ?? []).includes(r.status)) {
    throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status} in ${opts.cwd ?? process.cwd()}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** `{median, min, max, n, samples}` of a list of numbers (undefined entries dropped). */
export function summarize(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return undefined;
  return {
    median: round(median(v)),
    min: round(Math.min(...v)),
    max: round(Math.max(...v)),
    n: v.length,
    samples: v.map(round),
  };
}

export function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Interleaved measurement: `runs` rounds, each running every subject once, in an order that
 * rotates per round (so no subject always runs right after the same neighbour). Each subject is
 * `{ id, run(round) → {ms, cpuMs} or a promise of it }`; `warmup` rounds are run first and dropped (page cache,
 * git's index, lazily written caches). Returns `id → {wall, cpu}` summaries and the raw rounds.
 */
export async function interleave(subjects, { runs, warmup = 1, onRound, budgetMs, minRuns = 3 } = {}) {
  const raw = Object.fromEntries(subjects.map((s) => [s.id, { wall: [], cpu: [] }]));
  let t0 = Date.now();
  for (let r = -warmup; r < runs; r++) {
    if (r === 0) ({ runs } = fitBudget(raw, runs, Date.now() - t0, warmup, budgetMs, minRuns));
    if (r === 0) t0 = Date.now();
    for (const s of roundOrder(subjects, r)) {
      const res = await s.run(r);
      if (r >= 0) {
        raw[s.id].wall.push(res.ms);
        raw[s.id].cpu.push(res.cpuMs);
      }
    }
    if (r >= 0) onRound?.(r);
  }
  return summarizeRaw(raw);
}

/**
 * Fewer rounds when the warm-up round shows the figure would take longer than `budgetMs` (a
 * subject that misses its goal many times over), never fewer than `minRuns`. Off when the user
 * set BENCH_RUNS. The reduction is recorded on the raw results (`reducedFrom`).
 */
function fitBudget(raw, runs, warmupMs, warmup, budgetMs, minRuns) {
  if (!budgetMs || warmup < 1 || process.env.BENCH_RUNS) return { runs };
  const roundMs = warmupMs / warmup;
  const fit = Math.max(minRuns, Math.floor(budgetMs / roundMs));
  if (fit >= runs) return { runs };
  Object.defineProperty(raw, 'reducedFrom', { value: runs, enumerable: false });
  return { runs: fit };
}

/** The subjects rotated by the round number. */
function roundOrder(subjects, r) {
  const k = ((r % subjects.length) + subjects.length) % subjects.length;
  return [...subjects.slice(k), ...subjects.slice(0, k)];
}

function summarizeRaw(raw) {
  const out = {};
  for (const [id, { wall, cpu }] of Object.entries(raw)) out[id] = { wall: summarize(wall), cpu: summarize(cpu), rawWall: wall, rawCpu: cpu };
  if (raw.reducedFrom) Object.defineProperty(out, 'reducedFrom', { value: raw.reducedFrom, enumerable: false });
  return out;
}

/**
 * Cost of `subject` over `base` in units of one `node -e 0` start, from the medians of the same
 * run: (median(subject) − median(base)) / median(node). Also the paired version: the median over
 * rounds of (subject_r − base_r) / node_r, which cancels slow drifts of the machine's load.
 */
export function unitsOver(subject, base, node) {
  const medUnits = (median(subject) - median(base)) / median(node);
  const n = Math.min(subject.length, base.length, node.length);
  const paired = [];
  for (let i = 0; i < n; i++) paired.push((subject[i] - base[i]) / node[i]);
  return { units: round(medUnits), pairedUnits: round(median(paired)), pairedMin: round(Math.min(...paired)), pairedMax: round(Math.max(...paired)) };
}

/** One `node -e 0` start, the unit of the hook figures. */
export function nodeStart(env) {
  return timeRun(process.execPath, ['-e', '0'], { env, label: 'node -e 0' });
}
