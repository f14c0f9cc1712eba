import { join } from 'node:path';
import type { InitStep } from './init-context.js';
import { eolOf } from './package-json.js';

/** Appends the missing `lines` to a line-based ignore file (creating it), keeping its line ending. */
export function planIgnoreLines(step: InitStep, name: string, lines: string[], why?: string): void {
  if (lines.length === 0) return;
  const file = join(step.root, name);
  const text = step.pending.read(file) ?? '';
  const have = new Set(text.split(/\r\n|\n|\r/).map((l) => l.trim()));
  const add = lines.filter((l) => {
    const bare = l.replace(/\/$/, '');
    return ![l, bare, `/${l}`, `/${bare}`, `${bare}/**`, `**/${bare}`, `**/${bare}/`].some((v) => have.has(v));
  });
  if (add.length === 0) return step.unchanged(name);
  const eol = eolOf(text);
  const sep = text.length === 0 || /(\r\n|\n|\r)$/.test(text) ? '' : eol;
  step.pending.write(file, text + sep + add.join(eol) + eol);
  step.changed(`${name} (${add.join(', ')}${why ? `: ${why}` : ''})`);
}

/**
 * node_modules/ in the deploy ignore files that exist: `gcloud run deploy --source=.` reads
 * `.gcloudignore` (not .gitignore, unless it includes it) and `docker build` reads
 * `.dockerignore`, so modelgov's 137 MB of dev dependencies (mostly DuckDB) would be uploaded.
 * Files that do not exist are not created: the deploy tools' defaults apply then.
 */
export function planDeployIgnores(step: InitStep): void {
  for (const [name, line] of [
    ['.gcloudignore', 'node_modules/'],
    ['.dockerignore', 'node_modules'],
  ] as const) {
    if (!step.pending.exists(join(step.root, name))) continue;
    planIgnoreLines(step, name, [line], 'keeps the dev dependencies out of deploy uploads');
  }
}
