import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { ModelFiles } from '../config/model-files.js';
import type { StagedChange } from '../git/index-blob.js';

/**
 * Staged files (added, modified or type-changed) that are model files of a system (asked of
 * `ModelFiles`, the one owner): what the pre-commit hook and `lint-names` without paths judge.
 * `configDir` is the config's directory relative to the repository root ('' when they are the
 * same), since include globs are relative to the config.
 */
export function stagedModelFiles(changes: StagedChange[], files: ModelFiles, configDir = ''): string[] {
  const prefix = configDir === '' ? '' : `${configDir.split(sep).join('/')}/`;
  const rel = (p: string) => (prefix === '' ? p : p.startsWith(prefix) ? p.slice(prefix.length) : `../${p}`);
  return changes.filter((c) => 'AMT'.includes(c.status) && files.isModelFile(rel(c.path))).map((c) => c.path);
}

/** The config's directory relative to the repository root, '' when it is the root. */
export function configDirInRepo(configRoot: string, repoRoot: string): string {
  let root = configRoot;
  try {
    // git prints the top level with symlinks resolved (/tmp -> /private/tmp on macOS).
    root = realpathSync(configRoot);
  } catch {
    // keep the path as given
  }
  return relative(repoRoot, root);
}
