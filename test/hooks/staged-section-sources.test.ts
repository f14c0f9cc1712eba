import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendPromotion, EXAMPLE_HISTORY as HISTORY, EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { editManifestMae, exampleWithHook, gitRun, show } from './helpers.js';

const PROMOTION_BAR = /:crit, [^\n]*2026-01-20/;

describe('hook pre-commit: the committed section is made from committed files only', () => {
  it('an unstaged promotion in the history file reaches the working CLAUDE.md, not the commit', () => {
    const dir = exampleWithHook();
    appendPromotion(dir, 'unstaged-promotion-1');
    editManifestMae(dir, 4.75);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const r = gitRun(dir, ['commit', '-q', '-m', 'mae only']);
    expect(r.code, r.stderr).toBe(0);
    const committed = show(dir, 'HEAD:CLAUDE.md');
    expect(committed).toContain('4.75');
    expect(committed).not.toMatch(PROMOTION_BAR);
    // The working copy follows the working files, history included; the history stays unstaged.
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toMatch(PROMOTION_BAR);
    expect(show(dir, `HEAD:${HISTORY}`)).not.toContain('unstaged-promotion-1');
    expect(runGit(dir, 'status', '--porcelain', '--', HISTORY)).toMatch(/^( M|\?\?) /);
  });

  it('once the history file is staged, the commit carries the promotion bar', () => {
    const dir = exampleWithHook();
    appendPromotion(dir);
    runGit(dir, 'add', HISTORY);
    const r = gitRun(dir, ['commit', '-q', '-m', 'record the promotion']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toMatch(PROMOTION_BAR);
  });

  it('a docs template that is not in the index stops the commit, naming the fix, and writes nothing', () => {
    const dir = exampleWithHook();
    const template = 'docs/model-section.tmpl.md';
    runGit(dir, 'rm', '-q', '--cached', template);
    runGit(dir, 'commit', '-q', '--no-verify', '-m', 'template untracked');
    editManifestMae(dir, 4.75);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const head = runGit(dir, 'rev-parse', 'HEAD');
    const before = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    const r = gitRun(dir, ['commit', '-q', '-m', 'mae only']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`git add ${template}`);
    expect(runGit(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(before);
    expect(runGit(dir, 'diff', '--cached', '--name-only')).toBe(EXAMPLE_MANIFEST);
  });
});
