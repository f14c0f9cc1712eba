import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { regenerateDocs } from '../../src/app/docs.js';
import { isModelgovError } from '../../src/errors.js';
import { run } from '../helpers/cli.js';
import { EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { GOOD, addGoodModel } from '../promote/good-model.js';
import { cliNoHang, exampleWithDocs, tempLeftovers } from './helpers.js';

const NOW = { MODELGOV_NOW: '2026-02-12T15:00:00Z' };

function setDocs(dir: string, docs: string[], extra: Record<string, unknown> = {}): void {
  const file = join(dir, 'modelgov.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(config.systems[0], { docs, ...extra });
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/** Item: a symlinked docs file or manifest is written through to its target; the link stays. */
describe('symlinks', { timeout: 180_000 }, () => {
  it('docs through AGENTS.md -> CLAUDE.md updates CLAUDE.md and keeps the link', async () => {
    const dir = exampleWithDocs();
    symlinkSync('CLAUDE.md', join(dir, 'AGENTS.md'));
    setDocs(dir, ['AGENTS.md']);
    const r = await run(dir, ['docs']);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(dir, 'AGENTS.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'AGENTS.md'))).toBe('CLAUDE.md');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain('catboost_v9_33features_20260201_011018');
    expect((await run(dir, ['docs', '--check'])).code).toBe(0);
  });

  it('a docs link whose target is outside the repository: exit 2, the target untouched, the link kept', async () => {
    const dir = exampleWithDocs();
    const outside = join(mkdtempSync(join(tmpdir(), 'modelgov-outside-')), 'team-notes.md');
    writeFileSync(outside, readFileSync(join(dir, 'CLAUDE.md')));
    const before = readFileSync(outside);
    symlinkSync(outside, join(dir, 'AGENTS.md'));
    setDocs(dir, ['AGENTS.md']);
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the repository');
    expect(readFileSync(outside).equals(before)).toBe(true);
    expect(lstatSync(join(dir, 'AGENTS.md')).isSymbolicLink()).toBe(true);
  });

  it('promote through a symlinked manifest writes the target and keeps the link', async () => {
    const dir = exampleWithDocs();
    addGoodModel(dir);
    const real = join(dir, 'models', 'catboost_v9', 'manifest.real.json');
    const link = join(dir, EXAMPLE_MANIFEST);
    writeFileSync(real, readFileSync(link));
    rmSync(link);
    symlinkSync('manifest.real.json', link);
    const r = await run(dir, ['promote', GOOD, '--no-sync', '--no-docs'], NOW);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).production_model).toBe(GOOD);
  });
});

/** Item: an edit made while `docs` runs is never overwritten. */
describe('edits during a run', { timeout: 60_000 }, () => {
  it('a CLAUDE.md edited between the read and the rename: CONFLICT, the edit kept, no temp file', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, 'CLAUDE.md');
    const loaded = loadConfig({ cwd: dir });
    let edited = '';
    const run = regenerateDocs(loaded, { ...process.env }, {
      check: false,
      beforeRename: (target) => {
        // The user's editor saves at the worst moment: new bytes complete, rename not yet done.
        edited = readFileSync(target, 'utf8') + 'A line typed while modelgov ran.\n';
        writeFileSync(target, edited);
      },
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isModelgovError(error) && error.code).toBe('CONFLICT');
    expect((error as Error).message).toContain('CLAUDE.md changed while modelgov was working; nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('an edit of the same size within the same mtime tick is still seen (content hash)', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, 'CLAUDE.md');
    const loaded = loadConfig({ cwd: dir });
    const { mtime } = statSync(file);
    const error = await regenerateDocs(loaded, { ...process.env }, {
      check: false,
      beforeRename: (target) => {
        const text = readFileSync(target, 'utf8');
        writeFileSync(target, text.replace('Bullets', 'bULLETS'));
        spawnSync('touch', ['-d', mtime.toISOString(), target]);
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isModelgovError(error) && error.code).toBe('CONFLICT');
    expect(readFileSync(file, 'utf8')).toContain('bULLETS');
  });
});

/** Item: read-only targets are refused, also as root (who could replace them). */
describe('read-only files', { timeout: 120_000 }, () => {
  it('docs refuses a 0444 CLAUDE.md (exit 2), bytes and mode unchanged', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, 'CLAUDE.md');
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CLAUDE.md is read-only (mode 0444)');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  it('promote refuses a 0444 manifest (exit 2), nothing written, no history', async () => {
    const dir = exampleWithDocs();
    addGoodModel(dir);
    const file = join(dir, EXAMPLE_MANIFEST);
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    const r = await run(dir, ['promote', GOOD, '--no-sync', '--no-docs'], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('read-only');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(JSON.parse((await run(dir, ['--json', 'history'])).stdout).events).toEqual([]);
  });
});

/** Item: a FIFO, a device or a directory where a file is expected: exit 2 at once, never blocking. */
describe('FIFOs, devices and directories', { timeout: 180_000 }, () => {
  const fifo = (path: string) => {
    rmSync(path, { force: true, recursive: true });
    const r = spawnSync('mkfifo', [path]);
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  };

  it('CLAUDE.md as a FIFO, a directory or a character device', () => {
    for (const make of [
      (p: string) => fifo(p),
      (p: string) => {
        rmSync(p);
        mkdirSync(p);
      },
      (p: string) => {
        rmSync(p);
        // A character device (like /dev/zero) in the repository; where mknod is not permitted, a
        // link to /dev/zero (refused earlier, as outside the repository).
        if (spawnSync('mknod', [p, 'c', '1', '5']).status !== 0) symlinkSync('/dev/zero', p);
      },
    ]) {
      const dir = exampleWithDocs();
      make(join(dir, 'CLAUDE.md'));
      for (const args of [['docs'], ['docs', '--check'], ['drift']]) {
        const r = cliNoHang(dir, args);
        expect(r.signal, `${args.join(' ')} blocked`).toBe(null);
        expect(r.code, r.stderr).toBe(2);
        // A link to /dev/zero is caught even earlier by the config's "inside the repository" rule.
        expect(r.stderr).toMatch(/CLAUDE\.md is a (FIFO \(named pipe\)|directory|character device), not a regular file|resolves to \/dev\/zero, outside the repository/);
      }
    }
  });

  it('the manifest, the config and the docs template as FIFOs', () => {
    const manifest = exampleWithDocs();
    fifo(join(manifest, EXAMPLE_MANIFEST));
    for (const args of [['docs'], ['gates', GOOD], ['sync']]) {
      const r = cliNoHang(manifest, args);
      expect(r.signal, `${args.join(' ')} blocked`).toBe(null);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('manifest.json is a FIFO (named pipe), not a regular file');
    }

    const config = exampleWithDocs();
    fifo(join(config, 'modelgov.config.json'));
    const c = cliNoHang(config, ['docs']);
    expect(c.signal).toBe(null);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('modelgov.config.json is a FIFO (named pipe), not a regular file');

    const template = exampleWithDocs();
    setDocs(template, ['CLAUDE.md'], { docsTemplate: 'docs-template.md' });
    fifo(join(template, 'docs-template.md'));
    const t = cliNoHang(template, ['docs']);
    expect(t.signal).toBe(null);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('docs-template.md is a FIFO (named pipe), not a regular file');
    runGit(template, 'status', '--porcelain');
  });
});
