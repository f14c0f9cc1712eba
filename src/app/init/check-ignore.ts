import { spawnSync } from 'node:child_process';

/** Why git ignores a path: the ignore file, the line and the pattern (`.gitignore:3: models/`). */
export interface IgnoreRule {
  path: string;
  source: string;
  line: number;
  pattern: string;
}

/** `.gitignore:3: models/`, as a person would look it up. */
export function describeRule(rule: IgnoreRule): string {
  return `${rule.source}:${rule.line}: ${rule.pattern}`;
}

/**
 * Which of `paths` (relative to `root`) git would ignore, with the rule that decides it — one
 * `git check-ignore -v` call for all of them. Tracked files are never ignored (git's own rule),
 * so a manifest someone force-added is fine. A negated pattern (`!keep.me`) that matched last
 * means "not ignored" and is dropped.
 */
export function checkIgnored(root: string, paths: string[]): Map<string, IgnoreRule> {
  const out = new Map<string, IgnoreRule>();
  if (paths.length === 0) return out;
  const r = spawnSync('git', ['check-ignore', '-v', '-z', '--stdin'], { cwd: root, input: paths.join('\0') + '\0', encoding: 'utf8' });
  // 0: some ignored, 1: none; anything else (128: not a repository) is no answer at all.
  if (r.status !== 0) return out;
  const f = r.stdout.split('\0');
  for (let i = 0; i + 3 < f.length; i += 4) {
    const [source, line, pattern, path] = [f[i], f[i + 1], f[i + 2], f[i + 3]];
    if (pattern.startsWith('!')) continue;
    out.set(path, { path, source, line: Number(line), pattern });
  }
  return out;
}
