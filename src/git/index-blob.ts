import { gitBytes } from './git.js';

/**
 * The git plumbing the pre-commit hook needs: what is staged, index entries, blobs in and out.
 * Everything goes through plain `git` (no shell), inheriting the environment, so the hook works
 * on whatever index git handed it: `git commit -a` and `git commit <paths>` run hooks with
 * GIT_INDEX_FILE pointing at a temporary index, and every call here then reads and writes that one.
 */

/** One path in the index that differs from HEAD. Renames are reported as a delete plus an add. */
export interface StagedChange {
  /** A added, M modified, D deleted, T type changed, U unmerged. */
  status: string;
  /** Repo-relative path with `/` separators. */
  path: string;
}

/** Parses `git diff --cached --name-status -z --no-renames` output. */
export function parseNameStatus(out: string): StagedChange[] {
  const parts = out.split('\0');
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i];
    const path = parts[i + 1];
    if (status && path) changes.push({ status: status[0], path });
  }
  return changes;
}

/**
 * What the index holds that HEAD does not (on an unborn branch: everything staged). One git call;
 * renames are off so a renamed model file shows up as an added path under its new name.
 */
export async function stagedChanges(cwd: string): Promise<StagedChange[]> {
  const out = await gitBytes(cwd, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--ignore-submodules=all']);
  return parseNameStatus(out.toString('utf8'));
}

/** One index entry as `git ls-files -s` prints it. */
export interface IndexEntry {
  /** Octal mode as git writes it, e.g. `100644` or `100755`. */
  mode: string;
  sha: string;
  /** 0 normally; 1–3 while a merge conflict is unresolved. */
  stage: number;
  path: string;
}

/**
 * Index entries of `paths` (repo-relative), keyed by path. Paths not in the index are absent;
 * a conflicted path keeps its highest stage (the caller treats stage > 0 as "leave alone").
 */
export async function indexEntries(root: string, paths: string[], env?: NodeJS.ProcessEnv): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  if (paths.length === 0) return entries;
  // `:(top,literal)` makes each path repo-relative and free of glob magic whatever the cwd.
  const specs = paths.map((p) => `:(top,literal)${p}`);
  const out = (await gitBytes(root, ['ls-files', '-s', '-z', '--full-name', '--', ...specs], undefined, env)).toString('utf8');
  for (const record of out.split('\0')) {
    const m = /^(\d{6}) ([0-9a-f]{40,64}) (\d)\t(.*)$/s.exec(record);
    if (!m) continue;
    const entry: IndexEntry = { mode: m[1], sha: m[2], stage: Number(m[3]), path: m[4] };
    const prev = entries.get(entry.path);
    if (!prev || entry.stage > prev.stage) entries.set(entry.path, entry);
  }
  return entries;
}

/** Reads blobs by sha in one `git cat-file --batch` call. */
export async function readBlobs(root: string, shas: string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  const unique = [...new Set(shas)];
  if (unique.length === 0) return blobs;
  const out = await gitBytes(root, ['cat-file', '--batch'], unique.join('\n') + '\n');
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      // `<sha> missing`: nothing follows the header line
      pos = eol + 1;
      continue;
    }
    const size = Number(m[3]);
    blobs.set(m[1], out.subarray(eol + 1, eol + 1 + size));
    pos = eol + 1 + size + 1;
  }
  return blobs;
}

/**
 * Stores `content` as a blob exactly as given (`--no-filters`: it is already in repository form,
 * read from the index), returns its sha.
 */
export async function writeBlob(root: string, content: string | Buffer): Promise<string> {
  return (await gitBytes(root, ['hash-object', '-w', '--no-filters', '--stdin'], content)).toString('utf8').trim();
}

/**
 * Points the index entry of `path` at `sha`, keeping `mode`. Only the index changes: the work
 * tree is not touched, so unstaged edits of the same file stay unstaged.
 */
export async function setIndexEntry(root: string, entry: { mode: string; sha: string; path: string }, env?: NodeJS.ProcessEnv): Promise<void> {
  await gitBytes(root, ['update-index', '--cacheinfo', `${entry.mode},${entry.sha},${entry.path}`], undefined, env);
}
