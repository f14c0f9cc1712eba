import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelExtensions } from '../config/model-files.js';
import type { SystemConfig } from '../config/types.js';
import type { RepoInfo } from '../git/locate-repo.js';
import type { Watched } from './pre-commit/plan.js';

/**
 * The pathspecs of everything the pre-commit hook watches, one per line, in
 * `<git dir>/modelgov/watched`. The installed hook script hands them to
 * `git diff --cached --quiet -- …` and starts node only when one of them is staged: an unrelated
 * commit then costs one git call instead of a node start (the way lefthook filters by glob).
 * modelgov rewrites the list on every run, and the config is on it, so a config change refreshes it.
 */
export function watchedPathspecs(watched: Watched[], systems: SystemConfig[]): string[] {
  const specs = watched.map((w) => `:(top,literal)${w.path}`);
  for (const ext of modelExtensions(systems)) specs.push(`:(top,icase,glob)**/*${ext}`);
  // `artifacts.include` globs are judged by node (picomatch); the filter only needs to be wide
  // enough: any staged file with the glob's extension starts node. A glob without a plain
  // extension in its last segment cannot be narrowed, so then node runs on every commit.
  for (const glob of systems.flatMap((s) => s.artifacts?.include ?? [])) {
    const ext = /\*(\.[A-Za-z0-9]+)$/.exec(glob)?.[1];
    if (!ext) return [];
    specs.push(`:(top,icase,glob)**/*${ext}`);
  }
  // A path with a line break cannot be listed one per line; without the list the hook starts node every time.
  return specs.some((s) => /[\n\r]/.test(s)) ? [] : specs;
}

export function watchedListFile(repo: RepoInfo): string {
  return join(repo.gitDir, 'modelgov', 'watched');
}

/** Writes the list when it changed; an empty list removes the filter (node runs on every commit). */
export function writeWatchedList(repo: RepoInfo, specs: string[]): void {
  const file = watchedListFile(repo);
  const text = specs.length ? specs.join('\n') + '\n' : '';
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not written yet
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch {
    // only a shortcut: without it the hook starts node on every commit
  }
}
