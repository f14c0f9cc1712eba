import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, writeJson } from '../helpers/example.js';

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('modelgov docs (CLI over real files)', () => {
  it('--check exits 1 with a unified diff and writes nothing; docs writes; a second run changes nothing', async () => {
    const dir = copyExample({ git: false });
    const before = read(dir, 'CLAUDE.md');
    const check = await run(dir, ['docs', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('--- CLAUDE.md\tcurrent');
    expect(check.stdout).toContain('+| Training window | 2025-11-02 → 2026-01-08 |');
    expect(read(dir, 'CLAUDE.md')).toBe(before);
    expect((await run(dir, ['docs'])).code).toBe(0);
    const after = read(dir, 'CLAUDE.md');
    expect(after).not.toBe(before);
    expect((await run(dir, ['docs'])).stdout).toContain('unchanged: CLAUDE.md');
    expect(read(dir, 'CLAUDE.md')).toBe(after);
    expect((await run(dir, ['docs', '--check'])).code).toBe(0);
  });

  it('a broken marker in one docs file: exit 2 naming file and line, and no docs file is written', async () => {
    const dir = copyExample({ git: false });
    writeFileSync(join(dir, 'AGENTS.md'), '# Agents\n\n<!-- modelgov:start catboost_v9 -->\nold\n');
    const cfgFile = join(dir, 'modelgov.config.json');
    const cfg = JSON.parse(read(dir, 'modelgov.config.json'));
    cfg.systems[0].docs = ['CLAUDE.md', 'AGENTS.md'];
    writeJson(cfgFile, cfg);
    const claude = read(dir, 'CLAUDE.md');
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AGENTS\.md:3\b/);
    expect(r.stderr).toContain('fix:');
    expect(read(dir, 'CLAUDE.md')).toBe(claude); // the valid, stale file was not written either
    expect(read(dir, 'AGENTS.md')).toBe('# Agents\n\n<!-- modelgov:start catboost_v9 -->\nold\n');
  });

  it('a configured docs file without markers and a marker for an unknown system: exit 2 with the fix', async () => {
    const dir = copyExample({ git: false });
    writeFileSync(join(dir, 'CLAUDE.md'), '# nothing here\n');
    const none = await run(dir, ['docs']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('CLAUDE.md: no modelgov markers found');
    expect(none.stderr).toContain('modelgov init');
    writeFileSync(join(dir, 'CLAUDE.md'), '<!-- modelgov:start xgboost_v1 -->\n<!-- modelgov:end xgboost_v1 -->\n');
    const unknown = await run(dir, ['docs']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CLAUDE\.md:1.*xgboost_v1/);
    expect(read(dir, 'CLAUDE.md')).toBe('<!-- modelgov:start xgboost_v1 -->\n<!-- modelgov:end xgboost_v1 -->\n');
  });
});
