// Deterministic generators for the benchmark inputs: manifests of N models shaped like the
// team's, a large realistic markdown file with the markers in the middle, model file paths, and
// the filler files of a 2,000-file repository. Same input → same bytes, so runs compare.
import { createHash } from 'node:crypto';

const pad = (n, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;

/** `YYYY-MM-DD` of a UTC epoch-ms. */
function isoDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const compact = (iso) => iso.replace(/-/g, '');

/** A small deterministic PRNG (mulberry32), so generated text is the same on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ['active', 'shadow', 'testing', 'untested', 'deprecated', 'archived', 'rolled_back'];
const VARIANTS = [[], [], [], ['q0.43'], ['noveg'], ['resid'], ['2stg'], ['wt'], ['q0.43', 'noveg']];

/**
 * Facts of model `i` of `system`: a conventional file name (unique per i: the creation time moves
 * by `stepSeconds` per model; 20,000 models span 2023-01 → 2024-11), a real training window
 * ending on or before the creation date.
 */
export function modelFacts(i, system = 'catboost_v9', { from = Date.UTC(2023, 0, 1), stepSeconds = 3_001 } = {}) {
  const created = from + i * stepSeconds * 1000;
  const end = created - (1 + (i % 20)) * DAY;
  const start = end - (30 + (i % 90)) * DAY;
  const c = new Date(created);
  const createdIso = c.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const variants = VARIANTS[i % VARIANTS.length];
  const features = 33 + (i % 3);
  const name = [
    `${system}_${features}f`,
    ...variants,
    `train${compact(isoDate(start))}-${compact(isoDate(end))}`,
    compact(isoDate(created)),
    `${pad(c.getUTCHours())}${pad(c.getUTCMinutes())}${pad(c.getUTCSeconds())}`,
  ].join('_');
  return { id: name, file: `${name}.cbm`, start: isoDate(start), end: isoDate(end), created: createdIso, features };
}

/**
 * A manifest of `n` models in the team's format: `production_model` + `models{}` with gcs_path,
 * sha256, evaluation metrics and a note — about 750 bytes per model, like the real entries.
 */
export function generateManifest(n, { system = 'catboost_v9', bucket = 'nba-props-platform-models', maeOffset = 0 } = {}) {
  const models = {};
  let production;
  for (let i = 0; i < n; i++) {
    const f = modelFacts(i, system);
    const status = i === n - 1 ? 'production' : STATUSES[i % STATUSES.length];
    if (status === 'production') production = f.id;
    models[f.id] = {
      gcs_path: `gs://${bucket}/catboost/v9/${f.file}`,
      model_type: 'catboost',
      model_version: 'v9',
      feature_count: f.features,
      training_start: f.start,
      training_end: f.end,
      training_samples: 9_000 + ((i * 37) % 4_000),
      sha256: createHash('sha256').update(f.id).digest('hex'),
      status,
      ...(status === 'production' ? { production_since: f.created.slice(0, 10) } : {}),
      created_at: f.created,
      evaluation: {
        mae: Math.round((4.5 + (i % 80) / 100 + (status === 'production' ? maeOffset : 0)) * 100) / 100,
        high_edge_hit_rate_3plus: 60 + (i % 150) / 10,
        high_edge_hit_rate_5plus: 70 + (i % 120) / 10,
        vegas_bias: Math.round((-0.5 + (i % 10) / 10) * 10) / 10,
        graded_edge_3plus: 50 + (i % 300),
        note: `walk-forward eval ${f.start}..${f.end}; out-of-sample from ${isoDate(Date.parse(f.end) + DAY)}`,
      },
      deprecation_reason: status === 'deprecated' ? 'vegas bias outside the gate after the Feb data refresh' : null,
    };
  }
  return { production_model: production, models };
}

/** The config of a generated repo: one system, its manifest, CLAUDE.md, a local service YAML. */
export function benchConfig({ registry = 'duckdb:.modelgov/registry.duckdb', manifest = 'models/catboost_v9/manifest.json', service = 'deploy/prediction-worker.yaml', docs = ['CLAUDE.md'] } = {}) {
  return {
    registry,
    systems: [
      {
        id: 'catboost_v9',
        manifest,
        artifacts: { extensions: ['.cbm'], dir: 'models/catboost_v9/artifacts' },
        deployment: { service, env: 'CATBOOST_V9_MODEL_PATH', sourceDirs: ['predictions/worker', 'shared'] },
        docs,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const WORDS = (
  'model feature window training serving registry manifest deploy worker prediction props ' +
  'player game edge vegas bias hit rate sample graded shadow promote rollback pipeline batch ' +
  'bucket schema column partition cache retry timeout latency quantile residual weight stage ' +
  'the a of to and in for on with from by is are was be this that it as at or not'
).split(' ');

function sentence(r, words = 8 + Math.floor(r() * 14)) {
  const out = [];
  for (let i = 0; i < words; i++) {
    let w = WORDS[Math.floor(r() * WORDS.length)];
    const k = r();
    if (k < 0.03) w = `**${w}**`;
    else if (k < 0.05) w = `_${w}_`;
    else if (k < 0.08) w = `\`${w}_${Math.floor(r() * 100)}\``;
    else if (k < 0.09) w = `[${w}](https://example.com/${w}/${Math.floor(r() * 1000)})`;
    out.push(w);
  }
  out[0] = out[0][0].toUpperCase() + out[0].slice(1);
  return out.join(' ') + '.';
}

function block(r, n) {
  const k = r();
  if (k < 0.45) return Array.from({ length: 2 + Math.floor(r() * 4) }, () => sentence(r)).join(' ');
  if (k < 0.65) return Array.from({ length: 3 + Math.floor(r() * 5) }, () => `${r() < 0.5 ? '-' : '*'} ${sentence(r, 5 + Math.floor(r() * 8))}`).join('\n');
  if (k < 0.75) return Array.from({ length: 3 + Math.floor(r() * 4) }, (_, i) => `${i + 1}. ${sentence(r, 6)}`).join('\n');
  if (k < 0.87) {
    const rows = 3 + Math.floor(r() * 8);
    const lines = ['| metric | value | window | note |', '|---|---:|---|---|'];
    for (let i = 0; i < rows; i++) lines.push(`| ${WORDS[Math.floor(r() * WORDS.length)]} | ${(r() * 100).toFixed(2)} | 2025-11-${pad(1 + (i % 28))} | ${sentence(r, 4)} |`);
    return lines.join('\n');
  }
  if (k < 0.96) {
    const lang = ['bash', 'python', 'json', 'sql'][Math.floor(r() * 4)];
    const body = Array.from({ length: 3 + Math.floor(r() * 10) }, (_, i) => `${lang === 'python' ? '    ' : ''}step_${n}_${i} = run("${WORDS[Math.floor(r() * WORDS.length)]}")  # ${i}`);
    // Markers inside code are text, not markers: a real file documents them like this.
    if (n % 97 === 0) body.push('<!-- modelgov:start catboost_v9 -->', '<!-- modelgov:end catboost_v9 -->');
    return ['```' + lang, ...body, '```'].join('\n');
  }
  return `> ${sentence(r)}\n> ${sentence(r)}`;
}

/**
 * A realistic markdown document of about `bytes` bytes (headings, prose with emphasis and links,
 * lists, tables, code fences that mention the markers, quotes, other tools' markers), with the
 * modelgov markers for `system` in the middle and a stale section between them.
 */
export function generateMarkdown(bytes, { system = 'catboost_v9', seed = 7 } = {}) {
  const r = rng(seed);
  const half = () => {
    const parts = [];
    let size = 0;
    let n = 0;
    while (size < bytes / 2) {
      const p = n % 9 === 0 ? `${'#'.repeat(2 + (n % 3))} ${sentence(r, 4).slice(0, -1)} ${n}` : block(r, n);
      parts.push(p);
      size += p.length + 2;
      n++;
    }
    return parts.join('\n\n');
  };
  const head = '# NBA Props Platform — notes for Claude\n\n<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n- [Layout](#layout)\n<!-- END doctoc generated TOC please keep comment here to allow auto update -->\n\n' + half();
  const section = `## ML Model - CatBoost V9 [Keyword: MODEL]\n<!-- modelgov:start ${system} -->\n(stale section)\n<!-- modelgov:end ${system} -->`;
  return `${head}\n\n${section}\n\n${half()}\n`;
}

// ---------------------------------------------------------------------------------------------
// Paths

/**
 * `n` model file paths as a repo lists them: mostly conventional names, 1 in 100 broken the ways
 * real ones break (end after creation, not a calendar date, old format), 1 in 50 of another
 * extension (ignored).
 */
export function generatePaths(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const f = modelFacts(i, 'catboost_v9', { from: Date.UTC(2022, 0, 1), stepSeconds: 613 });
    const dir = `models/catboost_v9/artifacts/${2025 + (i % 2)}`;
    if (i % 100 === 17) out.push(`${dir}/catboost_v9_33features_${f.file.slice(-19, -4)}.cbm`);
    else if (i % 100 === 53) out.push(`${dir}/${f.file.replace(/train(\d{4})\d{4}-/, 'train$10230-')}`);
    else if (i % 50 === 3) out.push(`${dir}/${f.id}.json`);
    else out.push(`${dir}/${f.file}`);
  }
  return out;
}

/**
 * Splits `args` into chunks whose argv fits the kernel's limit the way xargs does it: at most
 * `maxBytes` per command line, each argument counted with its NUL and its argv pointer.
 */
export function chunkArgs(args, maxBytes) {
  const chunks = [];
  let cur = [];
  let size = 0;
  for (const a of args) {
    const len = Buffer.byteLength(a) + 1 + 8;
    if (cur.length > 0 && size + len > maxBytes) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(a);
    size += len;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Filler files of the 2,000-file repo

/** `count` source files spread over directories, ~1 KB each, as `[relativePath, text]`. */
export function fillerFiles(count) {
  const r = rng(11);
  const out = [];
  for (let i = 0; i < count; i++) {
    const dir = ['pipelines', 'features', 'scrapers', 'analytics', 'services', 'tests'][i % 6];
    const sub = `mod${pad(Math.floor(i / 60), 3)}`;
    const ext = ['py', 'py', 'py', 'sql', 'yaml', 'md'][i % 6];
    const lines = Array.from({ length: 16 }, (_, k) => `# ${sentence(r, 6 + (k % 5))}`);
    out.push([`${dir}/${sub}/file_${pad(i, 4)}.${ext}`, lines.join('\n') + '\n']);
  }
  return out;
}
