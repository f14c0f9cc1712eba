import { COMMAND_SPECS } from '../src/cli/command-specs.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { templateFieldsMarkdown } from '../scripts/template-fields-md.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README stays true', () => {
  it('documents every docs template field (regenerate with `npx tsx scripts/template-fields-md.ts`)', () => {
    const between = /<!-- template-fields:start -->\n([\s\S]*?)\n<!-- template-fields:end -->/.exec(readme);
    expect(between?.[1]).toBe(templateFieldsMarkdown());
  });

  it('has the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test ');
  });

  it('lists the same exit codes as --help', () => {
    for (const line of EXIT_CODES_HELP.trim().split('\n').slice(1)) {
      const [, code, text] = /^\s+(\d)\s+(.*)$/.exec(line)!;
      expect(readme).toContain(`| ${code} | ${text} |`);
    }
  });

  it('documents every command of the CLI', async () => {
    const commands = Object.keys(COMMAND_SPECS);
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) expect(readme).toContain(`\`${c.split(' ')[0]}`);
  });
});

/** The `run:` steps of the README's CI workflow, exactly as written there. */
function ciCommands(): string[] {
  const yaml = /```yaml\n(# \.github\/workflows\/modelgov\.yml[\s\S]*?)```/.exec(readme)?.[1];
  if (!yaml) throw new Error('the README has no CI workflow block');
  return [...yaml.matchAll(/^\s+- run: (.*?)(?:\s{2,}#.*)?$/gm)].map((m) => m[1].trim());
}

describe("the README's CI workflow", { timeout: 180_000 }, () => {
  it('passes, as written, on a fresh clone of the example (no .modelgov/, no sync ever run there)', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const { existsSync, mkdirSync, mkdtempSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { run } = await import('./helpers/cli.js');
    const { copyExample, REPO_ROOT, runGit } = await import('./helpers/example.js');

    const commands = ciCommands();
    expect(commands[0]).toBe('npm ci');
    expect(commands.some((c) => c.startsWith('npx modelgov drift'))).toBe(true);

    // The team's repository: the example with its docs section generated and committed.
    const work = copyExample();
    expect((await run(work, ['docs'])).code).toBe(0);
    runGit(work, 'commit', '-q', '-am', 'docs: generated section');
    const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'origin.git');
    runGit(work, 'init', '-q', '--bare', '-b', 'main', remote);
    runGit(work, 'push', '-q', remote, 'main');
    const clone = join(mkdtempSync(join(tmpdir(), 'modelgov-ci-')), 'repo');
    execFileSync('git', ['clone', '-q', remote, clone]);
    expect(existsSync(join(clone, '.modelgov'))).toBe(false);

    // `npm ci` installs modelgov from the registry; offline, this checkout stands in for it.
    mkdirSync(join(clone, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(REPO_ROOT, join(clone, 'node_modules', 'modelgov'));
    symlinkSync(join(REPO_ROOT, 'bin', 'modelgov.js'), join(clone, 'node_modules', '.bin', 'modelgov'));
    for (const command of commands.slice(1)) {
      const r = spawnSync('sh', ['-c', command], {
        cwd: clone,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '', npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      });
      expect(r.status, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    expect(JSON.parse(execFileSync('cat', ['drift.json'], { cwd: clone, encoding: 'utf8' }))).toMatchObject({ ok: true, findings: [] });
  });
});
