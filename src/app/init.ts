import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE, DEFAULT_REGISTRY, findConfig, loadConfig, locationsOf, parseConfig } from '../config/load-config.js';
import { isRemoteLocation } from '../config/location.js';
import type { LoadedConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import { gitMaybe } from '../git/git.js';
import { locateRepo } from '../git/locate-repo.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import { modelExtensions } from '../config/model-files.js';

/**
 * `modelgov init`: set a repo up without asking anything. Every step first looks at what is
 * there and only adds what is missing, so a second run writes nothing (byte for byte).
 *
 * Hook activation: husky 9 activates hooks by pointing core.hooksPath at `.husky/_` when its
 * `prepare` script runs (on `npm install`). init adds `"prepare": "husky"` when there is no
 * prepare script and runs husky itself when it is already installed. Only when husky is not
 * going to run (the repo's own prepare script does not call it) does init set
 * `core.hooksPath=.husky` itself; the hook scripts put node_modules/.bin on PATH, so they work
 * without husky's wrapper too.
 */
export interface InitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--config`: use this config file instead of finding or creating one. */
  configPath?: string;
  system?: string;
  manifest?: string;
  docs?: string;
  /** Run `npm install` when the hook tools are missing (`--no-install` turns it off). */
  install: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface InitResult {
  root: string;
  /** What was created or changed, one line each. */
  changed: string[];
  /** What already was as init would make it. */
  unchanged: string[];
  /** What the user should do next or know about. */
  notes: string[];
}

const HOOK_TOOLS = ['modelgov', 'husky', 'lint-staged'] as const;
const LINT_STAGED_COMMAND = 'modelgov lint-names';
const OTHER_LINT_STAGED_CONFIGS = [
  '.lintstagedrc',
  '.lintstagedrc.yaml',
  '.lintstagedrc.yml',
  '.lintstagedrc.js',
  '.lintstagedrc.mjs',
  '.lintstagedrc.cjs',
  'lint-staged.config.js',
  'lint-staged.config.mjs',
  'lint-staged.config.cjs',
  'lint-staged.config.ts',
  'lint-staged.config.mts',
  'lint-staged.config.cts',
];

/** This package's root (where package.json, hooks/ and schema/ are), from src/ or dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'hooks', 'pre-commit'))) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'modelgov') return dir;
      } catch {
        // keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new ModelgovError('INTERNAL', 'cannot find the modelgov package (package.json, hooks/)', { fix: 'Reinstall modelgov.' });
    dir = parent;
  }
}

/** The versions init writes into a repo's devDependencies: what this package itself pins. */
export function pinnedToolVersions(): Record<(typeof HOOK_TOOLS)[number], string> {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
  return {
    modelgov: pkg.version,
    husky: pkg.devDependencies?.husky ?? pkg.dependencies?.husky ?? '9.1.7',
    'lint-staged': pkg.devDependencies?.['lint-staged'] ?? pkg.dependencies?.['lint-staged'] ?? '16.4.0',
  };
}

/** A directory name as a system id: lowercase letters, digits and underscores, starting with a letter or digit. */
export function sanitizeSystemId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return id || 'model';
}

function eolOf(text: string): string {
  return /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
}

/** Serialises JSON the way the file was written: its indent, its line ending, a final newline. */
function jsonLike(original: string | undefined, value: unknown): string {
  const indentMatch = original === undefined ? undefined : /^([ \t]+)"/m.exec(original);
  const indent = indentMatch ? indentMatch[1] : 2;
  const eol = original === undefined ? '\n' : eolOf(original);
  const text = JSON.stringify(value, null, indent) + '\n';
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseJsonFile(file: string, text: string): Record<string, any> {
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new ModelgovError('CONFIG_INVALID', `${file} is not a JSON object; init changed nothing in it`, { file, fix: `Fix the JSON in ${file} and run \`modelgov init\` again.` });
}

/** The lint-staged glob for the configured model extensions: `*.cbm`, or `*.{cbm,pkl}`. */
export function modelGlob(exts: string[]): string {
  const bare = exts.map((e) => e.replace(/^\./, ''));
  return bare.length === 1 ? `*.${bare[0]}` : `*.{${bare.join(',')}}`;
}

/** Adds `modelgov lint-names` to a lint-staged config object; true when it changed. */
function addLintStagedEntry(config: Record<string, unknown>, glob: string): boolean {
  for (const value of Object.values(config)) {
    const commands = Array.isArray(value) ? value : [value];
    if (commands.some((c) => typeof c === 'string' && c.trim().startsWith(LINT_STAGED_COMMAND))) return false;
  }
  const current = config[glob];
  if (current === undefined) config[glob] = LINT_STAGED_COMMAND;
  else if (Array.isArray(current)) current.push(LINT_STAGED_COMMAND);
  else config[glob] = [current, LINT_STAGED_COMMAND];
  return true;
}

/** Sets a repo up for modelgov. Throws ModelgovError outside a git repo or on unreadable config. */
export async function initRepo(opts: InitOptions): Promise<InitResult> {
  const log = opts.log ?? (() => {});
  const root = (await locateRepo(opts.cwd, opts.env))?.root;
  if (root === undefined) {
    throw new ModelgovError('USAGE', `${resolve(opts.cwd)} is not inside a git repository`, { fix: 'Run `git init` first, then `modelgov init`.' });
  }
  const result: InitResult = { root, changed: [], unchanged: [], notes: [] };
  const rel = (file: string) => relative(root, file) || '.';
  const done = (what: string, changed: boolean) => (changed ? result.changed : result.unchanged).push(what);

  // 1. The config.
  let loaded: LoadedConfig;
  const found = opts.configPath ? resolve(opts.cwd, opts.configPath) : findConfig(opts.cwd);
  if (found && existsSync(found)) {
    loaded = loadConfig({ cwd: opts.cwd, configPath: found });
    done(rel(found), false);
    if (opts.system && !loaded.config.systems.some((s) => s.id === opts.system)) {
      result.notes.push(`${rel(found)} exists and has no system "${opts.system}"; add it to systems there (init does not edit an existing config).`);
    }
  } else {
    if (opts.system !== undefined && !/^[a-z0-9][a-z0-9_]*$/.test(opts.system)) {
      throw new ModelgovError('USAGE', `--system "${opts.system}" is not a valid system id`, {
        fix: `Use lowercase letters, digits and underscores, e.g. --system ${sanitizeSystemId(opts.system)}.`,
      });
    }
    const id = opts.system ?? sanitizeSystemId(basename(root));
    const file = found ?? join(root, CONFIG_FILE);
    const docs = opts.docs ?? (existsSync(join(dirname(file), 'CLAUDE.md')) ? 'CLAUDE.md' : undefined);
    const value = {
      $schema: './node_modules/modelgov/schema/config.schema.json',
      registry: DEFAULT_REGISTRY,
      systems: [
        {
          id,
          manifest: opts.manifest ?? `models/${id}/manifest.json`,
          artifacts: { extensions: ['.cbm'] },
          ...(docs ? { docs: [docs] } : {}),
        },
      ],
    };
    const text = JSON.stringify(value, null, 2) + '\n';
    const check = parseConfig(text, file);
    if (!check.value) throw new ModelgovError('USAGE', check.errors[0], { details: check.errors.slice(1), fix: 'Pass other values to --system, --manifest or --docs.' });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
    done(`${rel(file)} (system ${id})`, true);
    loaded = { config: check.value, file, root: dirname(file) };
  }
  const systems = loaded.config.systems;
  for (const s of systems) {
    if (!isRemoteLocation(s.manifest) && !existsSync(resolve(loaded.root, s.manifest))) {
      result.notes.push(`create the manifest ${s.manifest} (the source of truth for ${s.id}); the docs section and the checks are made from it.`);
    }
  }

  // 2. package.json: dev dependencies, the prepare script that activates husky, the lint-staged entry.
  const pkgFile = join(root, 'package.json');
  const pkgText = readText(pkgFile);
  const pkg = pkgText === undefined ? { name: sanitizeSystemId(basename(root)).replace(/_/g, '-'), version: '0.0.0', private: true } : parseJsonFile('package.json', pkgText);
  const pkgChanges: string[] = [];
  const versions = pinnedToolVersions();
  for (const tool of HOOK_TOOLS) {
    if (pkg.devDependencies?.[tool] === undefined && pkg.dependencies?.[tool] === undefined) {
      pkg.devDependencies = { ...(pkg.devDependencies ?? {}), [tool]: versions[tool] };
      pkgChanges.push(`devDependencies.${tool}`);
    }
  }
  const prepare = pkg.scripts?.prepare;
  if (prepare === undefined) {
    pkg.scripts = { ...(pkg.scripts ?? {}), prepare: 'husky' };
    pkgChanges.push('scripts.prepare');
  }
  const huskyWillRun = /\bhusky\b/.test(String(pkg.scripts?.prepare ?? ''));
  const glob = modelGlob(modelExtensions(systems));
  const lintStagedJson = join(root, '.lintstagedrc.json');
  const otherLintStaged = OTHER_LINT_STAGED_CONFIGS.find((f) => existsSync(join(root, f)));
  if (existsSync(lintStagedJson)) {
    const text = readFileSync(lintStagedJson, 'utf8');
    const config = parseJsonFile('.lintstagedrc.json', text);
    const changed = addLintStagedEntry(config, glob);
    if (changed) atomicWriteFile(lintStagedJson, jsonLike(text, config));
    done(`.lintstagedrc.json ("${glob}": "${LINT_STAGED_COMMAND}")`, changed);
  } else if (pkg['lint-staged'] === undefined && otherLintStaged) {
    const hasIt = readFileSync(join(root, otherLintStaged), 'utf8').includes(LINT_STAGED_COMMAND);
    if (hasIt) done(otherLintStaged, false);
    else result.notes.push(`add "${glob}": "${LINT_STAGED_COMMAND}" to ${otherLintStaged} (init edits only package.json and .lintstagedrc.json).`);
  } else {
    if (pkg['lint-staged'] === undefined) pkg['lint-staged'] = {};
    if (addLintStagedEntry(pkg['lint-staged'], glob)) pkgChanges.push(`lint-staged "${glob}"`);
  }
  const pkgNext = pkgText !== undefined && pkgChanges.length === 0 ? pkgText : jsonLike(pkgText, pkg);
  if (pkgNext !== pkgText) {
    if (pkgText === undefined) writeFileSync(pkgFile, pkgNext, { flag: 'wx' });
    else atomicWriteFile(pkgFile, pkgNext);
    done(pkgText === undefined ? `package.json (private, for the hook tools: ${pkgChanges.join(', ')})` : `package.json (${pkgChanges.join(', ')})`, true);
  } else done('package.json', false);

  // 3. .gitignore: never commit node_modules of a package.json init created, nor the local registry.
  const ignores: string[] = [];
  if (pkgText === undefined) ignores.push('node_modules/');
  const registry = locationsOf(loaded).registry;
  if (registry.kind === 'duckdb' && relative(root, registry.path).split(/[\\/]/)[0] === '.modelgov') ignores.push('.modelgov/');
  ensureLines(join(root, '.gitignore'), ignores, done);

  // 4. The husky hook scripts.
  const templates = join(packageRoot(), 'hooks');
  ensureHook(join(root, '.husky', 'pre-commit'), join(templates, 'pre-commit'), [
    { test: /(^|[\s;&|(])(npx\s+(--no(-install)?\s+)?)?lint-staged\b/m, line: 'lint-staged' },
    { test: /\bmodelgov\s+hook\s+pre-commit\b/, line: 'modelgov hook pre-commit' },
  ], done);
  ensureHook(join(root, '.husky', 'pre-push'), join(templates, 'pre-push'), [{ test: /\bmodelgov\s+hook\s+pre-push\b/, line: 'modelgov hook pre-push' }], done);

  // 5. Markers in the docs files.
  const { findMarkers, markerBlock } = await import('../docs/index.js');
  for (const s of systems) {
    for (const docsFile of s.docs ?? []) {
      const abs = resolve(loaded.root, docsFile);
      const raw = existsSync(abs) ? readFileSync(abs) : undefined;
      if (raw === undefined && docsFile !== opts.docs) {
        result.notes.push(`${docsFile} (docs of ${s.id}) does not exist; create it, or run \`modelgov init --docs ${docsFile}\`.`);
        continue;
      }
      const text = raw === undefined ? '' : raw.toString('utf8');
      if (raw !== undefined && !Buffer.from(text, 'utf8').equals(raw)) {
        result.notes.push(`${docsFile} is not valid UTF-8; add the markers for ${s.id} by hand.`);
        continue;
      }
      const pairs = await findMarkers(text, docsFile);
      if (pairs.some((p) => p.system === s.id)) {
        done(`${docsFile} (markers of ${s.id})`, false);
        continue;
      }
      const eol = eolOf(text);
      const body = text.replace(/^\uFEFF/, '');
      const sep = body.length === 0 ? '' : /(\r\n|\n|\r)$/.test(text) ? eol : eol + eol;
      const next = text + sep + `## ML Model - ${s.id}` + eol + markerBlock(s.id, eol);
      mkdirSync(dirname(abs), { recursive: true });
      atomicWriteFile(abs, next);
      done(`${docsFile} (markers of ${s.id} appended under "## ML Model - ${s.id}")`, true);
      result.notes.push(`run \`modelgov docs\` to generate the ${s.id} section in ${docsFile}.`);
    }
  }

  // 6. Hook activation (see the header comment).
  const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);
  let missing = HOOK_TOOLS.filter((t) => !existsSync(bin(t)));
  if (missing.length > 0 && opts.install) {
    log(`modelgov: running npm install (missing: ${missing.join(', ')}) …`);
    const r = spawnSync('npm', ['install'], { cwd: root, env: opts.env, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
    if (r.status !== 0) {
      throw new ModelgovError('IO', `npm install failed in ${root} (exit ${r.status ?? r.signal})`, {
        fix: 'Run `npm install` yourself (everything else init does is done), or `modelgov init --no-install`.',
      });
    }
    done('npm install', true);
    missing = HOOK_TOOLS.filter((t) => !existsSync(bin(t)));
  }
  const hooksPath = await gitMaybe(root, ['config', '--end-of-options', 'core.hooksPath']);
  if (huskyWillRun) {
    if (missing.includes('husky')) {
      result.notes.push('run `npm install`: it installs modelgov, husky and lint-staged, and its prepare script (husky) activates the hooks.');
    } else if (hooksPath === '.husky/_' && existsSync(join(root, '.husky', '_', 'h'))) {
      done('hooks active (core.hooksPath=.husky/_)', false);
    } else {
      const r = spawnSync(bin('husky'), [], { cwd: root, env: { ...opts.env, HUSKY: '' }, encoding: 'utf8', shell: process.platform === 'win32' });
      if (r.status !== 0 || (r.stdout ?? '').trim()) {
        result.notes.push(`husky could not activate the hooks: ${(r.stdout || r.stderr || `exit ${r.status}`).trim()}; run \`npx husky\` in ${root}.`);
      } else done(`hooks activated by husky (core.hooksPath=.husky/_${hooksPath && hooksPath !== '.husky/_' ? `, was ${hooksPath}` : ''})`, true);
    }
  } else if (hooksPath === '.husky') {
    done('hooks active (core.hooksPath=.husky)', false);
  } else {
    await gitMaybe(root, ['config', '--end-of-options', 'core.hooksPath', '.husky']);
    done(`core.hooksPath=.husky (your prepare script does not run husky${hooksPath ? `; was ${hooksPath}` : ''})`, true);
  }
  if (missing.length > 0 && !(huskyWillRun && missing.includes('husky'))) {
    result.notes.push(`run \`npm install\` to install ${missing.join(', ')} (the hooks call them from node_modules/.bin).`);
  }
  if (existsSync(join(root, '.pre-commit-config.yaml'))) {
    result.notes.push(
      'this repo also uses the pre-commit framework: husky owns core.hooksPath, which turns its hooks off. Either keep husky and run `pre-commit run` from .husky/pre-commit, or drop husky and add the modelgov-docs and modelgov-drift hooks (.pre-commit-hooks.yaml) to .pre-commit-config.yaml.',
    );
  }
  return result;
}

/** Appends the missing `lines` to a line-based file (creating it), keeping its line ending. */
function ensureLines(file: string, lines: string[], done: (what: string, changed: boolean) => void): void {
  if (lines.length === 0) return;
  const text = readText(file) ?? '';
  const have = new Set(text.split(/\r\n|\n|\r/).map((l) => l.trim()));
  const add = lines.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, '')) && !have.has(`/${l}`));
  if (add.length === 0) return done(basename(file), false);
  const eol = eolOf(text);
  const sep = text.length === 0 || /(\r\n|\n|\r)$/.test(text) ? '' : eol;
  atomicWriteFile(file, text + sep + add.join(eol) + eol);
  done(`${basename(file)} (${add.join(', ')})`, true);
}

/** Creates a hook from its template, or appends the commands an existing hook lacks. */
function ensureHook(file: string, template: string, needs: { test: RegExp; line: string }[], done: (what: string, changed: boolean) => void): void {
  const name = `.husky/${basename(file)}`;
  const text = readText(file);
  if (text === undefined) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, readFileSync(template), { mode: 0o755 });
    chmodSync(file, 0o755);
    return done(name, true);
  }
  const add = needs.filter((n) => !n.test.test(text)).map((n) => n.line);
  const executable = (statSync(file).mode & 0o111) !== 0;
  if (add.length === 0 && executable) return done(name, false);
  if (add.length > 0) {
    const eol = eolOf(text);
    const sep = text.length === 0 || /(\r\n|\n|\r)$/.test(text) ? '' : eol;
    // Without husky's wrapper (core.hooksPath=.husky) nothing else puts the tools on PATH.
    const path = text.includes('node_modules/.bin') ? [] : ['export PATH="node_modules/.bin:$PATH"'];
    atomicWriteFile(file, text + sep + ['# added by `modelgov init`', ...path, ...add].join(eol) + eol);
  }
  if (!executable) chmodSync(file, statSync(file).mode | 0o755);
  done(`${name} (${[...add, ...(executable ? [] : ['made executable'])].join(', ')})`, true);
}
