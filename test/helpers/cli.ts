import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './example.js';

export const BIN = join(REPO_ROOT, 'bin', 'modelgov.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds first) as a user would, in `cwd`. */
export function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    input: stdin,
    env: { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '', METADATA_SERVER_DETECTION: 'none', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses a --json run's stdout; a failure shows the run's stderr. */
export function parsed(r: CliResult): any {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

/**
 * Runs the CLI in-process through `main()`, as `cli()` would in a spawned process: same
 * environment defaults, the same exit code, stdout and stderr. Use it wherever a separate
 * process adds nothing under test (it saves a Node start and a module load per call); keep
 * `cli()` for what only a process shows: hooks run by git, signals, pipes, `ulimit`, real
 * concurrency between processes, the built bundle's lazy loading.
 */
export async function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', MODELGOV_SKIP: '', METADATA_SERVER_DETECTION: 'none', ...env },
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    stdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
