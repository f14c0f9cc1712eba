import { indexEntries, readBlobs } from '../../git/index-blob.js';
import { parseHistoryText } from '../../history/history-file.js';
import type { PreCommitPlan } from './plan.js';

/**
 * A staged audit history file must still be one event per line: a hand edit or a merge without
 * `merge=union` (conflict markers) would otherwise reach the repository and break every later
 * reader. Throws naming the file and the line (exit 2); reads only the staged blobs, and only
 * when a history file is staged.
 */
export async function checkStagedHistory(plan: PreCommitPlan): Promise<void> {
  const staged = new Set(plan.changes.filter((c) => 'AMT'.includes(c.status)).map((c) => c.path));
  const paths = plan.watched.filter((w) => w.kind === 'history' && staged.has(w.path)).map((w) => w.path);
  if (paths.length === 0) return;
  const entries = await indexEntries(plan.repo.root, paths);
  const blobs = await readBlobs(plan.repo.root, [...entries.values()].map((e) => e.sha));
  for (const [path, entry] of entries) parseHistoryText(blobs.get(entry.sha)?.toString('utf8') ?? '', path);
}
