import { hasModelExtension, modelExtensions } from '../config/model-extensions.js';
import type { SystemConfig } from '../config/types.js';
import type { StagedChange } from '../git/index-blob.js';

/**
 * Staged files (added, modified or type-changed) with one of the systems' model extensions:
 * what the pre-commit hook and `lint-names` without paths judge.
 */
export function stagedModelFiles(changes: StagedChange[], systems: SystemConfig[]): string[] {
  const exts = modelExtensions(systems);
  return changes.filter((c) => 'AMT'.includes(c.status) && hasModelExtension(c.path, exts)).map((c) => c.path);
}
