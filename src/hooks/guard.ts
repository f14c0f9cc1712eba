import type { LoadedConfig } from '../config/types.js';
import { isModelgovError } from '../errors.js';
import { locateRepo, type RepoInfo } from '../git/locate-repo.js';

/**
 * The one guard in front of both hooks. A hook must never fail where it has nothing to judge
 * (husky's `HUSKY=0` rule): skipped on request, outside a repository, or in a repository without
 * a config, it passes and says why. Everything else gets the repository and the loaded config.
 */

/** The one-line notice of `MODELGOV_SKIP=1`. */
export const SKIP_NOTICE = 'modelgov: skipped (MODELGOV_SKIP=1)';

/** What both hooks say in a repository without a config (they pass: nothing to check). */
export const NO_CONFIG_NOTICE = 'modelgov: no modelgov.config.json in this repository; nothing to check. Run `modelgov init` to set it up.';

export const NO_REPO_NOTICE = 'modelgov: not inside a git work tree; nothing to check. (Run it from a repository, or `git init` first.)';

/** The values of `MODELGOV_SKIP` that skip (case-insensitive). */
const SKIP_VALUES = new Set(['1', 'true', 'yes']);
/** Values that plainly mean "do not skip": no warning for them. */
const NO_SKIP_VALUES = new Set(['', '0', 'false', 'no']);

/**
 * `MODELGOV_SKIP` is `1`, `true` or `yes`. Anything else does not skip (a typo such as `ture`
 * or `on` must not silently turn the checks off, nor silently fail to); an unknown value gets
 * one warning line through `warn`.
 */
export function skipRequested(env: NodeJS.ProcessEnv, warn?: (line: string) => void): boolean {
  const raw = env.MODELGOV_SKIP;
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (SKIP_VALUES.has(v)) return true;
  if (!NO_SKIP_VALUES.has(v)) warn?.(`modelgov: warning: MODELGOV_SKIP=${JSON.stringify(raw)} is not 1, true or yes; running the checks (set MODELGOV_SKIP=1 to skip).`);
  return false;
}

/** Why a hook had nothing to do; `notice` is the line it prints. */
export interface HookSkipped {
  skipped: 'MODELGOV_SKIP' | 'not a git repository' | 'no config';
  notice: string;
}

export interface HookScope {
  repo: RepoInfo;
  loaded: LoadedConfig;
}

export interface GuardIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The config, loaded on first use; throws CONFIG_NOT_FOUND when there is none. */
  config(): LoadedConfig;
  /** Warning lines (stderr), e.g. for an unknown MODELGOV_SKIP value. */
  err?(line: string): void;
}

/**
 * Skip / not a repository / no config, in that order. `onRepo` runs as soon as the repository is
 * known and before the config loads, so a caller can start its git call while the config is read.
 * A config that exists but is invalid throws (exit 2): that is not "nothing to check".
 */
export async function hookGuard(io: GuardIO, opts: { loaded?: LoadedConfig; onRepo?: (repo: RepoInfo) => void } = {}): Promise<HookScope | HookSkipped> {
  if (skipRequested(io.env, io.err?.bind(io))) return { skipped: 'MODELGOV_SKIP', notice: SKIP_NOTICE };
  const repo = await locateRepo(io.cwd, io.env);
  if (!repo) return { skipped: 'not a git repository', notice: NO_REPO_NOTICE };
  opts.onRepo?.(repo);
  let loaded = opts.loaded;
  if (!loaded) {
    try {
      loaded = io.config();
    } catch (e) {
      if (!isModelgovError(e) || e.code !== 'CONFIG_NOT_FOUND') throw e;
      return { skipped: 'no config', notice: NO_CONFIG_NOTICE };
    }
  }
  return { repo, loaded };
}

export function isSkipped(r: HookScope | HookSkipped): r is HookSkipped {
  return 'skipped' in r;
}
