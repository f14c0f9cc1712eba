import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, writeJson } from '../helpers/example.js';
import { outsideDir } from './helpers.js';

/** Runs `modelgov <args> | head -1` in bash; returns head's line, modelgov's stderr and exit status. */
function headOne(dir: string, args: string[]): { line: string; stderr: string; status: number; bytes: number } {
  const scratch = outsideDir();
  const errFile = join(scratch, 'stderr');
  const full = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const script = `set -o pipefail; "$NODE" "$BIN" ${args.map((a) => `'${a}'`).join(' ')} 2>"$ERR" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE: process.execPath, BIN, ERR: errFile } });
  const status = Number(/status=(\d+)/.exec(r.stderr)![1]);
  return { line: r.stdout, stderr: readFileSync(errFile, 'utf8'), status, bytes: Buffer.byteLength(full.stdout) };
}

describe('issue 10 item 12: writing to a closed pipe ends quietly with the command\'s status', () => {
  it('list | head -1 with more than a pipe buffer (64 KB) of output: no stack trace, exit 0', async () => {
    const dir = copyExample({ git: false });
    const m = exampleManifest();
    const base = m.models.catboost_v9_2026_02;
    for (let i = 0; i < 700; i++) m.models[`catboost_v9_bulk_model_with_a_long_id_${String(i).padStart(4, '0')}`] = { ...base, status: 'archived' };
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    expect((await run(dir, ['sync'])).code).toBe(0);
    const r = headOne(dir, ['list']);
    expect(r.bytes).toBeGreaterThan(64 * 1024);
    expect(r.line).toMatch(/model_id/);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('lint-names --stdin | head -1 keeps exit 1 (the check failed) and prints no trace', () => {
    const dir = copyExample({ git: false });
    const paths = Array.from({ length: 3000 }, (_, i) => `models/bad_name_${i}.cbm`).join('\n');
    const scratch = outsideDir();
    const script = `set -o pipefail; printf '%s\\n' "$PATHS" | "$NODE" "$BIN" lint-names --stdin 2>"$ERR" | head -1 >/dev/null; echo "status=\${PIPESTATUS[1]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE: process.execPath, BIN, ERR: join(scratch, 'err'), PATHS: paths } });
    expect(r.stdout.trim()).toBe('status=1');
    expect(readFileSync(join(scratch, 'err'), 'utf8')).not.toMatch(/EPIPE|at .*\(|internal error/);
  });
});
