/**
 * Artifact store for `gs://` model files: streams the object through sha256 in memory (nothing
 * is written to disk), reporting progress, so `validate` can check multi-GB artifacts.
 */
import { createHash } from 'node:crypto';
import type { File } from '@google-cloud/storage';
import { parseLocationOf } from '../../config/location.js';
import type { AdapterOptions, ArtifactCheck, ArtifactStore } from '../../ports.js';
import { callGoogle } from '../google/call.js';
import type { GoogleContext, Operation } from '../google/context.js';
import { classify } from '../google/errors.js';
import { openStorage, streamObject } from '../google/storage.js';

const HASH: Operation = {
  what: 'read a model artifact',
  permission: 'storage.objects.get',
  role: 'roles/storage.objectViewer',
  idempotent: true,
};

/** Creates the GCS artifact store. The storage SDK is imported on first use, not at module load. */
export async function createGcsArtifactStore(opts: AdapterOptions): Promise<ArtifactStore> {
  let client: ReturnType<typeof openStorage> | undefined;

  return {
    async hash(location, onProgress): Promise<ArtifactCheck> {
      const { bucket, object } = parseLocationOf('model file', location, 'gcs', opts.root);
      client ??= openStorage(opts, location);
      const { storage, ctx: shared, ensureCredentials } = await client;
      const ctx: GoogleContext = { ...shared, location };
      await ensureCredentials(HASH, ctx);
      const file: File = storage.bucket(bucket).file(object);
      // A retry restarts the hash from byte 0: simpler than ranged resumption, and only on a fault.
      return callGoogle(
        ctx,
        HASH,
        async () => {
          const sha = createHash('sha256');
          let read = 0;
          let total: number | undefined;
          try {
            await streamObject(file, ctx.settings.timeoutMs, (chunk, headers) => {
              if (total === undefined) {
                const length = Number(headers['x-goog-stored-content-length'] ?? headers['content-length']);
                total = Number.isFinite(length) && length > 0 ? length : undefined;
              }
              sha.update(chunk);
              read += chunk.length;
              onProgress?.(read, total);
            });
          } catch (err) {
            if (classify(err).status === 404) return { exists: false };
            throw err;
          }
          return { exists: true, sha256: sha.digest('hex'), size: read };
        },
        { selfTimed: true },
      );
    },
  };
}
