import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, runGit } from '../helpers/example.js';

export const SERVICE_YAML = 'deploy/prediction-worker.yaml';
export const CONFIG = 'modelgov.config.json';

/** The example, synced and with fresh docs, committed: a repo with no drift. */
export async function cleanRepo(): Promise<string> {
  const dir = copyExample();
  expect((await run(dir, ['sync'])).code).toBe(0);
  expect((await run(dir, ['docs'])).code).toBe(0);
  runGit(dir, 'commit', '-q', '-am', 'docs: generated section');
  return dir;
}

/** A scratch directory outside any repository. */
export function outsideDir(): string {
  return mkdtempSync(join(tmpdir(), 'modelgov-outside-'));
}

/** Replaces every commit-sha label value of the service YAML with `raw` (YAML text as written). */
export function setCommitLabel(dir: string, raw: string): void {
  const file = join(dir, SERVICE_YAML);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/commit-sha: \S+/g, `commit-sha: ${raw}`));
}

/** Edits the config JSON in place. */
export function editConfig(dir: string, edit: (c: any) => void): void {
  const file = join(dir, CONFIG);
  const c = JSON.parse(readFileSync(file, 'utf8'));
  edit(c);
  writeFileSync(file, JSON.stringify(c, null, 2) + '\n');
}

export async function drift(dir: string, ...extra: string[]) {
  const r = await run(dir, ['drift', '--json', ...extra]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}
