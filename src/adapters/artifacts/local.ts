import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { ArtifactStore } from '../../ports.js';

/** Hashes local artifacts by streaming them (constant memory, also for multi-GB files). */
export function createLocalArtifactStore(): ArtifactStore {
  return {
    async hash(path, onProgress) {
      let size: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) return { exists: false };
        size = st.size;
      } catch {
        return { exists: false };
      }
      const h = createHash('sha256');
      let read = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        h.update(chunk as Buffer);
        read += (chunk as Buffer).length;
        onProgress?.(read, size);
      }
      return { exists: true, sha256: h.digest('hex'), size };
    },
  };
}
