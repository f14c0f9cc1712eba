import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGit } from '../helpers/example.js';
import { cleanRepo, drift, SERVICE_YAML, setCommitLabel } from './helpers.js';

describe('issue 10 item 23: service YAML labels and env values are strings whatever they look like', () => {
  it.each(['5171018', '1e5', '0x1f', 'true', 'null', '0123'])('commit-sha label %s: drift runs (no crash) and reports it as a commit id or not', async (label) => {
    const dir = await cleanRepo();
    setCommitLabel(dir, label);
    const r = await drift(dir);
    expect(r.stderr).not.toMatch(/internal error|is not a function/);
    expect(r.code).toBe(1);
    expect(r.report.unreachable).toEqual([]);
    const code = r.report.findings.find((f: { kind: string }) => f.kind === 'deployment-code');
    expect(code).toBeDefined();
    // 7+ hex digits is a commit id this repository does not have; the rest are not commit ids.
    if (/^[0-9a-f]{7,40}$/.test(label)) expect(code.actual).toBe('commit not found (fetch it: git fetch --unshallow, or redeploy)');
    else expect(code.actual).toBe(`label is not a commit id: ${JSON.stringify(label)}`);
  });

  it('a digits-only short sha of a real commit is found and compared', async () => {
    const dir = await cleanRepo();
    // Make commits until one's 7-digit prefix is all digits (about one in twenty).
    let sha = runGit(dir, 'rev-parse', 'HEAD');
    for (let i = 0; !/^[0-9]{7}/.test(sha); i++) {
      runGit(dir, 'commit', '-q', '--allow-empty', '-m', `try ${i}`);
      sha = runGit(dir, 'rev-parse', 'HEAD');
    }
    setCommitLabel(dir, sha.slice(0, 7));
    runGit(dir, 'commit', '-q', '-am', 'deploy: digits-only label');
    const r = await drift(dir);
    expect(r.report.unreachable).toEqual([]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('an env value that reads as a number is compared as the string it is', async () => {
    const dir = await cleanRepo();
    const file = join(dir, SERVICE_YAML);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/value: gs:\/\/\S+/, 'value: 1e5'));
    const r = await drift(dir);
    const model = r.report.findings.find((f: { kind: string }) => f.kind === 'deployment-model');
    expect(model.actual).toBe('1e5');
  });
});
