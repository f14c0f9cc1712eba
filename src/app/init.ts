import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep as pathSep } from 'node:path';
import { CONFIG_FILE, DEFAULT_REGISTRY, findConfig, loadConfig, locationsOf, parseConfig } from '../config/load-config.js';
import { isRemoteLocation } from '../config/location.js';
import type { LoadedConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import { gitMaybe } from '../git/git.js';
import { locateRepo } from '../git/locate-repo.js';
import { historyFiles } from '../history/history-file.js';
import { checkIgnored, describeRule } from './init/check-ignore.js';
import { detectHookManager, type HookManager } from './init/detect-hook-manager.js';
import { planDocsMarkers } from './init/docs-markers.js';
import { activateHusky, planHusky } from './init/husky.js';
import { planDeployIgnores, planIgnoreLines } from './init/ignore-files.js';
import type { InitStep } from './init/init-context.js';
import { integrateLefthook } from './init/lefthook.js';
import { ownPackage, PackageJson, sanitizeSystemId } from './init/package-json.js';
import { PendingWrites } from './init/pending-writes.js';
import { shippedConfigSchema } from '../util/package-root.js';
import { integratePreCommitFramework } from './init/pre-commit-framework.js';
import { integrateSimpleGitHooks } from './init/simple-git-hooks.js';


/**
 * `modelgov init`: set a repository up without asking anything, with the hook manager it already
 * has. Every step first looks at what is there and only adds what is missing or what no longer
 * matches the config, so a second run writes nothing (byte for byte). All file changes are
 * planned first and written at the end: anything init cannot handle (a hook setup it would
 * have to switch off, an ignored path, an unreadable file) stops it before any byte changes.
 */
export interface InitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--config`: use this config file instead of finding or creating one. */
  configPath?: string;
  system?: string;
  manifest?: string;
  docs?: string;
  /** `--docs-heading`: the existing heading the markers go under. */
  docsHeading?: string;
  /** `--hooks`: the hook manager to use, overriding detection (`husky` takes over on purpose). */
  hooks?: HookManager;
  /** `--hooks-repo` / `--hooks-rev`: modelgov's git URL and tag for a pre-commit framework entry. */
  hooksRepo?: string;
  hooksRev?: string;
  /** Run `npm install` when the hook tools are missing (`--no-install` turns it off). */
  install: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface InitResult {
  root: string;
  /** The hook manager modelgov was added to, and why that one. */
  hooks: { manager: HookManager; reason: string };
  /** What was created or changed, one line each. */
  changed: string[];
  /** What already was as init would make it. */
  unchanged: string[];
  /** What the user should do next or know about. */
  notes: string[];
}

const SYSTEM_ID = /^[a-z0-9][a-z0-9_]*$/;
const isRemote = isRemoteLocation;

/** Sets a repository up for modelgov. Throws ModelgovError (nothing changed) on anything it cannot do safely. */
export async function initRepo(opts: InitOptions): Promise<InitResult> {
  const log = opts.log ?? (() => {});
  const root = (await locateRepo(opts.cwd, opts.env))?.root;
  if (root === undefined) {
    throw new ModelgovError('USAGE', `${resolve(opts.cwd)} is not inside a git repository`, { fix: 'Run `git init` first, then `modelgov init`.' });
  }
  if (opts.system !== undefined && !SYSTEM_ID.test(opts.system)) {
    throw new ModelgovError('USAGE', `--system "${opts.system}" is not a valid system id`, {
      fix: `Use lowercase letters, digits and underscores, starting with a letter or digit, e.g. --system ${sanitizeSystemId(opts.system)}.`,
    });
  }
  const changed: string[] = [];
  const unchanged: string[] = [];
  const notes: string[] = [];
  const pending = new PendingWrites(root);
  const rel = (file: string) => relative(root, file) || '.';
  // Hooks live in the common git directory (shared by linked worktrees).
  const gitHooksDir = join(resolve(root, (await gitMaybe(root, ['rev-parse', '--git-common-dir'])) ?? '.git'), 'hooks');

  // 1. The config (planned, like every other file).
  const given = new Set<string>();
  let loaded: LoadedConfig;
  const found = opts.configPath ? resolve(opts.cwd, opts.configPath) : findConfig(opts.cwd);
  if (found && existsSync(found)) {
    loaded = loadConfig({ cwd: opts.cwd, configPath: found });
    unchanged.push(rel(found));
    if (opts.system && !loaded.config.systems.some((s) => s.id === opts.system)) {
      notes.push(`${rel(found)} exists and has no system "${opts.system}" (it has ${loaded.config.systems.map((s) => s.id).join(', ')}); add it to systems there (init does not edit an existing config).`);
    }
  } else {
    const id = opts.system ?? sanitizeSystemId(basename(root));
    const file = found ?? join(root, CONFIG_FILE);
    const docs = opts.docs ?? (existsSync(join(dirname(file), 'CLAUDE.md')) ? 'CLAUDE.md' : undefined);
    if (opts.docs) given.add(resolve(dirname(file), opts.docs));
    let manifest = opts.manifest;
    if (manifest === undefined) {
      manifest = proposeManifest(root, dirname(file), id, notes);
    } else if (!isRemote(manifest)) given.add(resolve(dirname(file), manifest));
    const schema = schemaReference(root, dirname(file), notes);
    const value = {
      ...(schema ? { $schema: schema } : {}),
      registry: DEFAULT_REGISTRY,
      systems: [{ id, manifest, artifacts: { extensions: ['.cbm'] }, ...(docs ? { docs: [docs] } : {}) }],
    };
    const text = JSON.stringify(value, null, 2) + '\n';
    const check = parseConfig(text, file);
    if (!check.value) throw new ModelgovError('USAGE', check.errors[0], { details: check.errors.slice(1), fix: 'Pass other values to --system, --manifest or --docs.' });
    pending.write(file, text);
    changed.push(`${rel(file)} (system ${id})`);
    loaded = { config: check.value, file, root: dirname(file) };
  }
  const systems = loaded.config.systems;
  for (const s of systems) {
    if (!isRemote(s.manifest) && !existsSync(resolve(loaded.root, s.manifest))) {
      notes.push(`create the manifest ${s.manifest} (the source of truth for ${s.id}); the docs section and the checks are made from it.`);
    }
  }

  const step: InitStep = {
    root,
    loaded,
    pending,
    gitHooksDir,
    changed: (what) => changed.push(what),
    unchanged: (what) => unchanged.push(what),
    note: (text) => notes.push(text),
  };

  // 2. The hook manager in place, and modelgov added to it.
  const pkgText = pending.read(join(root, 'package.json'));
  const pkgNow = pkgText === undefined ? undefined : new PackageJson(step).value;
  const hooksPath = await gitMaybe(root, ['config', '--end-of-options', 'core.hooksPath']);
  const detected = detectHookManager(root, hooksPath || undefined, gitHooksDir, pkgNow);
  let manager: HookManager;
  let reason: string;
  if (opts.hooks) {
    manager = opts.hooks;
    reason = '--hooks';
    if (manager === 'husky' && detected.manager !== 'husky' && (detected.manager || detected.foreign)) {
      notes.push(`--hooks husky: husky now owns core.hooksPath, so ${detected.foreign ?? `the ${detected.manager} hooks (${detected.evidence})`} no longer run${detected.manager === 'pre-commit' ? '; call `pre-commit run` from .husky/pre-commit to keep them' : ''}.`);
    }
  } else if (detected.manager) {
    manager = detected.manager;
    reason = `found ${detected.evidence}`;
  } else if (detected.foreign) {
    throw new ModelgovError('USAGE', `init found ${detected.foreign}; installing husky would switch them off, so init changed nothing`, {
      fix: 'Add `modelgov hook pre-commit` to your pre-commit hook and `modelgov hook pre-push` to your pre-push hook yourself, or run `modelgov init --hooks husky` to let husky take over on purpose.',
    });
  } else {
    manager = 'husky';
    reason = 'no hook manager found';
  }

  let huskyWillRun = false;
  let usesNpm = true;
  const pkg = new PackageJson(step);
  if (manager === 'pre-commit') {
    const own = ownPackage();
    integratePreCommitFramework(step, { repo: opts.hooksRepo ?? repositoryUrl(own.repository), rev: opts.hooksRev ?? `v${own.version}` });
    usesNpm = pkgText !== undefined;
  } else if (manager === 'lefthook') {
    pkg.ensureDevDependencies(['modelgov']);
    integrateLefthook(step);
  } else if (manager === 'simple-git-hooks') {
    integrateSimpleGitHooks(step, pkg);
  } else {
    ({ huskyWillRun } = planHusky(step, pkg));
  }
  if (manager !== 'pre-commit') pkg.save();

  // 3. Ignore files: never commit node_modules of a package.json init created, nor the local
  //    registry; never upload node_modules with a deploy.
  const ignores: string[] = [];
  if (pkg.created && manager !== 'pre-commit') ignores.push('node_modules/');
  const registry = locationsOf(loaded).registry;
  if (registry.kind === 'duckdb' && relative(root, registry.path).split(/[\\/]/)[0] === '.modelgov') ignores.push('.modelgov/');
  planIgnoreLines(step, '.gitignore', ignores);
  // The audit history files are append-only: a union merge keeps both branches' lines, and the
  // readers de-duplicate, so two branches that each promote merge without a conflict.
  const unions = historyFiles(loaded).map((h) => `${relative(root, resolve(loaded.root, h.file)).split(pathSep).join('/')} merge=union`);
  planIgnoreLines(step, '.gitattributes', unions);
  if (usesNpm) planDeployIgnores(step);

  // 4. Markers in the docs files.
  await planDocsMarkers(step, { docs: opts.docs, docsHeading: opts.docsHeading });

  // 5. Nothing init writes, and nothing it was given, may be ignored by git: the hooks would
  //    only ever see it as "not staged".
  const configured = systems.flatMap((s) => [...(isRemote(s.manifest) ? [] : [resolve(loaded.root, s.manifest)]), ...(s.docs ?? []).map((d) => resolve(loaded.root, d))]);
  const toCheck = [...new Set([...pending.files(), ...given, ...configured])].filter((f) => !f.startsWith(join(root, '.modelgov')));
  const ignored = checkIgnored(root, toCheck.map(rel));
  const blocking = [...ignored.values()].filter((r) => pending.files().includes(resolve(root, r.path)) || given.has(resolve(root, r.path)));
  if (blocking.length > 0) {
    throw new ModelgovError('USAGE', `git ignores ${blocking.map((r) => `${r.path} (${describeRule(r)})`).join(', ')}; init changed nothing`, {
      fix: 'Commits would never carry these files. Pass another path (--manifest, --docs, --config) or change the ignore rule, then run `modelgov init` again.',
    });
  }
  for (const r of ignored.values()) {
    notes.push(`${r.path} is ignored by git (${describeRule(r)}): commits will not carry it and the hooks see it as "not staged"; move it or change that rule.`);
  }

  // 6. Write everything, then install and activate.
  pending.apply();
  if (usesNpm && manager !== 'pre-commit') {
    const tools = manager === 'husky' ? ['modelgov', 'husky'] : ['modelgov'];
    const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);
    let missing = tools.filter((t) => !existsSync(bin(t)));
    if (missing.length > 0 && opts.install) {
      log(`modelgov: running npm install (missing: ${missing.join(', ')}) …`);
      const r = spawnSync('npm', ['install'], { cwd: root, env: opts.env, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
      if (r.status !== 0) {
        throw new ModelgovError('IO', `npm install failed in ${root} (exit ${r.status ?? r.signal})`, {
          fix: 'Run `npm install` yourself (everything else init does is done), or `modelgov init --no-install`.',
        });
      }
      changed.push('npm install');
      missing = tools.filter((t) => !existsSync(bin(t)));
    }
    if (manager === 'husky') await activateHusky(step, opts.env, huskyWillRun, !missing.includes('husky'));
    if (missing.length > 0 && !(manager === 'husky' && huskyWillRun && missing.includes('husky'))) {
      notes.push(`run \`npm install\` to install ${missing.join(', ')} (the hooks call them from node_modules/.bin).`);
    }
  }
  return { root, hooks: { manager, reason }, changed, unchanged, notes };
}

/**
 * The manifest path for a new config: `models/<id>/manifest.json`, unless git ignores it (many
 * ML repos ignore `models/`, where the weights live); then `manifests/<id>/manifest.json`.
 */
function proposeManifest(root: string, configDir: string, id: string, notes: string[]): string {
  const candidates = [`models/${id}/manifest.json`, `manifests/${id}/manifest.json`];
  const ignored = checkIgnored(root, candidates.map((c) => relative(root, resolve(configDir, c))));
  const pick = candidates.find((c) => !ignored.has(relative(root, resolve(configDir, c))));
  const first = ignored.get(relative(root, resolve(configDir, candidates[0])));
  if (pick && first) notes.push(`the manifest goes to ${pick}: git ignores ${candidates[0]} (${describeRule(first)}); --manifest picks another path.`);
  return pick ?? candidates[0];
}

/** A package.json `repository` as a URL pre-commit can clone, or undefined. */
function repositoryUrl(repository: unknown): string | undefined {
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url) return undefined;
  const gh = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (gh) return `https://github.com/${gh[1]}`;
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/**
 * `$schema` for a new config, so editors validate and complete it: the running modelgov's
 * schema, relative to the config, when it is installed inside the repository (node_modules).
 * Installed elsewhere (the pre-commit framework's environment, a global install), a path would
 * hold on this machine only: none is written, and a note says where the schema is.
 */
function schemaReference(root: string, configDir: string, notes: string[]): string | undefined {
  // Real paths on both sides: Node loads modules by their real path, a repository may be reached through a link.
  const schema = shippedConfigSchema();
  const inRepo = relative(realpathSync(root), schema);
  if (inRepo.startsWith('..') || isAbsolute(inRepo)) {
    notes.push(`modelgov is installed outside the repository, so the new config has no "$schema"; editors can validate it against ${schema} (also in modelgov's repository under schema/).`);
    return undefined;
  }
  const rel = relative(realpathSync(configDir), schema).split(pathSep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
