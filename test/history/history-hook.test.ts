import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, runGit } from '../helpers/example.js';

const HISTORY = 'models/catboost_v9/history.jsonl';

describe('pre-commit watches the history file', () => {
  it('a staged history file with a line that is not an event blocks the commit (exit 2) naming the file and line', async () => {
    const dir = copyExample();
    expect((await run(dir, ['promote', 'catboost_v9_feb_02_retrain', '--force', '--reason', 'r', '--no-docs'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' })).code).toBe(0);
    runGit(dir, 'add', '-A');
    const good = await run(dir, ['hook', 'pre-commit']);
    expect(good.code, good.stderr).toBe(0);

    writeFileSync(join(dir, HISTORY), '<<<<<<< HEAD\n', { flag: 'a' });
    runGit(dir, 'add', HISTORY);
    const bad = await run(dir, ['hook', 'pre-commit']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${HISTORY}:2: not a JSON event`);
    expect(bad.stderr).toContain('merge=union');
  });
});
