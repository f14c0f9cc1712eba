import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RepoInfo } from '../git/locate-repo.js';

/**
 * The freshness key: "nothing the docs depend on changed since the last successful check".
 *
 * Stat signatures of the working copies of every watched file (config, local manifests, docs,
 * templates) and of modelgov itself. No git call: while none of them is staged, their index
 * entries equal HEAD's, and every way HEAD or the work tree brings in other content (an edit
 * committed with --no-verify, a pull, a checkout, a merge) rewrites the working file first.
 * Equal keys mean the staged docs were already checked against these exact inputs.
 */

/** One input of the key: a role, a repo-relative path and the absolute file to stat. */
export interface KeyInput {
  kind: string;
  path: string;
  abs: string;
}

/** Stat signature of a file: any write, rename-over or replacement changes it. */
function statSig(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${Math.trunc(st.mtimeMs)}:${Math.trunc(st.ctimeMs)}:${st.ino}`;
  } catch {
    return 'absent';
  }
}

/** The running modelgov's own file: a new version may render sections differently. */
function toolStamp(): string {
  try {
    return statSig(fileURLToPath(import.meta.url));
  } catch {
    return 'unknown';
  }
}

function keyFile(repo: RepoInfo): string {
  return join(repo.gitDir, 'modelgov', 'docs-fresh');
}

/** The key of `inputs` as they are on disk now. */
export function freshnessKey(inputs: KeyInput[]): string {
  const lines = [`tool ${toolStamp()}`];
  // A plain sort: localeCompare would load ICU collation data (~10 ms) on the fast path.
  for (const w of [...inputs].sort((a, b) => (a.kind + a.path < b.kind + b.path ? -1 : 1))) {
    lines.push(`${w.kind} ${w.path} ${statSig(w.abs)}`);
  }
  return lines.join('\n') + '\n';
}

/** The key of the last successful check, if any. */
export function readFreshnessKey(repo: RepoInfo): string | undefined {
  try {
    return readFileSync(keyFile(repo), 'utf8');
  } catch {
    return undefined;
  }
}

/** Records a successful check; a failure to write only costs the next commit a check. */
export function writeFreshnessKey(repo: RepoInfo, key: string): void {
  try {
    mkdirSync(dirname(keyFile(repo)), { recursive: true });
    writeFileSync(keyFile(repo), key);
  } catch {
    // only a cache: the next commit checks again
  }
}
