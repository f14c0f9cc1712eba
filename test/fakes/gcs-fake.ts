/**
 * A loopback fake of the Cloud Storage JSON API, enough for @google-cloud/storage to read,
 * download, upload (multipart and resumable) and delete objects. Paths are the ones the client
 * uses with `apiEndpoint` — and that fake-gcs-server serves:
 *   GET    /storage/v1/b/{bucket}/o/{object}            metadata (`?alt=media`: the bytes)
 *   DELETE /storage/v1/b/{bucket}/o/{object}
 *   POST   /upload/storage/v1/b/{bucket}/o?uploadType=multipart|media|resumable&name=…
 *   PUT    <session URI from the resumable POST's Location header>
 * Like the service it keeps a generation per write (16-digit, increasing), answers 412 to a
 * stale `ifGenerationMatch`, returns md5Hash and crc32c (base64) computed from the stored bytes
 * (without them the client deletes what it uploaded), and 404s unknown buckets and objects.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeBase, type FakeRequest, type Fault, sendError, sendJson, startFakeServer } from './http-fake.js';

export interface GcsObjectVersion {
  generation: string;
  data: Buffer;
  contentType: string;
  created: string;
}

export interface GcsState {
  buckets: Set<string>;
  /** Leave x-goog-generation out of media downloads, as some emulators do. */
  omitGenerationHeader: boolean;
  /** `bucket/object` → every generation written, oldest first; the last is live unless deleted. */
  objects: Map<string, { live: boolean; versions: GcsObjectVersion[] }>;
}

export interface GcsFake extends FakeBase {
  state: GcsState;
  /** Create a bucket (the fake 404s unknown ones like the service). */
  addBucket(bucket: string): void;
  /** Store an object directly, as another writer would; returns its generation. */
  put(bucket: string, object: string, data: string | Buffer, contentType?: string): string;
  /** Live bytes of an object, or undefined. */
  get(bucket: string, object: string): Buffer | undefined;
  /** Live generation of an object, or undefined. */
  generation(bucket: string, object: string): string | undefined;
  /** Upload requests received (multipart, media, resumable session starts). */
  uploads(): FakeRequest[];
}

// CRC32C (Castagnoli), as GCS reports it: big-endian 4 bytes, base64.
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32cBase64(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}
export function md5Base64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

/** Splits a multipart/related body into its parts (headers + bytes). */
function parseMultipart(body: Buffer, contentType: string): { headers: Record<string, string>; data: Buffer }[] {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m) throw new Error('multipart upload without a boundary');
  const delimiter = Buffer.from(`--${m[1]}`);
  const parts: { headers: Record<string, string>; data: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error('multipart upload without a closing delimiter');
    let end = next;
    if (body.subarray(end - 2, end).toString() === '\r\n') end -= 2;
    const part = body.subarray(start, end);
    const split = part.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, split).toString().split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, data: part.subarray(split + 4) });
    pos = next;
  }
  return parts;
}

export async function startGcsFake(options: { buckets?: string[] } = {}): Promise<GcsFake> {
  const state: GcsState = { buckets: new Set(options.buckets ?? []), objects: new Map(), omitGenerationHeader: false };
  // Generations look like the service's (microseconds since the epoch) and always increase.
  let lastGeneration = Date.now() * 1000;
  const nextGeneration = (): string => String(++lastGeneration);
  const sessions = new Map<string, { bucket: string; name: string; contentType: string; received: Buffer[]; ifGenerationMatch?: string; metadata: Record<string, unknown> }>();
  const key = (bucket: string, object: string): string => `${bucket}/${object}`;
  const live = (bucket: string, object: string): GcsObjectVersion | undefined => {
    const entry = state.objects.get(key(bucket, object));
    return entry?.live ? entry.versions[entry.versions.length - 1] : undefined;
  };
  const store = (bucket: string, object: string, data: Buffer, contentType: string): GcsObjectVersion => {
    const version: GcsObjectVersion = { generation: nextGeneration(), data, contentType, created: new Date().toISOString() };
    const entry = state.objects.get(key(bucket, object)) ?? { live: true, versions: [] };
    entry.live = true;
    entry.versions.push(version);
    state.objects.set(key(bucket, object), entry);
    return version;
  };
  const resource = (bucket: string, name: string, v: GcsObjectVersion): Record<string, unknown> => ({
    kind: 'storage#object',
    id: `${bucket}/${name}/${v.generation}`,
    selfLink: `${base.url}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
    mediaLink: `${base.url}/download/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?generation=${v.generation}&alt=media`,
    name,
    bucket,
    generation: v.generation,
    metageneration: '1',
    contentType: v.contentType,
    storageClass: 'STANDARD',
    size: String(v.data.length),
    md5Hash: md5Base64(v.data),
    crc32c: crc32cBase64(v.data),
    etag: `C${v.generation.slice(-8)}=`,
    timeCreated: v.created,
    updated: v.created,
  });
  const preconditionFailed = (res: ServerResponse): void =>
    sendError(res, 412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');
  /** `ifGenerationMatch` as the service checks it: 0 means "must not exist". */
  const generationMatches = (bucket: string, object: string, expected: string | null | undefined): boolean => {
    if (expected === null || expected === undefined) return true;
    const current = live(bucket, object);
    return expected === '0' ? current === undefined : current?.generation === expected;
  };
  const noBucket = (res: ServerResponse): void => sendError(res, 404, 'The specified bucket does not exist.', 'notFound');
  const noObject = (res: ServerResponse, bucket: string, object: string): void =>
    sendError(res, 404, `No such object: ${bucket}/${object}`, 'notFound');

  /** Finishes an upload: race fault, precondition, store, answer with the resource. */
  const finishUpload = (
    req: FakeRequest,
    res: ServerResponse,
    takeFault: (k: Fault['kind']) => Fault | undefined,
    bucket: string,
    name: string,
    data: Buffer,
    contentType: string,
    ifGenerationMatch: string | null | undefined,
  ): void => {
    const race = takeFault('race') as Extract<Fault, { kind: 'race' }> | undefined;
    if (race) store(bucket, name, Buffer.from(race.data), contentType); // the other writer got there first
    if (!generationMatches(bucket, name, ifGenerationMatch)) return preconditionFailed(res);
    const v = store(bucket, name, data, contentType);
    sendJson(res, 200, resource(bucket, name, v));
  };

  const base: FakeBase = await startFakeServer((req, res, takeFault) => {
    const segments = req.rawPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    // JSON API: /storage/v1/b/{bucket}[/o/{object}]
    if (segments[0] === 'storage' && segments[1] === 'v1' && segments[2] === 'b' && segments[3]) {
      const bucket = segments[3];
      if (!state.buckets.has(bucket)) return noBucket(res);
      if (segments.length === 4) {
        return sendJson(res, 200, { kind: 'storage#bucket', id: bucket, name: bucket, location: 'US', storageClass: 'STANDARD' });
      }
      if (segments[4] === 'o' && segments.length >= 6) {
        const name = segments.slice(5).join('/');
        const v = live(bucket, name);
        if (req.method === 'DELETE') {
          if (!v) return noObject(res, bucket, name);
          if (!generationMatches(bucket, name, req.query.get('ifGenerationMatch'))) return preconditionFailed(res);
          state.objects.get(key(bucket, name))!.live = false;
          res.writeHead(204).end();
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, `${req.method} not supported by the fake`);
        const pinned = req.query.get('generation');
        if (!v || (pinned && pinned !== v.generation)) return noObject(res, bucket, name);
        if (!generationMatches(bucket, name, req.query.get('ifGenerationMatch'))) return preconditionFailed(res);
        if (req.query.get('alt') !== 'media') return sendJson(res, 200, resource(bucket, name, v));
        res.writeHead(200, {
          'content-type': v.contentType,
          'content-length': String(v.data.length),
          ...(state.omitGenerationHeader ? {} : { 'x-goog-generation': v.generation }),
          'x-goog-metageneration': '1',
          'x-goog-hash': `crc32c=${crc32cBase64(v.data)},md5=${md5Base64(v.data)}`,
          'x-goog-stored-content-length': String(v.data.length),
          'x-goog-stored-content-encoding': 'identity',
          etag: `C${v.generation.slice(-8)}=`,
        });
        res.end(req.method === 'HEAD' ? undefined : v.data);
        return;
      }
      if (segments[4] === 'o' && segments.length === 5 && req.method === 'GET') {
        const prefix = req.query.get('prefix') ?? '';
        const items = [...state.objects.entries()]
          .filter(([k, e]) => e.live && k.startsWith(`${bucket}/${prefix}`))
          .map(([k, e]) => resource(bucket, k.slice(bucket.length + 1), e.versions[e.versions.length - 1]));
        return sendJson(res, 200, { kind: 'storage#objects', items });
      }
    }
    // Uploads: /upload/storage/v1/b/{bucket}/o
    if (segments[0] === 'upload' && segments[1] === 'storage' && segments[2] === 'v1' && segments[3] === 'b' && segments[5] === 'o') {
      const bucket = segments[4];
      if (!state.buckets.has(bucket)) return noBucket(res);
      const uploadType = req.query.get('uploadType');
      const uploadId = req.query.get('upload_id');
      if (req.method === 'POST' && uploadType === 'multipart') {
        const parts = parseMultipart(req.body, String(req.headers['content-type'] ?? ''));
        if (parts.length !== 2) return sendError(res, 400, `multipart upload needs 2 parts, got ${parts.length}`);
        const metadata = JSON.parse(parts[0].data.toString('utf8')) as Record<string, unknown>;
        const name = req.query.get('name') ?? (metadata.name as string | undefined);
        if (!name) return sendError(res, 400, 'Required parameter: name', 'required');
        const contentType = (metadata.contentType as string | undefined) ?? parts[1].headers['content-type'] ?? 'application/octet-stream';
        return finishUpload(req, res, takeFault, bucket, name, Buffer.from(parts[1].data), contentType, req.query.get('ifGenerationMatch'));
      }
      if (req.method === 'POST' && uploadType === 'media') {
        const name = req.query.get('name');
        if (!name) return sendError(res, 400, 'Required parameter: name', 'required');
        const contentType = String(req.headers['content-type'] ?? 'application/octet-stream');
        return finishUpload(req, res, takeFault, bucket, name, req.body, contentType, req.query.get('ifGenerationMatch'));
      }
      if (req.method === 'POST' && uploadType === 'resumable' && !uploadId) {
        const metadata = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {};
        const name = req.query.get('name') ?? (metadata.name as string | undefined);
        if (!name) return sendError(res, 400, 'Required parameter: name', 'required');
        const ifGenerationMatch = req.query.get('ifGenerationMatch') ?? undefined;
        // The service checks preconditions when the session starts as well as when it ends.
        if (!generationMatches(bucket, name, ifGenerationMatch)) return preconditionFailed(res);
        const id = randomUUID();
        sessions.set(id, {
          bucket,
          name,
          contentType: String(req.headers['x-upload-content-type'] ?? metadata.contentType ?? 'application/octet-stream'),
          received: [],
          ifGenerationMatch,
          metadata,
        });
        const location = `${base.url}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
        res.writeHead(200, { location, 'x-guploader-uploadid': id, 'content-length': '0' });
        res.end();
        return;
      }
      if ((req.method === 'PUT' || req.method === 'POST') && uploadId) {
        const session = sessions.get(uploadId);
        if (!session) return sendError(res, 404, 'No such upload session', 'notFound');
        const range = String(req.headers['content-range'] ?? '');
        const received = (): number => session.received.reduce((n, b) => n + b.length, 0);
        const status = /^bytes \*\/(\*|\d+)$/.exec(range);
        if (status) {
          if (status[1] !== '*' && Number(status[1]) === received()) {
            return finishUpload(req, res, takeFault, session.bucket, session.name, Buffer.concat(session.received), session.contentType, session.ifGenerationMatch);
          }
          res.writeHead(308, received() > 0 ? { range: `bytes=0-${received() - 1}`, 'content-length': '0' } : { 'content-length': '0' });
          res.end();
          return;
        }
        const m = /^bytes (\d+)-(\d+|\*)\/(\d+|\*)$/.exec(range);
        if (!m) return sendError(res, 400, `Bad Content-Range: "${range}"`);
        if (Number(m[1]) !== received()) return sendError(res, 400, `Content-Range starts at ${m[1]}, expected ${received()}`);
        session.received.push(req.body);
        // `bytes n-*/*` is the single-request form: the request's end is the object's end.
        const done = m[3] === '*' ? m[2] === '*' : Number(m[3]) === received();
        if (!done) {
          res.writeHead(308, { range: `bytes=0-${received() - 1}`, 'content-length': '0' });
          res.end();
          return;
        }
        sessions.delete(uploadId);
        return finishUpload(req, res, takeFault, session.bucket, session.name, Buffer.concat(session.received), session.contentType, session.ifGenerationMatch);
      }
    }
    sendError(res, 404, `GCS fake: no route for ${req.method} ${req.rawPath}`, 'notFound');
  }, 'GCS');

  return Object.assign(base, {
    state,
    addBucket(bucket: string) {
      state.buckets.add(bucket);
    },
    put(bucket: string, object: string, data: string | Buffer, contentType = 'application/octet-stream') {
      state.buckets.add(bucket);
      return store(bucket, object, Buffer.from(data), contentType).generation;
    },
    get: (bucket: string, object: string) => live(bucket, object)?.data,
    generation: (bucket: string, object: string) => live(bucket, object)?.generation,
    uploads: () => base.requests.filter((r) => r.path.startsWith('/upload/') && r.method === 'POST'),
  });
}
