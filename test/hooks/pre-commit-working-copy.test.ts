import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { editManifestMae, exampleWithHook, gitRun, show } from './helpers.js';

// What the pre-commit hook says about the working copies it cannot or must not rewrite.
describe('hook pre-commit: the working copy is named and protected', () => {
  it('a valid staged manifest with a broken unstaged working copy: the message names the working copy (not staged)', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.6);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const manifest = join(dir, EXAMPLE_MANIFEST);
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"models"', '"models" oops'));
    const head = runGit(dir, 'rev-parse', 'HEAD');

    const r = gitRun(dir, ['commit', '-m', 'manifest: mae 4.6']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`the working copy of ${EXAMPLE_MANIFEST} (not staged)`);
    expect(r.stderr).not.toContain(`${EXAMPLE_MANIFEST} (staged)`);
    expect(runGit(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('a hand edit inside the generated section of the working file: one warning line, the edit kept; the commit gets the generated section', () => {
    const dir = exampleWithHook();
    const claude = join(dir, 'CLAUDE.md');
    const original = readFileSync(claude, 'utf8');
    const lines = original.split('\n');
    const start = lines.findIndex((l) => l.includes('modelgov:start catboost_v9'));
    lines.splice(start + 2, 0, 'HAND EDIT: do not deploy on Fridays');
    const edited = lines.join('\n');
    writeFileSync(claude, edited);
    editManifestMae(dir, 4.55);
    runGit(dir, 'add', EXAMPLE_MANIFEST);

    const r = gitRun(dir, ['commit', '-m', 'manifest: mae 4.55']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('edited by hand'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^modelgov: warning: left CLAUDE\.md alone: its catboost_v9 section was edited by hand/);
    expect(readFileSync(claude, 'utf8')).toBe(edited);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain('| MAE | 4.55 |');
    expect(show(dir, 'HEAD:CLAUDE.md')).not.toContain('HAND EDIT');
  });
});
