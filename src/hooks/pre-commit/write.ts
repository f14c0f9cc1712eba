import { readFileSync } from 'node:fs';
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
 * Step 5, write the working file, atomically, only when it still holds the bytes that were
 * rendered from: the user may be editing it right now. Returns false when it changed meanwhile.
 */
export async function writeWorkingFile(w: Extract<Write, { side: 'working tree' }>): Promise<boolean> {
  let now: Buffer | undefined;
  try {
    now = readFileSync(w.abs);
  } catch {
    now = undefined;
  }
  if (!now || !now.equals(w.before)) return false;
  const { atomicWriteFile } = await import('../../util/atomic-write.js');
  atomicWriteFile(w.abs, w.text);
  return true;
}
