/**
 * Shared plumbing of the loopback fakes: an HTTP server on 127.0.0.1 with a request log, Google
 * JSON error bodies, and fault injection (a status N times, a hang, or a fake-specific fault such
 * as GCS's write race). Each fake (gcs-fake.ts, bigquery-fake.ts, cloud-run-fake.ts) supplies the
 * API semantics on top.
 */
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  /** Raw path as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A fault the next matching request(s) get instead of (or before) the normal answer. */
export type Fault =
  /** Answer `status` with a Google error body, `times` times (default 1). */
  | { kind: 'status'; status: number; times?: number; message?: string; reason?: string; match?: (r: FakeRequest) => boolean }
  /** Accept the request and never answer. */
  | { kind: 'hang'; times?: number; match?: (r: FakeRequest) => boolean }
  /** GCS: another writer stores `data` at the target object just before this upload is processed. */
  | { kind: 'race'; data: string | Buffer; times?: number; match?: (r: FakeRequest) => boolean };

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  413: 'OUT_OF_RANGE',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const DEFAULT_REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  409: 'duplicate',
  412: 'conditionNotMet',
  429: 'rateLimitExceeded',
  500: 'internalError',
  503: 'backendError',
};

/** The JSON error body Google APIs send (`{error: {code, message, errors, status}}`). */
export function googleErrorBody(status: number, message: string, reason = DEFAULT_REASONS[status] ?? 'invalid'): unknown {
  return {
    error: {
      code: status,
      message,
      errors: [{ message, domain: 'global', reason }],
      status: STATUS_NAMES[status] ?? 'UNKNOWN',
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, reason?: string): void {
  sendJson(res, status, googleErrorBody(status, message, reason));
}

export interface FakeBase {
  /** Base URL, e.g. `http://127.0.0.1:43121`: what the endpoint variables take. */
  url: string;
  port: number;
  /** Every request received, in order (also those answered by a fault). */
  requests: FakeRequest[];
  /** Queue a fault; faults are consumed in the order injected. */
  inject(fault: Fault): void;
  /** Faults not yet consumed. */
  pendingFaults(): Fault[];
  /** Requests answered by a hang fault, with whether the client has since closed the connection. */
  hung: { request: FakeRequest; closed: boolean }[];
  close(): Promise<void>;
}

export type Handler = (req: FakeRequest, res: ServerResponse, takeFault: (kind: Fault['kind']) => Fault | undefined) => void | Promise<void>;

/**
 * Starts a fake on 127.0.0.1 (random port). Status and hang faults are applied before `handler`;
 * other fault kinds are left for the handler to take with `takeFault`.
 */
export async function startFakeServer(handler: Handler, label: string): Promise<FakeBase> {
  const requests: FakeRequest[] = [];
  const faults: (Fault & { left: number })[] = [];
  const sockets = new Set<Socket>();
  const hung: FakeBase['hung'] = [];

  const take = (kind: Fault['kind'], req: FakeRequest): Fault | undefined => {
    const i = faults.findIndex((f) => f.kind === kind && (!f.match || f.match(req)));
    if (i < 0) return undefined;
    const f = faults[i];
    f.left -= 1;
    if (f.left <= 0) faults.splice(i, 1);
    return f;
  };

  const server = http.createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const u = new URL(incoming.url ?? '/', 'http://fake');
      let path = u.pathname;
      try {
        path = decodeURIComponent(u.pathname);
      } catch {
        /* keep raw */
      }
      const req: FakeRequest = {
        method: incoming.method ?? 'GET',
        path,
        rawPath: u.pathname,
        query: u.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(req);
      if (take('hang', req)) {
        // Never answer; close() destroys the socket. Record when the client gives up on it.
        const entry = { request: req, closed: false };
        hung.push(entry);
        incoming.socket.once('close', () => (entry.closed = true));
        return;
      }
      const status = take('status', req) as Extract<Fault, { kind: 'status' }> | undefined;
      if (status) {
        sendError(res, status.status, status.message ?? `${label} fake: injected HTTP ${status.status}`, status.reason);
        return;
      }
      Promise.resolve(handler(req, res, (kind) => take(kind, req))).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, `${label} fake crashed: ${err instanceof Error ? err.stack : String(err)}`);
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    pendingFaults: () => faults.slice(),
    hung,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
