import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { appendPromotion, copyExample } from '../helpers/example.js';

describe('{{timeline}} in the docs draws the promotions of the history file', () => {
  it('a promotion recorded in history.jsonl adds a production bar, and docs --check sees it', async () => {
    const dir = copyExample();
    expect((await run(dir, ['docs'])).code).toBe(0);
    const before = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    appendPromotion(dir);
    const check = await run(dir, ['docs', '--check']);
    expect(check.code, check.stderr).toBe(1);
    expect((await run(dir, ['docs'])).code).toBe(0);
    const after = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toMatch(/:crit, [^\n]*2026-01-20/);
  });
});
