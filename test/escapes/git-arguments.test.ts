import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertArgOrder, git } from '../../src/git/git.js';
import { runGit } from '../helpers/example.js';
import { cleanRepo, drift, outsideDir, setCommitLabel } from './helpers.js';

const NOT_A_COMMIT = /^label is not a commit id: /;

describe('issue 10 item 6: the commit-sha label never reaches git as an option', () => {
  it('a label --output=<file outside>: no file is written, a deployment-code finding says it is not a commit id', async () => {
    const dir = await cleanRepo();
    const target = join(outsideDir(), 'written-by-git');
    setCommitLabel(dir, `--output=${target}`);
    const r = await drift(dir);
    expect(existsSync(target)).toBe(false);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]).toMatchObject({ kind: 'deployment-code' });
    expect(r.report.findings[0].actual).toMatch(NOT_A_COMMIT);
  });

  it.each(['HEAD', 'main', '--max-count=0', 'HEAD~0', "'abc1234..HEAD'", "'-p'"])('a label %s hides no drift: it is reported as not a commit id', async (label) => {
    const dir = await cleanRepo();
    // A real change after the deploy: with the old code `HEAD..HEAD` or `--max-count=0` hid it.
    writeFileSync(join(dir, 'predictions', 'worker', 'worker.py'), '# changed after deploy\n', { flag: 'a' });
    runGit(dir, 'commit', '-q', '-am', 'worker: change after the deploy');
    setCommitLabel(dir, label);
    const r = await drift(dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0].kind).toBe('deployment-code');
    expect(r.report.findings[0].actual).toMatch(NOT_A_COMMIT);
  });

  it('a short hex id that resolves is accepted (7 digits); a hex id that is a tree, not a commit, is "not found"', async () => {
    const dir = await cleanRepo();
    const head = runGit(dir, 'rev-parse', 'HEAD~1');
    writeFileSync(join(dir, 'predictions', 'worker', 'worker.py'), '# changed after deploy\n', { flag: 'a' });
    runGit(dir, 'commit', '-q', '-am', 'worker: change after the deploy');
    setCommitLabel(dir, head.slice(0, 7));
    const r = await drift(dir);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0].actual).toMatch(/^1 commit\(s\) since: /);
    // The fix is a pasteable command with the revision after --end-of-options.
    expect(r.report.findings[0].fix).toContain(`git log --oneline --end-of-options ${head.slice(0, 7)}..HEAD -- predictions/worker shared`);

    const tree = runGit(dir, 'rev-parse', 'HEAD^{tree}');
    setCommitLabel(dir, tree);
    const t = await drift(dir);
    expect(t.report.findings[0].actual).toBe('commit not found (fetch it: git fetch --unshallow, or redeploy)');
  });

  it('the runner refuses a value in option position, even an ordinary one', async () => {
    expect(() => assertArgOrder(['log', 'abc1234..HEAD'])).toThrow(/in option position/);
    expect(() => assertArgOrder(['config', 'user.email'])).toThrow(/in option position/);
    expect(() => assertArgOrder(['log', '--format=%h', '--end-of-options', '--output=x', '--', '-p'])).not.toThrow();
    expect(() => assertArgOrder(['update-index', '--cacheinfo', '100644,abc,-x'])).not.toThrow();
    const dir = await cleanRepo();
    await expect(git(dir, ['log', 'HEAD'])).rejects.toThrow(/in option position/);
  });

  it('every git call in src passes the runner rule (a scan of the sources for git argument arrays)', () => {
    // Each literal argument list handed to the runner, checked with the same rule.
    const files = execFileSync('git', ['ls-files', 'src'], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' }).trim().split('\n');
    let calls = 0;
    for (const f of files.filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(__dirname, '..', '..', f), 'utf8');
      for (const m of text.matchAll(/\bgit(?:Bytes|Maybe)?\(\s*\w+,\s*\[([^\]]*)\]/g)) {
        calls++;
        const args = [...m[1].matchAll(/'([^']*)'|`([^`]*)`|(\.\.\.\w+)|(\w+)/g)].map((a) => a[1] ?? a[2] ?? a[3] ?? `<${a[4]}>`);
        expect(() => assertArgOrder(args.map((a) => (a.startsWith('...') || a.startsWith('<') ? 'VALUE' : a))), `${f}: ${m[0]}`).not.toThrow();
      }
    }
    expect(calls).toBeGreaterThan(8);
  });
});
