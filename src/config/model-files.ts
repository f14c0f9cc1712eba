import type { SystemConfig } from './types.js';

/**
 * The one owner of "is this path a model file, and of which system". Every caller (the
 * pre-commit hook, `lint-names`, `init`'s lint-staged glob, drift's file-name check) asks here.
 *
 * A system's model files are:
 * - with `artifacts.include`: the paths (relative to the config's directory) matching one of
 *   its globs — and, when `artifacts.extensions` is set too, ending in one of them;
 * - without: the paths ending in one of its extensions (default `.cbm`), anywhere.
 * Extensions compare ignoring case (`MODEL.CBM` is checked, not skipped).
 */

/** What `artifacts.extensions` means when a system sets neither extensions nor include. */
export const DEFAULT_EXTENSIONS: readonly string[] = ['.cbm'];

/** `models/**\/*.txt` ends in `*.txt`: the extension a glob implies. */
const GLOB_EXTENSION = /\*(\.[A-Za-z0-9]+)$/;

function dotted(ext: string): string {
  return ext.startsWith('.') ? ext : `.${ext}`;
}

/**
 * The extensions a system's model files end in, with their dot and as configured: its
 * `extensions`; else those its include globs end in (`*.txt` → `.txt`); else `.cbm`.
 * Used to judge a file name's extension and to propose one.
 */
export function systemExtensions(system: SystemConfig): readonly string[] {
  // Tolerate `cbm` for `.cbm`: the meaning is unambiguous and a hard failure would only annoy.
  const configured = (system.artifacts?.extensions ?? []).filter((e) => typeof e === 'string' && e.length > 0).map(dotted);
  if (configured.length > 0) return configured;
  const fromGlobs = [...new Set((system.artifacts?.include ?? []).map((g) => GLOB_EXTENSION.exec(g)?.[1]).filter((e): e is string => e !== undefined))];
  return fromGlobs.length > 0 ? fromGlobs : DEFAULT_EXTENSIONS;
}

/** Every system's extensions, lower-cased and deduplicated (the lint-staged glob `init` writes). */
export function modelExtensions(systems: readonly SystemConfig[]): string[] {
  return [...new Set(systems.flatMap((s) => systemExtensions(s).map((e) => e.toLowerCase())))];
}

/** True when the basename of `path` ends with one of `lowerExts` (ignoring case) and is more than it. */
export function hasModelExtension(path: string, lowerExts: readonly string[]): boolean {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  return lowerExts.some((e) => base.length > e.length && base.endsWith(e));
}

/** Answers for one configuration; build it once per command (see `loadModelFiles`). */
export interface ModelFiles {
  /** Ids of the systems whose model files include `path` (config-relative, `/` or `\\`), config order. */
  systemsOf(path: string): string[];
  isModelFile(path: string): boolean;
}

type Matcher = (path: string) => boolean;

/**
 * True when `path` could match one of the include globs: every glob that ends in `*.ext` needs
 * that extension; a glob that implies none could match anything.
 */
function mayMatchInclude(path: string, systems: readonly SystemConfig[]): boolean {
  const lower = path.toLowerCase();
  return systems.some((s) =>
    (s.artifacts?.include ?? []).some((g) => {
      const ext = GLOB_EXTENSION.exec(g)?.[1];
      return ext === undefined || lower.endsWith(ext.toLowerCase());
    }),
  );
}

/**
 * Builds the answers for `systems`. picomatch is imported only when a system declares
 * `include` globs, so a repository configured by extension keeps the pre-commit hook's
 * fast path free of it; with `only` (the paths that will be asked about, e.g. the staged
 * ones), only when one of them could match a glob at all (its `*.txt` extension), so an
 * unrelated commit does not load it either. Answers are then valid for those paths only.
 */
export async function loadModelFiles(systems: readonly SystemConfig[], opts: { only?: readonly string[] } = {}): Promise<ModelFiles> {
  const hasGlobs = systems.some((s) => (s.artifacts?.include ?? []).length > 0);
  const needsGlobs = hasGlobs && (opts.only === undefined || opts.only.some((p) => mayMatchInclude(p, systems)));
  const compile = needsGlobs ? (await import('picomatch')).default : undefined;
  const rules = systems.map((s) => {
    const include = s.artifacts?.include ?? [];
    const explicit = (s.artifacts?.extensions ?? []).length > 0;
    const exts = include.length > 0 && !explicit ? [] : systemExtensions(s).map((e) => e.toLowerCase());
    // dot: true so `models/.v2/x.txt` is not silently skipped; globs are the team's own words.
    const globs: Matcher | undefined = include.length === 0 ? undefined : compile ? compile(include, { dot: true }) : () => false;
    return { id: s.id, exts, globs };
  });
  const systemsOf = (path: string): string[] => {
    const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
    const out: string[] = [];
    for (const r of rules) {
      if (r.globs !== undefined && !r.globs(p)) continue;
      if (r.exts.length > 0 && !hasModelExtension(p, r.exts)) continue;
      out.push(r.id);
    }
    return out;
  };
  return { systemsOf, isModelFile: (path) => systemsOf(path).length > 0 };
}
