import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { isModelgovError, ModelgovError } from '../../errors.js';
import { readTextFile } from '../../util/text-file.js';
import { workTreeOf } from '../../util/work-tree.js';
import type { ManifestStore } from '../../ports.js';
import { atomicWriteFile } from '../../util/atomic-write.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A manifest in the repo. The version token is the content hash, so a write is a
 * compare-and-swap: it succeeds only if nobody changed the file since it was read. A lock file
 * (O_EXCL) makes the compare and the rename one step against other modelgov processes.
 */
export function createLocalManifestStore(location: string, root: string): ManifestStore {
  const file = resolve(root, location);
  return {
    location,
    async read() {
      let text: string;
      try {
        text = readTextFile(file, location);
      } catch (e) {
        if (isModelgovError(e)) throw e; // a FIFO, a directory, not UTF-8: never block, never guess
        const code = (e as NodeJS.ErrnoException).code;
        throw new ModelgovError('NOT_FOUND', `manifest ${location} cannot be read (${code ?? (e as Error).message})`, {
          file: location,
          fix: `Create the manifest at ${file} or fix systems[].manifest in modelgov.config.json.`,
        });
      }
      return { text, version: hash(text) };
    },
    async write(text, expectedVersion) {
      const lock = `${file}.modelgov.lock`;
      let fd: number | undefined;
      for (let i = 0; i < 50 && fd === undefined; i++) {
        try {
          fd = openSync(lock, 'wx');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      if (fd === undefined) {
        throw new ModelgovError('CONFLICT', `manifest ${location} is locked by another modelgov process (${lock})`, {
          file: location,
          fix: `Wait for the other command to finish; if none is running, delete ${lock}.`,
        });
      }
      try {
        const current = readFileSync(file, 'utf8');
        if (hash(current) !== expectedVersion) {
          throw new ModelgovError('CONFLICT', `manifest ${location} changed since it was read; nothing was written`, {
            file: location,
            fix: 'Someone else changed the manifest at the same time. Re-run the command to act on the new version.',
          });
        }
        // A symlinked manifest is written through to its target, which must be in the work tree.
        atomicWriteFile(file, text, { root: workTreeOf(root) });
        return { version: hash(text) };
      } finally {
        closeSync(fd);
        unlinkSync(lock);
      }
    },
  };
}
