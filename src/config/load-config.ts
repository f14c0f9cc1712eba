import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isModelgovError, ModelgovError, type Validated } from '../errors.js';
import { validate as validateConfig } from '../schema/generated/config-validator.js';
import { formatPath, parseJsonText } from '../schema/json-schema.js';
import { schemaErrors } from '../schema/schema-errors.js';
import { shippedConfigSchema } from '../util/package-root.js';
import { readTextFile } from '../util/text-file.js';
import { isBuiltinStatus } from '../manifest/statuses.js';
import { assertInsideTree, parseLocation, workTreeOf, type BigQueryLocation, type CloudRunLocation, type DuckDbLocation, type GcsLocation, type LocalLocation, type Location } from './location.js';
import { CONFIG_SCHEMA } from './schema.js';
import type { LoadedConfig, ModelgovConfig } from './types.js';

/** Every place a system's config names, parsed (see location.ts). */
export interface SystemLocations {
  manifest: LocalLocation | GcsLocation;
  docs: LocalLocation[];
  docsTemplate?: LocalLocation;
  /** `systems[].history` when set (the default sits beside the local manifest, checked with it). */
  history?: LocalLocation;
  artifactsDir?: LocalLocation;
  service?: LocalLocation | CloudRunLocation;
  sourceDirs: LocalLocation[];
}

/** Every place the config names, parsed once when it loads. */
export interface ConfigLocations {
  registry: DuckDbLocation | BigQueryLocation;
  systems: Map<string, SystemLocations>;
}

/**
 * Parses every location of `config` (relative to `root`); returns the parsed places and one
 * error per bad key. Each key is named as the user wrote it: `systems[0].docs[1]`.
 */
export function parseConfigLocations(config: ModelgovConfig, root: string): { locations?: ConfigLocations; errors: { key: string; error: ModelgovError }[] } {
  const errors: { key: string; error: ModelgovError }[] = [];
  const at = <T extends Location>(key: string, raw: string, accept: T['kind'][]): T | undefined => {
    try {
      return parseLocation(key, raw, accept, root) as T;
    } catch (e) {
      if (!(e instanceof ModelgovError)) throw e;
      errors.push({ key, error: e });
      return undefined;
    }
  };
  const registry = at<DuckDbLocation | BigQueryLocation>('registry', config.registry ?? DEFAULT_REGISTRY, ['duckdb', 'bigquery']);
  const systems = new Map<string, SystemLocations>();
  config.systems.forEach((s, i) => {
    const k = (rest: string) => `systems[${i}].${rest}`;
    const manifest = at<LocalLocation | GcsLocation>(k('manifest'), s.manifest, ['local', 'gcs']);
    const docs = (s.docs ?? []).map((d, j) => at<LocalLocation>(k(`docs[${j}]`), d, ['local']));
    const docsTemplate = s.docsTemplate === undefined ? undefined : at<LocalLocation>(k('docsTemplate'), s.docsTemplate, ['local']);
    const history = s.history === undefined ? undefined : at<LocalLocation>(k('history'), s.history, ['local']);
    const artifactsDir = s.artifacts?.dir === undefined ? undefined : at<LocalLocation>(k('artifacts.dir'), s.artifacts.dir, ['local']);
    const service = s.deployment ? at<LocalLocation | CloudRunLocation>(k('deployment.service'), s.deployment.service, ['local', 'cloudrun']) : undefined;
    const sourceDirs = (s.deployment?.sourceDirs ?? []).map((d, j) => at<LocalLocation>(k(`deployment.sourceDirs[${j}]`), d, ['local']));
    if (manifest) {
      systems.set(s.id, {
        manifest,
        docs: docs.filter((d): d is LocalLocation => d !== undefined),
        ...(docsTemplate ? { docsTemplate } : {}),
        ...(history ? { history } : {}),
        ...(artifactsDir ? { artifactsDir } : {}),
        ...(service ? { service } : {}),
        sourceDirs: sourceDirs.filter((d): d is LocalLocation => d !== undefined),
      });
    }
  });
  if (errors.length > 0 || !registry) return { errors };
  return { locations: { registry, systems }, errors };
}

/** Every local path of the parsed places with the key that names it. */
function localPaths(l: ConfigLocations, config: ModelgovConfig): { key: string; raw: string; path: string }[] {
  const out: { key: string; raw: string; path: string }[] = [];
  if (l.registry.kind === 'duckdb') out.push({ key: 'registry', raw: l.registry.raw, path: l.registry.path });
  config.systems.forEach((s, i) => {
    const sl = l.systems.get(s.id);
    if (!sl) return;
    const k = (rest: string) => `systems[${i}].${rest}`;
    if (sl.manifest.kind === 'local') out.push({ key: k('manifest'), raw: sl.manifest.raw, path: sl.manifest.path });
    sl.docs.forEach((d, j) => out.push({ key: k(`docs[${j}]`), raw: d.raw, path: d.path }));
    if (sl.docsTemplate) out.push({ key: k('docsTemplate'), raw: sl.docsTemplate.raw, path: sl.docsTemplate.path });
    if (sl.history) out.push({ key: k('history'), raw: sl.history.raw, path: sl.history.path });
    if (sl.artifactsDir) out.push({ key: k('artifacts.dir'), raw: sl.artifactsDir.raw, path: sl.artifactsDir.path });
    if (sl.service?.kind === 'local') out.push({ key: k('deployment.service'), raw: sl.service.raw, path: sl.service.path });
    sl.sourceDirs.forEach((d, j) => out.push({ key: k(`deployment.sourceDirs[${j}]`), raw: d.raw, path: d.path }));
  });
  return out;
}

const parsedLocations = new WeakMap<LoadedConfig, ConfigLocations>();

/**
 * The parsed places of a loaded config (parsed and checked by loadConfig; computed here, once,
 * for a LoadedConfig built another way). Throws CONFIG_INVALID naming the first bad key.
 */
export function locationsOf(loaded: LoadedConfig): ConfigLocations {
  let l = parsedLocations.get(loaded);
  if (!l) {
    const r = parseConfigLocations(loaded.config, loaded.root);
    if (!r.locations) {
      const e = r.errors[0].error;
      throw new ModelgovError('CONFIG_INVALID', `${loaded.file}: ${e.message}`, { file: loaded.file, fix: e.fix, details: r.errors.slice(1).map((x) => x.error.message) });
    }
    l = r.locations;
    parsedLocations.set(loaded, l);
  }
  return l;
}

export const CONFIG_FILE = 'modelgov.config.json';
export const DEFAULT_REGISTRY = 'duckdb:.modelgov/registry.duckdb';

/**
 * Finds modelgov.config.json walking up from `cwd`, stopping at the git root (the first
 * directory holding `.git`), so a config of an enclosing repo is never picked up.
 */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Validates config text: schema, then cross-field rules (unique ids, location schemes). */
export function parseConfig(text: string, file: string): Validated<ModelgovConfig> {
  const parsed = parseJsonText(text, file);
  if (parsed.error) return { errors: [parsed.error], warnings: [] };
  const errors = schemaErrors(validateConfig, CONFIG_SCHEMA, parsed.value).map((e) => `${file}: ${explainLocation(e)}`);
  if (errors.length > 0) return { errors, warnings: [] };
  const config = parsed.value as ModelgovConfig;
  const seen = new Set<string>();
  config.systems.forEach((s, i) => {
    if (seen.has(s.id)) errors.push(`${file}: ${formatPath(['systems', i, 'id'])}: duplicate system id "${s.id}"`);
    seen.add(s.id);
  });
  for (const status of Object.keys(config.statuses ?? {})) {
    if (isBuiltinStatus(status)) {
      errors.push(`${file}: ${formatPath(['statuses', status])}: "${status}" is a built-in status and means itself; remove it from statuses`);
    }
  }
  config.systems.forEach((s, i) => {
    if (s.select && s.select.equals === undefined && s.select.in === undefined) {
      errors.push(`${file}: ${formatPath(['systems', i, 'select'])}: says which field but not which value; add "equals": <value> or "in": [<values>]`);
    }
  });
  for (const { error } of parseConfigLocations(config, dirname(resolve(file))).errors) {
    errors.push(`${file}: ${error.message}${error.fix ? `; ${error.fix.replace(/^./, (c) => c.toLowerCase()).replace(/\.$/, '')}` : ''}`);
  }
  const gateIds = new Set<string>();
  (config.gates ?? []).forEach((g, i) => {
    const kinds = ['min', 'max', 'abs_max', 'better_than'].filter((k) => k in g);
    if (kinds.length === 0) errors.push(`${file}: ${formatPath(['gates', i])}: gate "${g.id}" has no threshold; add one of min, max, abs_max, better_than`);
    if (gateIds.has(g.id)) errors.push(`${file}: ${formatPath(['gates', i, 'id'])}: duplicate gate id "${g.id}"`);
    gateIds.add(g.id);
  });
  if (errors.length > 0) return { errors, warnings: [] };
  return { value: { ...config, registry: config.registry ?? DEFAULT_REGISTRY }, errors, warnings: [] };
}

function explainLocation(message: string): string {
  if (message.startsWith('registry:')) {
    return `${message}; use duckdb:<path>[#table] or bigquery:<project>.<dataset>.<table>`;
  }
  if (/^systems\[\d+\]\.deployment\.service:/.test(message)) {
    return `${message}; use a service YAML path or cloudrun:<project>/<region>/<service>`;
  }
  return message;
}

function insideGitRepository(cwd: string): boolean {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Where the running modelgov's config schema is, as a path the user can open: relative to
 * `cwd` when it is inside (node_modules/modelgov/…), else absolute.
 */
function shippedSchemaPath(cwd: string): string {
  let schema: string;
  try {
    schema = shippedConfigSchema();
  } catch {
    return 'schema/config.schema.json in the modelgov package';
  }
  const rel = relative(resolve(cwd), schema);
  return rel.startsWith('..') || isAbsolute(rel) ? schema : rel;
}

/** Finds (or takes `configPath`), reads and validates the config; throws a ModelgovError naming the file and the fix. */
export function loadConfig(opts: { cwd: string; configPath?: string }): LoadedConfig {
  const file = opts.configPath ? resolve(opts.cwd, opts.configPath) : findConfig(opts.cwd);
  if (!file) {
    const where = insideGitRepository(opts.cwd) ? 'or its parents up to the git root' : 'or any parent directory (this is not inside a git repository)';
    throw new ModelgovError('CONFIG_NOT_FOUND', `no ${CONFIG_FILE} found in ${resolve(opts.cwd)} ${where}`, {
      fix: 'Run `modelgov init` to create one, or pass `--config <file>`.',
    });
  }
  let text: string;
  try {
    text = readTextFile(file, file);
  } catch (e) {
    if (isModelgovError(e)) throw e; // a FIFO, a directory, not UTF-8: never block, never guess
    throw new ModelgovError('CONFIG_NOT_FOUND', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
      fix: 'Check the --config path, or run `modelgov init`.',
    });
  }
  const r = parseConfig(text, file);
  if (!r.value) {
    throw new ModelgovError('CONFIG_INVALID', r.errors[0], {
      file,
      details: r.errors.slice(1),
      fix: `Edit ${file}; every key is described in the JSON Schema ${shippedSchemaPath(opts.cwd)} (point "$schema" at it for editor completion).`,
    });
  }
  const loaded: LoadedConfig = { config: r.value, file, root: dirname(file) };
  const locations = locationsOf(loaded);
  // Every local place must stay inside the repository after symlinks: `docs: ["../x.md"]`, an
  // absolute docsTemplate or a manifest symlinked elsewhere would make modelgov read or write
  // outside the tree it governs.
  const tree = workTreeOf(loaded.root);
  for (const p of localPaths(locations, loaded.config)) assertInsideTree(p.key, p.raw, p.path, tree, file);
  return loaded;
}
