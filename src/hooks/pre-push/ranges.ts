import { ModelgovError } from '../../errors.js';
import { gitBytes, gitMaybe } from '../../git/git.js';
import { parseNameStatus, type StagedChange } from '../../git/index-blob.js';

/**
 * Which commits a push sends, read the way git's pre-push protocol describes them: the hook gets
 * `<remote> <url>` as arguments and one line per pushed ref on stdin,
 * `<local ref> SP <local sha> SP <remote ref> SP <remote sha>`.
 */

/** One stdin line of the pre-push protocol. */
export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

/** A changed path in the pushed commits, with the commit that changed it. */
export interface RangeChange extends StagedChange {
  commit: string;
}

/** The commits of one pushed ref that the remote does not have yet, and the tip to judge. */
export interface PushRange {
  /** The ref as the remote will call it (`refs/heads/main`), or the branch checked by hand. */
  ref: string;
  /** The pushed commit (a tag is peeled to its commit). */
  tip: string;
  kind: 'new' | 'update';
  /** Commits in the range, newest first. */
  commits: string[];
  /** Paths the range changed (merges count as their first-parent diff). */
  changes: RangeChange[];
}

const HEX = /^[0-9a-f]{40,64}$/;
const ZERO = /^0+$/;

/** Parses the stdin of a pre-push hook; a line that does not follow the protocol is a usage error. */
export function parsePushedRefs(text: string): PushedRef[] {
  const refs: PushedRef[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 4 || !HEX.test(parts[1]) || !HEX.test(parts[3])) {
      throw new ModelgovError('USAGE', `pre-push stdin line ${i + 1} is not "<local ref> <local sha> <remote ref> <remote sha>": ${JSON.stringify(line.slice(0, 200))}`, {
        fix: 'Let git run the hook (`git push`), or pass nothing on stdin to check HEAD against its upstream.',
      });
    }
    refs.push({ localRef: parts[0], localSha: parts[1], remoteRef: parts[2], remoteSha: parts[3] });
  });
  return refs;
}

/** The commit a pushed object is (an annotated tag is peeled), or undefined (a tag of a tree or blob). */
async function peelToCommit(root: string, sha: string): Promise<string | undefined> {
  const out = await gitMaybe(root, ['rev-parse', '--verify', '-q', '--end-of-options', `${sha}^{commit}`]);
  return out && HEX.test(out) ? out : undefined;
}

/** Commits and changed paths of `tip ^exclude…`, in one `git log` (commit ids only, after --end-of-options). */
async function rangeOf(root: string, tip: string, exclude: string[]): Promise<{ commits: string[]; changes: RangeChange[] }> {
  const out = (
    await gitBytes(root, ['log', '--format=%x01%H', '--name-status', '--no-renames', '-z', '--diff-merges=first-parent', '--end-of-options', tip, ...exclude.map((x) => `^${x}`), '--'])
  ).toString('utf8');
  const commits: string[] = [];
  const changes: RangeChange[] = [];
  for (const chunk of out.split('\x01')) {
    if (chunk === '') continue;
    const end = chunk.indexOf('\0');
    const commit = (end < 0 ? chunk : chunk.slice(0, end)).trim();
    commits.push(commit);
    if (end >= 0) for (const c of parseNameStatus(chunk.slice(end + 1).replace(/^\n/, ''))) changes.push({ ...c, commit });
  }
  return { commits, changes };
}

/**
 * What "every ref of that remote" is, as commit ids: its remote-tracking refs when it is a
 * configured remote, else every remote-tracking ref.
 */
async function remoteTips(root: string, remote: string | undefined): Promise<string[]> {
  const named = remote && /^[A-Za-z0-9._-]+$/.test(remote) && (await gitMaybe(root, ['config', '--get', '--end-of-options', `remote.${remote}.url`]));
  const out = await gitMaybe(root, ['for-each-ref', '--format=%(objectname)', '--end-of-options', named ? `refs/remotes/${remote}/` : 'refs/remotes/']);
  const tips = (out ?? '').split('\n').filter((l) => HEX.test(l));
  const commits: string[] = [];
  for (const t of new Set(tips)) {
    const c = await peelToCommit(root, t);
    if (c) commits.push(c);
  }
  return commits;
}

/**
 * The ranges of a push. A deletion (local sha all zeros) sends nothing and is not returned; a new
 * ref (remote sha all zeros) sends the commits no ref of that remote has; an update sends
 * `<remote sha>..<local sha>`, or, when the remote's commit is not here (a force push over work
 * this clone never fetched), what a new ref would.
 */
export async function resolvePush(root: string, remote: string | undefined, pushed: PushedRef[]): Promise<{ ranges: PushRange[]; deleted: string[] }> {
  const ranges: PushRange[] = [];
  const deleted: string[] = [];
  const remotes = await remoteTips(root, remote);
  for (const p of pushed) {
    if (ZERO.test(p.localSha)) {
      deleted.push(p.remoteRef);
      continue;
    }
    const tip = await peelToCommit(root, p.localSha);
    if (!tip) continue; // a tag of a tree or a blob: no commit content to judge
    const base = ZERO.test(p.remoteSha) ? undefined : await peelToCommit(root, p.remoteSha);
    const range = await rangeOf(root, tip, base ? [base] : remotes);
    ranges.push({ ref: p.remoteRef, tip, kind: base ? 'update' : 'new', ...range });
  }
  return { ranges, deleted };
}

/** Run by hand (no refs on stdin): HEAD against its upstream, or against every remote without one. */
export async function resolveByHand(root: string): Promise<PushRange[]> {
  const tip = await peelToCommit(root, 'HEAD');
  if (!tip) return [];
  const ref = (await gitMaybe(root, ['symbolic-ref', '-q', '--end-of-options', 'HEAD'])) || 'HEAD';
  const upstream = await peelToCommit(root, '@{upstream}');
  const range = await rangeOf(root, tip, upstream ? [upstream] : await remoteTips(root, undefined));
  return [{ ref, tip, kind: upstream ? 'update' : 'new', ...range }];
}
