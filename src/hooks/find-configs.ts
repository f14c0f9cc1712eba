import { CONFIG_FILE } from '../config/load-config.js';

/**
 * A monorepo keeps its config beside the models (`ml/modelgov.config.json`), while git starts
 * hooks at the top level, where walking up from the cwd finds nothing. The changed paths say which
 * configs a commit or a push concerns: for each, the nearest config in its directory or above.
 */

/** Every place a config governing `paths` could be (repo-relative): each path's directories, up to the top. */
export function configCandidates(paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    for (let i = parts.length; i >= 0; i--) out.add([...parts.slice(0, i), CONFIG_FILE].join('/'));
  }
  return [...out];
}

/** The nearest existing config for each path (repo-relative), deduplicated, in first-seen order. */
export function nearestConfigs(paths: string[], exists: (configPath: string) => boolean): string[] {
  const found: string[] = [];
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), CONFIG_FILE].join('/');
      if (exists(candidate)) {
        if (!found.includes(candidate)) found.push(candidate);
        break;
      }
    }
  }
  return found;
}
