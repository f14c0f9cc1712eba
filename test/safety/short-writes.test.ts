import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { editManifestMae, exampleWithHook } from '../hooks/helpers.js';
import { GOOD, addGoodModel } from '../promote/good-model.js';
import { bigTail, cliWithFileLimit, exampleWithDocs, tempLeftovers } from './helpers.js';

/**
 * Item: every write is complete and fsynced before the rename, or fails with exit 2 leaving the
 * old file byte-identical. The kernel cuts the writes short for real: `ulimit -f` (write(2)
 * returns fewer bytes, then EFBIG) and a full tmpfs (ENOSPC).
 */
describe('short writes', { timeout: 180_000 }, () => {
  it('docs under `ulimit -f`: exit 2 naming EFBIG, CLAUDE.md byte-identical, no temp file left', async () => {
    const dir = exampleWithDocs(bigTail());
    const claude = join(dir, 'CLAUDE.md');
    const before = readFileSync(claude);
    expect(before.length).toBeGreaterThan(200_000);
    const r = cliWithFileLimit(dir, 100, ['docs']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('EFBIG');
    expect(r.stderr).toContain('CLAUDE.md');
    expect(r.stdout).not.toContain('updated');
    expect(readFileSync(claude).equals(before)).toBe(true);
    expect(tempLeftovers(dir)).toEqual([]);
    // Without the limit the same command works (the failure was the limit, nothing else).
    expect((await run(dir, ['docs'])).code).toBe(0);
    expect(readFileSync(claude).equals(before)).toBe(false);
  });

  it('promote under `ulimit -f`: exit 2, the manifest byte-identical, and no history event recorded', async () => {
    const dir = copyExample();
    addGoodModel(dir);
    // 3 MB of whitespace inside the JSON: the manifest is big, its values (and the registry) are not.
    const file = join(dir, EXAMPLE_MANIFEST);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('{', '{' + ' \n'.repeat(1_500_000)));
    runGit(dir, 'commit', '-qam', 'a big manifest');
    expect((await run(dir, ['sync'])).code).toBe(0);
    const before = readFileSync(file);
    const r = cliWithFileLimit(dir, 2000, ['promote', GOOD, '--no-sync', '--no-docs'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('EFBIG');
    expect(r.stderr).toContain('manifest.json');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(tempLeftovers(join(dir, 'models', 'catboost_v9'))).toEqual([]);
    const events = parsed(await run(dir, ['--json', 'history'])).events as { event_type: string }[];
    expect(events.filter((e) => e.event_type === 'promote')).toEqual([]);
  });

  it('hook pre-commit under `ulimit -f`: exit 2, the working CLAUDE.md with its unstaged edit byte-identical', () => {
    const dir = exampleWithHook();
    const claude = join(dir, 'CLAUDE.md');
    writeFileSync(claude, readFileSync(claude, 'utf8') + bigTail());
    runGit(dir, 'add', 'CLAUDE.md');
    runGit(dir, 'commit', '-qm', 'long notes');
    editManifestMae(dir, 4.1);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    writeFileSync(claude, readFileSync(claude, 'utf8') + 'An unstaged edit.\n');
    const before = readFileSync(claude);
    const r = cliWithFileLimit(dir, 100, ['hook', 'pre-commit']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('EFBIG');
    expect(readFileSync(claude).equals(before)).toBe(true);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  describe('ENOSPC on a full file system', () => {
    const mounts: string[] = [];
    afterAll(() => {
      for (const m of mounts) spawnSync('umount', [m]);
    });

    it('docs on a 64 KB tmpfs: exit 2 naming ENOSPC, the file byte-identical', async (ctx) => {
      const dir = copyExample();
      const mnt = join(dir, 'notes');
      mkdirSync(mnt);
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
      if (mount.status !== 0) {
        rmSync(mnt, { recursive: true });
        ctx.skip(`mount -t tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()}); the ulimit cases cover short writes`);
        return;
      }
      mounts.push(mnt);
      // 40 KB of notes: the new file cannot fit beside the old one in 64 KB.
      const notes = join(mnt, 'CLAUDE.md');
      writeFileSync(notes, readFileSync(join(dir, 'CLAUDE.md'), 'utf8') + bigTail(650));
      const config = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
      config.systems[0].docs = ['notes/CLAUDE.md'];
      writeFileSync(join(dir, 'modelgov.config.json'), JSON.stringify(config, null, 2));
      const before = readFileSync(notes);
      expect(before.length).toBeGreaterThan(33_000);
      const r = await run(dir, ['docs']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('ENOSPC');
      expect(readFileSync(notes).equals(before)).toBe(true);
      expect(tempLeftovers(mnt)).toEqual([]);
    });
  });
});
