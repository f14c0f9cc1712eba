import { isModelgovError } from '../../errors.js';
import { setIndexEntry, writeBlob } from '../../git/index-blob.js';
import type { Write } from './render.js';

/**
 * Step 4, write the blob: the staged side goes into the object store and the index entry
 * (mode kept). Only the index changes, so unstaged edits of the same file stay unstaged.
 */
export async function writeStagedBlob(root: string, w: Extract<Write, { side: 'staged' }>): Promise<void> {
  const sha = await writeBlob(root, w.text);
  await setIndexEntry(root, { mode: w.entry.mode, sha, path: w.entry.path });
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
