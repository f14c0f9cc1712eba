/**
 * Manifest store for `gs://bucket/object`: read returns the bytes and their generation; write is
 * a compare-and-swap on that generation (`ifGenerationMatch`), so a writer that lost a race gets
 * CONFLICT and overwrites nothing.
 */
import { createHash } from 'node:crypto';
import { ModelgovError, isModelgovError } from '../../errors.js';
import { parseLocationOf } from '../../config/location.js';
import type { AdapterOptions, ManifestStore } from '../../ports.js';
import { callGoogle } from '../google/call.js';
import type { GoogleContext, Operation } from '../google/context.js';
import { causeOf, classify } from '../google/errors.js';
import { openStorage, streamObject } from '../google/storage.js';

const READ: Operation = {
  what: 'read the manifest',
  permission: 'storage.objects.get',
  role: 'roles/storage.objectViewer',
  idempotent: true,
};
const WRITE: Operation = {
  what: 'write the manifest',
  permission: 'storage.objects.create and storage.objects.delete (replacing an object needs both)',
  role: 'roles/storage.objectUser',
  // A write conditional on the generation cannot apply twice, so retrying it is safe.
  idempotent: true,
};

/** Creates the GCS manifest store. The storage SDK is imported here, not at module load. */
export async function createGcsManifestStore(location: string, opts: AdapterOptions): Promise<ManifestStore> {
  const { bucket, object } = parseLocationOf('manifest', location, 'gcs', opts.root);
  const { storage, ctx, ensureCredentials } = await openStorage(opts, location);
  const file = () => storage.bucket(bucket).file(object);

  const notFound = (err: ModelgovError): ModelgovError => {
    const bucketMissing = /bucket does not exist/i.test(causeOf(err, ctx)?.message ?? '');
    return bucketMissing
      ? new ModelgovError('NOT_FOUND', `The bucket of the manifest ${location} does not exist.`, {
          file: location,
          cause: err.cause,
          fix: `Check "manifest" in modelgov.config.json, or create it: gcloud storage buckets create gs://${bucket}`,
        })
      : new ModelgovError('NOT_FOUND', `The manifest ${location} does not exist.`, {
          file: location,
          cause: err.cause,
          fix: `Check "manifest" in modelgov.config.json, or upload it: gcloud storage cp manifest.json ${location}`,
        });
  };

  return {
    location,

    async read() {
      await ensureCredentials(READ);
      try {
        return await callGoogle(ctx, READ, async () => {
          const chunks: Buffer[] = [];
          // One request: the media download carries the generation of exactly these bytes.
          const { headers } = await streamObject(file(), ctx.settings.timeoutMs, (c) => chunks.push(c));
          let generation = headers['x-goog-generation'];
          let data = Buffer.concat(chunks);
          if (!generation) {
            // Some emulators omit the header: read the generation, then download that generation,
            // so the version returned always belongs to the text returned.
            const [meta] = await file().getMetadata();
            generation = String(meta.generation);
            const pinned: Buffer[] = [];
            await streamObject(storage.bucket(bucket).file(object, { generation }), ctx.settings.timeoutMs, (c) => pinned.push(c));
            data = Buffer.concat(pinned);
          }
          return { text: data.toString('utf8'), version: String(generation) };
        });
      } catch (err) {
        if (isModelgovError(err) && err.code === 'NOT_FOUND') throw notFound(err);
        throw err;
      }
    },

    async write(text, expectedVersion) {
      if (!/^\d+$/.test(expectedVersion)) {
        throw new ModelgovError('USAGE', `"${expectedVersion}" is not a Cloud Storage generation; cannot write ${location} safely.`, {
          file: location,
          fix: 'Pass the version that read() returned (use "0" to create a manifest that must not exist yet).',
        });
      }
      await ensureCredentials(WRITE);
      const data = Buffer.from(text, 'utf8');
      const md5 = createHash('md5').update(data).digest('base64');
      const target = file();
      let attempts = 0;
      try {
        await callGoogle(ctx, WRITE, async () => {
          attempts += 1;
          try {
            await target.save(data, {
              resumable: false,
              // The generation goes into the query string as is: a number would lose precision
              // past 2^53, and generations are microsecond timestamps.
              preconditionOpts: { ifGenerationMatch: expectedVersion as unknown as number },
              metadata: { contentType: 'application/json; charset=utf-8' },
              timeout: ctx.settings.timeoutMs,
            });
          } catch (err) {
            // After a retry, a 412 can mean our own earlier attempt landed and only its answer
            // was lost: the object then holds exactly our bytes.
            if (attempts > 1 && classify(err).status === 412) {
              const [meta] = await target.getMetadata();
              if (meta.md5Hash === md5) {
                target.metadata = meta;
                return;
              }
            }
            throw err;
          }
        });
      } catch (err) {
        if (isModelgovError(err) && err.code === 'CONFLICT') throw await conflict(ctx, err, expectedVersion, () => target.getMetadata());
        if (isModelgovError(err) && err.code === 'NOT_FOUND') throw notFound(err);
        if (isModelgovError(err) && err.code === 'BACKEND_UNREACHABLE') {
          // Unanswered is not unwritten: say so, and why re-running is still safe.
          throw new ModelgovError(err.code, err.message, {
            file: location,
            cause: err.cause,
            details: ['The write may or may not have reached Cloud Storage.'],
            fix: `${err.fix ?? ''} Re-running is safe: the command re-reads the manifest and never overwrites a newer generation.`.trim(),
          });
        }
        throw err;
      }
      return { version: String(target.metadata.generation) };
    },
  };
}

async function conflict(
  ctx: GoogleContext,
  err: ModelgovError,
  expected: string,
  current: () => Promise<[{ generation?: string | number }, ...unknown[]]>,
): Promise<ModelgovError> {
  let now = '';
  try {
    const [meta] = await current();
    now = meta.generation === undefined ? '' : `, it is now at generation ${meta.generation}`;
  } catch {
    // best effort: the conflict is the news, not the current generation
  }
  return new ModelgovError(
    'CONFLICT',
    `Someone else changed the manifest ${ctx.location} since it was read (read at generation ${expected === '0' ? '"none"' : expected}${now}); nothing was written.`,
    { file: ctx.location, cause: err.cause, fix: 'Re-run the command: it starts again from the current manifest.' },
  );
}
