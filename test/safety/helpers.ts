import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, type CliResult } from '../helpers/cli.js';
import { copyExample, runGit } from '../helpers/example.js';

export { BIN };

/** The environment a user's shell would give the CLI (no colour, no skip, no metadata probe). */
export const CLI_ENV = { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '', METADATA_SERVER_DETECTION: 'none' };

/**
 * Runs the built CLI under `ulimit -f <blocks>` (sh counts 512-byte blocks in dash, 1024 in
 * bash: the tests leave a margin either way), so every write past the limit really is cut
 * short by the kernel (write(2) returns fewer bytes, then EFBIG) — no fs mocking.
 */
export function cliWithFileLimit(cwd: string, blocks: number, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync('sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...CLI_ENV, ...env },
    // A safety net only: a run that blocks (a FIFO read) would otherwise hang the suite.
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI with a safety-net timeout: a command that blocks fails the test instead of hanging it. */
export function cliNoHang(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult & { signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...CLI_ENV, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** Lines of prose that push a CLAUDE.md well past any limit a test sets (~210 KB). */
export function bigTail(lines = 5000): string {
  return Array.from({ length: lines }, (_, i) => `Line ${i} of the notes: keep this text exactly as written.`).join('\n') + '\n';
}

/** The example repo with its docs section generated and committed, and `extra` appended to CLAUDE.md. */
export function exampleWithDocs(extra = ''): string {
  const dir = copyExample();
  const claude = join(dir, 'CLAUDE.md');
  writeFileSync(claude, readFileSync(claude, 'utf8') + extra);
  runGit(dir, 'add', '-A');
  runGit(dir, 'commit', '-q', '--allow-empty', '-m', 'docs');
  return dir;
}

/** Files a failed atomic write could leave behind (`.<name>.<pid>.<hex>.tmp`). */
export function tempLeftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}
