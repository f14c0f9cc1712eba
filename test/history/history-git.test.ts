import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, runGit } from '../helpers/example.js';

const RETRAIN = 'catboost_v9_feb_02_retrain';
const HISTORY = 'models/catboost_v9/history.jsonl';

/** The example as a team has it: docs generated and committed, pushed to a bare remote. */
async function published(): Promise<{ work: string; remote: string }> {
  const work = copyExample();
  expect((await run(work, ['docs'])).code).toBe(0);
  runGit(work, 'commit', '-q', '-am', 'docs: generated section');
  const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'origin.git');
  runGit(work, 'init', '-q', '--bare', '-b', 'main', remote);
  runGit(work, 'remote', 'add', 'origin', remote);
  runGit(work, 'push', '-q', 'origin', 'main');
  return { work, remote };
}

function clone(remote: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-clone-')), 'repo');
  execFileSync('git', ['clone', '-q', remote, dir]);
  for (const [k, v] of Object.entries({ 'user.email': 'bob@modelgov.example', 'user.name': 'bob', 'commit.gpgsign': 'false' })) runGit(dir, 'config', k, v);
  return dir;
}

interface Event {
  event_id: string;
  event_type: string;
  model_id: string;
  details: { forced?: boolean; reason?: string } | null;
}
const events = async (dir: string): Promise<Event[]> => parsed(await run(dir, ['--json', 'history'])).events;

describe('the audit history travels with the repository', () => {
  it('a forced promotion and its reason are visible in a second clone after push / pull, with no registry file', async () => {
    const { work, remote } = await published();
    const other = clone(remote);
    const p = await run(work, ['promote', RETRAIN, '--force', '--reason', 'hit rate measured on the new season'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' });
    expect(p.code, p.stderr).toBe(0);
    runGit(work, 'add', '-A');
    runGit(work, 'commit', '-q', '-m', `promote ${RETRAIN}`);
    runGit(work, 'push', '-q', 'origin', 'main');

    runGit(other, 'pull', '-q', '--ff-only');
    const seen = (await events(other));
    expect(seen.map((e) => [e.event_type, e.model_id])).toEqual([['promote', RETRAIN]]);
    expect(seen[0].details).toMatchObject({ forced: true, reason: 'hit rate measured on the new season' });
    const text = (await run(other, ['history', RETRAIN])).stdout;
    expect(text).toContain('FORCED past');
    expect(text).toContain('reason: hit rate measured on the new season');
    // `history --at` in the clone answers from the pulled event, not from the manifest alone.
    expect(parsed(await run(other, ['--json', 'history', '--at', '2026-02-13'])).production[0]).toMatchObject({ model: RETRAIN, source: 'history' });
  });

  it('two branches that each promote merge without a conflict (merge=union) and history shows both once', async () => {
    const { work } = await published();
    // Both branches promote the retrain on the same day (the manifest edits are identical and
    // merge cleanly) with their own reasons: both append a line at the end of the history file,
    // which conflicts in a plain merge and merges cleanly as a union.
    runGit(work, 'checkout', '-q', '-b', 'a');
    expect((await run(work, ['promote', RETRAIN, '--force', '--reason', 'branch a', '--no-docs'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' })).code).toBe(0);
    runGit(work, 'add', '-A');
    runGit(work, 'commit', '-q', '-m', 'a: promote');
    runGit(work, 'checkout', '-q', 'main');
    runGit(work, 'checkout', '-q', '-b', 'b');
    expect((await run(work, ['promote', RETRAIN, '--force', '--reason', 'branch b', '--no-docs'], { MODELGOV_NOW: '2026-02-12T16:30:00Z' })).code).toBe(0);
    runGit(work, 'add', '-A');
    runGit(work, 'commit', '-q', '-m', 'b: promote');
    runGit(work, 'checkout', '-q', 'a');
    runGit(work, 'merge', '-q', '--no-edit', 'b');
    expect(readFileSync(join(work, HISTORY), 'utf8')).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    const all = (await events(work));
    expect(all.map((e) => [e.event_type, e.model_id, e.details?.reason])).toEqual([
      ['promote', RETRAIN, 'branch a'],
      ['promote', RETRAIN, 'branch b'],
    ]);
    // A repeated line (a union merge of a cherry-picked promotion) still shows once.
    const text = readFileSync(join(work, HISTORY), 'utf8');
    writeFileSync(join(work, HISTORY), text + text.split('\n')[0] + '\n');
    expect((await events(work))).toHaveLength(2);
  });
});
