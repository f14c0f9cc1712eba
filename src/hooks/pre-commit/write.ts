import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isModelgovError } from '../../errors.js';
import { indexEntries, setIndexEntry, writeBlob } from '../../git/index-blob.js';
import type { RepoInfo } from '../../git/locate-repo.js';
import type { Write } from './render.js';

/**
 * Step 4, write the blob: the staged side goes into the object store and the index entry
 * (mode kept). Only the index changes, so unstaged edits of the same file stay unstaged.
 */
export async function writeStagedBlob(root: string, w: Extract<Write, { side: 'staged' }>): Promise<string> {
  const sha = await writeBlob(root, w.text);
  await setIndexEntry(root, { mode: w.entry.mode, sha, path: w.entry.path });
  return sha;
}

/**
 * The real index of a commit that runs on a temporary one. `git commit <paths>` (or `-o`) hands
 * the hook a temporary index (GIT_INDEX_FILE=<git dir>/next-index-*.lock: HEAD plus the paths)
 * and, once the commit is made, installs the real index it prepared in `<git dir>/index.lock`.
 * A blob written only into the temporary index would leave the real index holding an older
 * section than the commit (`git status` would then show a staged revert). So the real index gets
 * the same blob, when it held the version the commit started from; a different staged version
 * (not part of this commit) is left alone and reported.
 *
 * @returns a warning, or undefined
 */
export async function followRealIndex(repo: RepoInfo, env: NodeJS.ProcessEnv, w: Extract<Write, { side: 'staged' }>, sha: string): Promise<string | undefined> {
  const current = env.GIT_INDEX_FILE;
  if (!current) return undefined;
  const real = join(repo.gitDir, 'index.lock');
  const used = resolve(repo.root, current);
  if (used === real || used === join(repo.gitDir, 'index') || !existsSync(real)) return undefined;
  const realEnv = { ...env, GIT_INDEX_FILE: real };
  const entry = (await indexEntries(repo.root, [w.entry.path], realEnv)).get(w.entry.path);
  if (!entry || entry.stage > 0 || entry.sha === sha) return undefined;
  if (entry.sha !== w.entry.sha) {
    return `the index also stages another version of ${w.file} that is not part of this commit; it was left as it is (run \`modelgov docs --staged\` after the commit).`;
  }
  await setIndexEntry(repo.root, { mode: entry.mode, sha, path: entry.path }, realEnv);
  return undefined;
}

/**
 * Step 5, write the working file, atomically (complete and fsynced, or an IO error with the file
 * untouched), only when it still holds what was rendered from — checked when the new bytes are
 * on disk, just before the rename: the user may be editing it right now. Returns false when it
 * changed meanwhile. A symlinked docs file is written through to its target in the work tree.
 */
export async function writeWorkingFile(w: Extract<Write, { side: 'working tree' }>, workTree: string): Promise<boolean> {
  const { atomicWriteFile } = await import('../../util/atomic-write.js');
  try {
    atomicWriteFile(w.abs, w.text, { root: workTree, expect: w.signature });
  } catch (e) {
    if (isModelgovError(e) && e.code === 'CONFLICT') return false;
    throw e;
  }
  return true;
}

/** Refuses, before the first write of the commit, a working target that cannot be replaced (read-only, link out of the work tree…). */
export async function checkWorkingTargets(writes: Write[], workTree: string): Promise<void> {
  const { writeTarget } = await import('../../util/atomic-write.js');
  for (const w of writes) if (w.side === 'working tree') writeTarget(w.abs, { root: workTree });
}
