import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ModelgovError } from '../errors.js';

/**
 * The one owner of location strings. Every configured place is parsed here, once, into a typed
 * value; nothing else in modelgov looks at prefixes (`gs://`, `duckdb:`, …). Local paths must
 * stay inside the repository's work tree after symlinks are resolved: a config (or a manifest
 * a config points at) must never make modelgov read or write outside the repository it governs.
 */
export interface LocalLocation {
  kind: 'local';
  raw: string;
  /** Absolute path (config root + raw), not symlink-resolved. */
  path: string;
}
export interface GcsLocation {
  kind: 'gcs';
  raw: string;
  bucket: string;
  object: string;
}
export interface DuckDbLocation {
  kind: 'duckdb';
  raw: string;
  /** Absolute path of the database file. */
  path: string;
  /** Table as written after `#`, undefined for the default. */
  table?: string;
}
export interface BigQueryLocation {
  kind: 'bigquery';
  raw: string;
  project: string;
  dataset: string;
  table: string;
}
export interface CloudRunLocation {
  kind: 'cloudrun';
  raw: string;
  project: string;
  region: string;
  service: string;
}
export type Location = LocalLocation | GcsLocation | DuckDbLocation | BigQueryLocation | CloudRunLocation;
export type LocationKind = Location['kind'];

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Which kind a location string is, by its prefix alone (no validation): the only prefix sniffing there is. */
export function locationKind(raw: string): LocationKind | 'unknown-scheme' {
  if (raw.startsWith('gs://')) return 'gcs';
  if (raw.startsWith('duckdb:')) return 'duckdb';
  if (raw.startsWith('bigquery:')) return 'bigquery';
  if (raw.startsWith('cloudrun:')) return 'cloudrun';
  // A one-letter "scheme" is a Windows drive (C:\…), a local path.
  const m = SCHEME.exec(raw);
  if (m && m[1].length > 1) return 'unknown-scheme';
  return 'local';
}

/** True for anything that is not a local path (`gs://…`, `cloudrun:…`, an unknown scheme). */
export function isRemoteLocation(raw: string): boolean {
  return locationKind(raw) !== 'local';
}

const invalid = (key: string, raw: string, why: string, fix: string): ModelgovError =>
  new ModelgovError('CONFIG_INVALID', `${key}: ${JSON.stringify(raw)} ${why}`, { fix });

/**
 * A Cloud Storage bucket name as Google accepts it: 3–63 characters (up to 222 with dots, each
 * dot-separated part at most 63), lowercase letters, digits, `-`, `_` and `.`, starting and
 * ending with a letter or digit, not an IP address, not starting with `goog` nor containing `google`.
 */
export function isBucketName(name: string): boolean {
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name) || name.length < 3) return false;
  if (name.includes('.') ? name.length > 222 || name.split('.').some((p) => p.length === 0 || p.length > 63) : name.length > 63) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  return !name.startsWith('goog') && !name.includes('google') && !name.includes('g00gle');
}

/**
 * An object name as Cloud Storage accepts it: 1–1024 bytes of UTF-8, no control characters
 * (no CR/LF), not `.` or `..`, no lone surrogates.
 */
export function isObjectName(name: string): boolean {
  if (name.length === 0 || name === '.' || name === '..' || Buffer.byteLength(name, 'utf8') > 1024) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return false;
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name);
}

/** `gs://bucket/object` split, or undefined when it is not a well-formed Cloud Storage URI. */
export function splitGsUri(raw: string): { bucket: string; object: string } | undefined {
  if (!raw.startsWith('gs://')) return undefined;
  const rest = raw.slice(5);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const bucket = rest.slice(0, slash);
  const object = rest.slice(slash + 1);
  return isBucketName(bucket) && isObjectName(object) ? { bucket, object } : undefined;
}

/**
 * A registry table name in `duckdb:<path>#<table>`: letters, digits and `_`, not starting with a
 * digit, at most 63 characters. It becomes part of SQL text (quoted), so nothing else is accepted.
 */
export function isTableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= 63;
}

export const GS_FIX = 'Write it as gs://<bucket>/<object> (bucket: 3–63 lowercase letters, digits, - _ .; object: no control characters), e.g. gs://my-models/catboost/v9/model.cbm.';

function parseLocalPath(key: string, raw: string, root: string, what: string): string {
  if (raw.trim() === '' || raw.includes('\0')) throw invalid(key, raw, `is not a ${what}`, `Set ${key} to a path relative to the config file.`);
  if (raw === '~' || raw.startsWith('~/') || raw.startsWith('~\\')) {
    throw invalid(key, raw, 'starts with ~, which modelgov does not expand', `Set ${key} to a path inside the repository, relative to the config file.`);
  }
  return resolve(root, raw);
}

/**
 * Parses `raw` (the value of config key `key`) into one of the `accept`ed kinds. Local and
 * DuckDB paths resolve against `root` (the config's directory). Syntax only: see
 * `assertInsideTree` for where a local path may point.
 */
export function parseLocation(key: string, raw: string, accept: readonly LocationKind[], root: string): Location {
  const kind = locationKind(raw);
  const expected = accept
    .map((k) => ({ local: 'a path relative to the config file', gcs: 'gs://<bucket>/<object>', duckdb: 'duckdb:<relative path>[#table]', bigquery: 'bigquery:<project>.<dataset>.<table>', cloudrun: 'cloudrun:<project>/<region>/<service>' })[k])
    .join(' or ');
  if (kind === 'unknown-scheme') throw new ModelgovError('CONFIG_INVALID', `${key}: unknown location scheme in ${JSON.stringify(raw)}`, { fix: `Use ${expected}.` });
  if (!accept.includes(kind)) throw invalid(key, raw, 'is not allowed here', `Use ${expected}.`);
  switch (kind) {
    case 'local':
      return { kind, raw, path: parseLocalPath(key, raw, root, 'path') };
    case 'gcs': {
      const parts = splitGsUri(raw);
      if (!parts) throw invalid(key, raw, 'is not a well-formed Cloud Storage location', GS_FIX);
      return { kind, raw, ...parts };
    }
    case 'duckdb': {
      const rest = raw.slice('duckdb:'.length);
      const hash = rest.lastIndexOf('#');
      const path = hash === -1 ? rest : rest.slice(0, hash);
      const table = hash === -1 ? undefined : rest.slice(hash + 1);
      const fix = `Write ${key} as duckdb:<path relative to the config file>[#table], e.g. duckdb:.modelgov/registry.duckdb.`;
      // Only a plain relative path: `duckdb:~/x` would create a directory named ~, `file://`,
      // `s3://`, `http://` and absolute paths (devices such as /dev/stdout) leave the repository.
      if (path.trim() === '') throw invalid(key, raw, 'has no file path', fix);
      if (path.startsWith(':')) throw invalid(key, raw, 'needs a file path (in-memory databases are not kept between calls)', fix);
      if (SCHEME.exec(path)) throw invalid(key, raw, 'must be a plain relative path, not a URL', fix);
      if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) throw invalid(key, raw, 'must be a relative path inside the repository, not an absolute one', fix);
      if (table !== undefined && !isTableName(table)) throw invalid(key, raw, 'has a table name that is not letters, digits and _ (not starting with a digit, at most 63)', fix);
      return { kind, raw, path: parseLocalPath(key, path, root, 'DuckDB file path'), ...(table === undefined ? {} : { table }) };
    }
    case 'bigquery': {
      const m = /^bigquery:(.+)\.([A-Za-z0-9_]{1,1024})\.([A-Za-z0-9_-]{1,1024})$/.exec(raw);
      if (!m || !/^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(m[1])) {
        throw invalid(key, raw, 'is not a BigQuery location', 'Write it as bigquery:<project>.<dataset>.<table>, e.g. bigquery:my-project.ml.model_registry.');
      }
      return { kind, raw, project: m[1], dataset: m[2], table: m[3] };
    }
    case 'cloudrun': {
      const m = /^cloudrun:([a-z][a-z0-9.:-]*[a-z0-9])\/([a-z]+-[a-z]+[0-9]+)\/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/.exec(raw);
      if (!m) throw invalid(key, raw, 'is not a Cloud Run location', 'Write it as cloudrun:<project>/<region>/<service>, e.g. cloudrun:my-project/us-west2/prediction-worker.');
      return { kind, raw, project: m[1], region: m[2], service: m[3] };
    }
  }
}

/** `parseLocation` for a place that can be of one kind only, typed as that kind. */
export function parseLocationOf<K extends LocationKind>(key: string, raw: string, kind: K, root: string): Extract<Location, { kind: K }> {
  return parseLocation(key, raw, [kind], root) as Extract<Location, { kind: K }>;
}

/**
 * The work tree a config governs: the nearest directory at or above `dir` holding `.git`
 * (a directory, or the file of a linked worktree / submodule), found without starting git.
 * Outside any repository the config's own directory is the boundary.
 */
export function workTreeOf(dir: string): string {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, '.git'))) return d;
    const parent = dirname(d);
    if (parent === d) return resolve(dir);
    d = parent;
  }
}

/** `path` with every symlink resolved, also when its last parts do not exist yet. */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(p), ...missing.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return join(p, ...missing.reverse());
      missing.push(basename(p));
      p = parent;
    }
  }
}

/** True when `path` (after symlinks) is `tree` or inside it. */
export function isInside(path: string, tree: string): boolean {
  const rel = relative(realPathOf(tree), realPathOf(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Throws CONFIG_INVALID naming `key` when the local `path` resolves (after symlinks) outside `tree`. */
export function assertInsideTree(key: string, raw: string, path: string, tree: string, configFile: string): void {
  if (isInside(path, tree)) return;
  let real = realPathOf(path);
  try {
    if (statSync(path).isFile()) real = realpathSync(path);
  } catch {
    // not there yet: the resolved prefix is what counts
  }
  throw new ModelgovError('CONFIG_INVALID', `${configFile}: ${key}: ${JSON.stringify(raw)} resolves to ${real}, outside the repository ${realPathOf(tree)}`, {
    file: configFile,
    fix: `Point ${key} at a path inside the repository (symlinks included); modelgov never reads or writes outside the repository it governs.`,
  });
}
