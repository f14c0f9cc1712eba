import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSettings } from '../../src/adapters/google/call.js';
import { BIN, run } from '../helpers/cli.js';
import { copyExample } from '../helpers/example.js';
import { editConfig } from './helpers.js';

describe('issue 10 item 11: timeoutMs is bounded, and a timed-out request never keeps the process alive', () => {
  it.each([0, 50, 99, 600_001, 2 ** 31 + 1, 1e12, 1.5])('timeoutMs %d is a config error naming timeoutMs (exit 2)', async (t) => {
    const dir = copyExample({ git: false });
    editConfig(dir, (c) => (c.timeoutMs = t));
    const r = await run(dir, ['list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timeoutMs');
  });

  it('the runtime bound matches the schema (for callers that build options themselves)', () => {
    expect(() => callSettings({ timeoutMs: 2 ** 31 + 1 })).toThrow(/100 to 600000/);
    expect(() => callSettings({ timeoutMs: 50 })).toThrow(/100 to 600000/);
    expect(callSettings({ timeoutMs: 100 }).timeoutMs).toBe(100);
    expect(callSettings({ timeoutMs: 600_000 }).timeoutMs).toBe(600_000);
  });

  describe('against a loopback server that accepts and never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let port: number;
    beforeAll(async () => {
      server = createServer((s) => {
        sockets.push(s);
        s.on('error', () => {});
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });

    it('drift reports the manifest unreachable after timeoutMs and the process exits (no hung socket keeps it alive)', async () => {
      const dir = copyExample({ git: false });
      editConfig(dir, (c) => {
        c.timeoutMs = 300;
        c.systems[0].manifest = 'gs://hung-bucket/manifest.json';
        delete c.systems[0].deployment;
      });
      const r = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'drift', '--json', '--offline', 'warn'], {
          cwd: dir,
          env: { ...process.env, NO_COLOR: '1', METADATA_SERVER_DETECTION: 'none', MODELGOV_GCS_ENDPOINT: `http://127.0.0.1:${port}` },
        });
        // A safety net only (the assertion is that the process ends by itself, not how fast).
        const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code, signal) => {
          clearTimeout(kill);
          resolve({ code, signal, stdout, stderr });
        });
      });
      expect(r.signal).toBeNull();
      expect(sockets.length).toBeGreaterThan(0);
      const report = JSON.parse(r.stdout);
      expect(report.unreachable.map((u: { source: string }) => u.source)).toContain('gs://hung-bucket/manifest.json');
    }, 150_000);
  });
});
