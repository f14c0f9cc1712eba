import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../src/cli/command-specs.js';
import { main } from '../../src/cli/main.js';
import { table } from '../../src/cli/report/table.js';
import { formatMetric } from '../../src/util/format-metric.js';
import { copyExample, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';

/** Runs the CLI in-process: what a spawned process would add is not under test here. */
async function run(argv: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

describe('the CLI behaves like the tools its users know', () => {
  it('no command is a usage error: help on stderr, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: modelgov <command>');
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(Object.keys(COMMAND_SPECS))('`%s --help` shows the global flags, an example and the exit codes', async (name) => {
    const r = await run([...name.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('-C <dir>');
    expect(r.stdout).toContain('--config <file>');
    expect(r.stdout).toMatch(/Examples:\n {2}\$ modelgov /);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).not.toContain('(default: [])');
  });

  it('marks required options and shows defaults that are not fixed values', async () => {
    const dup = await run(['check-duplicate', '--help']);
    expect(dup.stdout).toMatch(/--train-start <date>.*\(required\)/);
    const name = await run(['name', '--help']);
    for (const flag of ['--system', '--features', '--train-start', '--train-end']) expect(name.stdout).toMatch(new RegExp(`${flag} <[a-z]+>.*\\(required\\)`));
    const drift = await run(['drift', '--help']);
    expect(drift.stdout.replace(/\s+/g, ' ')).toContain("(default: the config's offline, else fail)");
    const init = await run(['init', '--help']);
    expect(init.stdout).toContain('modelgov.config.json');
    expect(init.stdout).toContain('git hooks');
  });

  it("a usage error exits 2 and points at the subcommand's help", async () => {
    const r = await run(['name', '--system', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--features <n>' not specified");
    expect(r.stderr).toContain('Run `modelgov name --help` for usage.');
    const unknown = await run(['drift', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Run `modelgov drift --help` for usage.');
    const json = await run(['--json', 'drift', '--offline', 'maybe']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('-C to a missing directory says so', async () => {
    const r = await run(['-C', '/does/not/exist', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-C /does/not/exist: no such directory');
    expect(r.stderr).not.toContain('modelgov.config.json');
  });

  it('outside a git repository the missing-config message does not speak of a git root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-nogit-'));
    const r = await run(['-C', dir, 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a git repository');
    expect(r.stderr).not.toContain('up to the git root');
  });

  it('the hook commands accept the arguments hook managers pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-nogit-'));
    const push = await run(['hook', 'pre-push', 'origin', 'git@example.invalid:x.git'], dir);
    expect(push.code).toBe(0);
    const commit = await run(['hook', 'pre-commit', 'a.py', 'b.py'], dir);
    expect(commit.code).toBe(0);
  });
});

describe('one formatter and fitted tables', () => {
  it('formats a hit rate the same way everywhere', () => {
    expect(formatMetric('evaluation_hit_rate_edge_3plus', 79)).toBe('79.0%');
    expect(formatMetric('high_edge_hit_rate_3plus', 71.2)).toBe('71.2%');
    expect(formatMetric('mae', 4.82)).toBe('4.82');
    expect(formatMetric('mae', null)).toBe('—');
  });

  it('fits a wide table in the given width, keeping both ends of long cells', () => {
    const long = `gs://nba-props-platform-models/catboost/v9/${'x'.repeat(120)}_20260208.cbm`;
    const out = table(['kind', 'expected', 'actual'], [['deployment-model', long, long]], { maxWidth: 100 });
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(out).toContain('gs://nba');
    expect(out).toContain('20260208.cbm');
    expect(out).toContain('…');
    expect(table(['a'], [[long]])).toContain(long);
  });
});

describe('manifest warnings reach the user', () => {
  it('sync prints a valid-but-odd manifest warning on stderr, and lists it in --json', async () => {
    const dir = copyExample();
    const file = join(dir, EXAMPLE_MANIFEST);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    delete manifest.models[PROD_ID].production_since;
    writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
    const text = await run(['sync', '--dry-run'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/warning: .*production_since.*not set for the production model/);
    const json = await run(['--json', 'sync', '--dry-run'], dir);
    expect(JSON.parse(json.stdout).warnings).toHaveLength(1);
  });
});
