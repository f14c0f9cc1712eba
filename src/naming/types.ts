import type { SystemConfig } from '../config/types.js';
import type { Manifest } from '../manifest/types.js';

/**
 * A conventional model file name, taken apart. Dates are `YYYY-MM-DD` and the time
 * `HH:MM:SS` (the manifest's own formats), so they compare directly with manifest fields.
 */
export interface ParsedModelName {
  /** Configured system id, e.g. `catboost_v9` (ids may contain underscores). */
  system: string;
  /** Feature count, the `33` of `33f`. */
  features: number;
  /** Variant tags in name order, e.g. `['q0.43', 'noveg', 'wt']`; `[]` when there are none. */
  variants: string[];
  trainStart: string;
  trainEnd: string;
  /** Creation date of the artifact (UTC when written by `formatModelName`). */
  createdDate: string;
  createdTime: string;
  /** Everything after the time, e.g. `.cbm`; `''` for a bare model id. */
  ext: string;
}

/** One file whose name breaks the convention. */
export interface NameViolation {
  /** The path as it was passed in. */
  path: string;
  /** Why it fails, then `. Fix: ` and what to do. */
  reason: string;
  /** The correct conventional name (a basename) when the facts are known. */
  expected?: string;
}

/** What `lintNames` judges names against. */
export interface NamingContext {
  systems: SystemConfig[];
  /** System id -> its manifest; systems without an entry are simply not cross-checked. */
  manifests: Map<string, Manifest>;
  /**
   * Which paths are model files (the config's one answer, `loadModelFiles`); others are
   * ignored. Without it, a path is judged when it ends in a configured extension.
   */
  isModelFile?: (path: string) => boolean;
}

/** Outcome of `lintNames`. */
export interface LintNamesResult {
  /** Paths whose extension is configured (legacy names included). */
  checked: number;
  /** Paths skipped because no system configures their extension. */
  ignored: number;
  violations: NameViolation[];
}
