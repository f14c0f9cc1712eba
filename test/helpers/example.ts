import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { EXAMPLE_DIR, makeExampleRepo } from '../../scripts/example-repo.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../src/manifest/types.js';

export const REPO_ROOT = new URL('../..', import.meta.url).pathname;
export { EXAMPLE_DIR };
export const EXAMPLE_MANIFEST = 'models/catboost_v9/manifest.json';
export const PROD_ID = 'catboost_v9_33features_20260201_011018';

/** The example's manifest, parsed (a fresh copy each call). */
export function exampleManifest(): Manifest {
  return JSON.parse(readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST), 'utf8'));
}

export function runGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/**
 * Copies the example into a new temp dir and (by default) makes it a git repo with a fixed
 * branch and user, the deployed commit recorded in the service YAML. Never the project's checkout.
 */
export function copyExample(opts: { git?: boolean } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-test-')), 'repo');
  return makeExampleRepo(dir, { git: opts.git !== false, user: 'modelgov test', email: 'test@modelgov.example' });
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

export const EXAMPLE_HISTORY = 'models/catboost_v9/history.jsonl';

/**
 * Appends to the example's history file a forced promotion (2026-01-20) of its first model that
 * is not in production, as `modelgov promote` records one; returns the event id.
 */
export function appendPromotion(dir: string, eventId = 'test-promotion-1'): string {
  const other = Object.keys(JSON.parse(readFileSync(join(dir, EXAMPLE_MANIFEST), 'utf8')).models).find((id) => id !== PROD_ID)!;
  const event = {
    event_id: eventId,
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
  appendFileSync(join(dir, EXAMPLE_HISTORY), JSON.stringify(event) + '\n');
  return eventId;
}
