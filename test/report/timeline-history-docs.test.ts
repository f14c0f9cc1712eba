import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { copyExample, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd, env: { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '' }, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

describe('{{timeline}} in the docs draws the promotions of the history file', () => {
  it('a promotion recorded in history.jsonl adds a production bar, and docs --check sees it', async () => {
    const dir = copyExample();
    expect((await run(['docs'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    const other = Object.keys(JSON.parse(readFileSync(join(dir, EXAMPLE_MANIFEST), 'utf8')).models).find((id) => id !== PROD_ID)!;
    const history = join(dir, 'models/catboost_v9/history.jsonl');
    const event = {
      event_id: 'test-promotion-1',
      event_type: 'promote',
      system_id: 'catboost_v9',
      model_id: other,
      field: null,
      old_value: PROD_ID,
      new_value: other,
      changed_at: '2026-01-20T10:00:00Z',
      changed_by: 'ml@example.com',
      git_commit: null,
      details: { from: PROD_ID, to: other, forced: true, reason: 'shadow trial' },
    };
    appendFileSync(history, JSON.stringify(event) + '\n');
    const check = await run(['docs', '--check'], dir);
    expect(check.code, check.stderr).toBe(1);
    expect((await run(['docs'], dir)).code).toBe(0);
    const after = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toMatch(/:crit, [^\n]*2026-01-20/);
  });
});
