import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbRegistry } from '../../src/adapters/registry/duckdb.js';
import { ModelgovError } from '../../src/errors.js';
import { row, tempRoot } from './duckdb-helpers.js';

// Another process holding the registry file open: a duckdb shell, a notebook, a second modelgov.
// It prints "ready" once it holds the lock and releases it after argv[2] ms (never when absent).
const HOLDER = `
const duckdb = require('@duckdb/node-api');
(async () => {
  const instance = await duckdb.DuckDBInstance.create(process.argv[1]);
  const conn = await instance.connect();
  await conn.run('CREATE TABLE IF NOT EXISTS holder_was_here (x INTEGER)');
  process.stdout.write('ready\\n');
  const holdMs = Number(process.argv[2] || 0);
  if (holdMs > 0) {
    setTimeout(() => { conn.closeSync(); instance.closeSync(); process.stdout.write('released\\n'); }, holdMs);
  } else {
    setInterval(() => {}, 1000);
  }
})();
`;
const REPO = new URL('../..', import.meta.url).pathname;

let root: string;
let cleanup: () => void;
const children: ChildProcess[] = [];
beforeEach(() => {
  ({ root, cleanup } = tempRoot());
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cleanup();
});

/** Starts a holder process and resolves once it holds the lock. */
function holdLock(file: string, holdMs?: number): Promise<{ child: ChildProcess; released: Promise<number> }> {
  const args = ['-e', HOLDER, file, ...(holdMs ? [String(holdMs)] : [])];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let releasedAt: (t: number) => void;
    const released = new Promise<number>((r) => (releasedAt = r));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n') && !out.includes('#seen')) {
        out += '#seen';
        resolve({ child, released });
      }
      if (out.includes('released\n')) releasedAt(Date.now());
    });
    child.on('exit', (code) => reject(new Error(`holder exited early (${code}): ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

describe('DuckDB registry: another process holds the file', () => {
  it('retries for the configured time, then fails with REGISTRY_LOCKED naming the file; the file survives the holder being killed', async () => {
    const location = 'duckdb:.modelgov/registry.duckdb';
    const file = join(root, '.modelgov', 'registry.duckdb');
    const reg = await createDuckDbRegistry(location, { root, env: {}, timeoutMs: 800 });
    await reg.upsert([row('m1')], []);

    const { child } = await holdLock(file);
    for (const attempt of [() => reg.upsert([row('m2')], []), () => reg.list()]) {
      const started = Date.now();
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      const waited = Date.now() - started;
      expect(err).toBeInstanceOf(ModelgovError);
      const e = err as ModelgovError;
      expect(e.code).toBe('REGISTRY_LOCKED');
      expect(e.file).toBe(file);
      expect(e.message).toContain(file);
      expect(e.message).toContain('another modelgov or duckdb process holds it');
      expect(e.message).toContain(`PID ${child.pid}`);
      expect(e.fix).toContain('run the command again');
      expect(waited).toBeGreaterThanOrEqual(750);
    }

    // A holder that dies without closing (its own write still in the WAL) leaves a file that
    // opens, read-only and read-write, with every row.
    child.kill('SIGKILL');
    await exited(child);
    expect((await reg.list()).map((r) => r.model_id)).toEqual(['m1']);
    await reg.upsert([row('m2')], []);
    expect((await reg.list()).map((r) => r.model_id)).toEqual(['m1', 'm2']);
  });

  it('waits about 3 s by default', async () => {
    const file = join(root, 'r.duckdb');
    await holdLock(file);
    const reg = await createDuckDbRegistry('duckdb:r.duckdb', { root, env: {} });
    const started = Date.now();
    const err = await reg.upsert([row('m1')], []).then(
      () => undefined,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    expect((err as ModelgovError).code).toBe('REGISTRY_LOCKED');
    expect(waited).toBeGreaterThanOrEqual(2_900);
  });

  it('succeeds once a holder releases the file within the wait', async () => {
    const file = join(root, 'r.duckdb');
    const { released } = await holdLock(file, 700);
    const started = Date.now();
    const reg = await createDuckDbRegistry('duckdb:r.duckdb', { root, env: {}, timeoutMs: 10_000 });
    const result = await reg.upsert([row('m1')], []);
    expect(result).toEqual({ affectedRows: 1, requests: 1 });
    // It really did wait for the holder (and did not, e.g., open the file a second time).
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await released;
    expect(await reg.get('m1')).toEqual(row('m1'));
  });
});
