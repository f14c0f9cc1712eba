import { dirname, join, relative, resolve, sep } from 'node:path';
import { findConfig } from '../../config/load-config.js';
import { hasModelExtension, modelExtensions } from '../../config/model-files.js';
import type { LoadedConfig, PrePushPolicy } from '../../config/types.js';
import type { Finding } from '../../drift/types.js';
import { ModelgovError } from '../../errors.js';
import { readAtCommit } from '../../git/read-at-commit.js';
import { locateRepo, type RepoInfo } from '../../git/locate-repo.js';
import type { Manifest } from '../../manifest/types.js';
import type { Snapshot } from '../../ports.js';
import { configCandidates, nearestConfigs } from '../find-configs.js';
import { NO_CONFIG_NOTICE, NO_REPO_NOTICE, SKIP_NOTICE, skipRequested } from '../guard.js';
import { isRemote, repoPathOf } from '../pre-commit/plan.js';
import { prePushPolicy, severityOf, touchesSystem } from './policy.js';
import { parsePushedRefs, resolveByHand, resolvePush, type PushedRef, type PushRange } from './ranges.js';
import { locationKind } from '../../config/location.js';

/**
 * The pre-push hook: judges the pushed commits, never the working tree. For each pushed ref the
 * content at its tip is read from git objects (config, local manifests, docs, templates, service
 * files) and compared like `drift` does; the policy in the config (`prePush`) says what blocks.
 */

export interface PrePushInput {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--config`: the config's path in the repository (judged at each tip). */
  configPath?: string;
  /** git's arguments: `<remote> <url>`. */
  args: string[];
  /** Warning lines (stderr), e.g. for an unknown MODELGOV_SKIP value. */
  err?: (line: string) => void;
  /** Reads git's stdin (the pushed refs); undefined when run by hand. Called only inside a repository. */
  stdin: () => Promise<string | undefined>;
}

/** Where a finding was seen. */
export interface At {
  ref: string;
  commit: string;
}

export type Verdict = 'block' | 'warn';

export interface PrePushFinding extends Finding, At {
  severity: Verdict;
}

export interface PrePushUnreachable extends At {
  system: string | null;
  source: string;
  message: string;
  fix?: string;
  severity: Verdict;
}

export interface PrePushReport {
  skipped?: string;
  notice?: string;
  /** What was checked: each pushed ref with its tip and how many commits it sends. */
  refs: { ref: string; commit: string; kind: 'new' | 'update'; commits: number; configs: string[] }[];
  deleted: string[];
  findings: PrePushFinding[];
  unreachable: PrePushUnreachable[];
}

/** True when something in the report blocks the push. */
export function isBlocked(r: PrePushReport): boolean {
  return r.findings.some((f) => f.severity === 'block') || r.unreachable.some((u) => u.severity === 'block');
}

export async function runPrePush(input: PrePushInput): Promise<PrePushReport> {
  const report: PrePushReport = { refs: [], deleted: [], findings: [], unreachable: [] };
  if (skipRequested(input.env, input.err)) return { ...report, skipped: 'MODELGOV_SKIP', notice: SKIP_NOTICE };
  const repo = await locateRepo(input.cwd, input.env);
  if (!repo) return { ...report, skipped: 'not a git repository', notice: NO_REPO_NOTICE };

  const stdin = await input.stdin();
  let pushed = stdin === undefined ? undefined : parsePushedRefs(stdin);
  let remote: string | undefined = input.args[0];
  const framework = fromPreCommitFramework(input.env);
  if ((pushed === undefined || pushed.length === 0) && framework) ({ pushed, remote } = framework);
  let ranges: PushRange[];
  if (pushed === undefined || (pushed.length === 0 && input.args.length === 0)) ranges = await resolveByHand(repo.root);
  else {
    const r = await resolvePush(repo.root, remote, pushed);
    ranges = r.ranges;
    report.deleted = r.deleted;
  }

  // The config the cwd (or --config) names, and the nearest config of every changed path.
  const fromCwd = input.configPath ? resolve(input.cwd, input.configPath) : findConfig(input.cwd);
  const cwdConfig = fromCwd === undefined ? undefined : toRepoPath(repo, fromCwd);
  let anyConfig = false;
  for (const range of ranges) {
    const candidates = configCandidates(range.changes.map((c) => c.path));
    if (cwdConfig) candidates.push(cwdConfig);
    const present = await readAtCommit(repo.root, range.tip, candidates);
    const configs = nearestConfigs(
      range.changes.map((c) => c.path),
      (p) => present.get(p) !== undefined,
    );
    if (cwdConfig && present.get(cwdConfig) !== undefined && !configs.includes(cwdConfig)) configs.unshift(cwdConfig);
    report.refs.push({ ref: range.ref, commit: range.tip, kind: range.kind, commits: range.commits.length, configs });
    for (const configPath of configs) {
      anyConfig = true;
      await judgeAtTip(input, repo, range, configPath, (present.get(configPath) as Buffer).toString('utf8'), report);
    }
  }
  if (!anyConfig && cwdConfig === undefined) return { ...report, skipped: 'no config', notice: NO_CONFIG_NOTICE };
  return report;
}

/**
 * The pre-commit framework does not hand its hooks git's stdin; it passes the pushed ref in
 * PRE_COMMIT_* variables instead (one ref per run).
 */
function fromPreCommitFramework(env: NodeJS.ProcessEnv): { pushed: PushedRef[]; remote: string | undefined } | undefined {
  const to = env.PRE_COMMIT_TO_REF?.trim();
  if (!to || !/^[0-9a-f]{40,64}$/.test(to)) return undefined;
  const from = env.PRE_COMMIT_FROM_REF?.trim();
  return {
    remote: env.PRE_COMMIT_REMOTE_NAME || undefined,
    pushed: [
      {
        localRef: env.PRE_COMMIT_LOCAL_BRANCH || to,
        localSha: to,
        remoteRef: env.PRE_COMMIT_REMOTE_BRANCH || env.PRE_COMMIT_LOCAL_BRANCH || to,
        remoteSha: from && /^[0-9a-f]{40,64}$/.test(from) ? from : '0'.repeat(to.length),
      },
    ],
  };
}

function toRepoPath(repo: RepoInfo, abs: string): string | undefined {
  const rel = relative(repo.root, abs);
  if (rel === '' || rel.startsWith('..')) return undefined;
  return rel.split(sep).join('/');
}

/** The content of one config at one pushed tip, judged under that config's policy. */
async function judgeAtTip(
  input: PrePushInput,
  repo: RepoInfo,
  range: PushRange,
  configPath: string,
  configText: string,
  report: PrePushReport,
): Promise<void> {
  const short = range.tip.slice(0, 12);
  const label = `commit ${short} (${range.ref})`;
  const { parseConfig } = await import('../../config/load-config.js');
  const file = join(repo.root, ...configPath.split('/'));
  const parsed = parseConfig(configText, `${configPath} at ${label}`);
  if (!parsed.value) {
    throw new ModelgovError('CONFIG_INVALID', parsed.errors[0], {
      file: configPath,
      details: parsed.errors.slice(1),
      fix: `Fix ${configPath} and amend the commit (the JSON Schema is schema/config.schema.json).`,
    });
  }
  const loaded: LoadedConfig = { config: parsed.value, file, root: dirname(file) };
  const policy: Required<PrePushPolicy> = prePushPolicy(loaded.config.prePush);
  const toRepo = repoPathOf(loaded, repo);

  // Every local file the checks read, from the tip's objects, in one call.
  const locations = new Set<string>();
  for (const s of loaded.config.systems) {
    if (!isRemote(s.manifest)) locations.add(s.manifest);
    if (s.docsTemplate) locations.add(s.docsTemplate);
    for (const d of s.docs ?? []) locations.add(d);
    if (s.deployment && locationKind(s.deployment.service) !== 'cloudrun') locations.add(s.deployment.service);
  }
  const byRepoPath = new Map<string, string>();
  for (const loc of locations) {
    const p = toRepo(loc);
    if (p !== undefined) byRepoPath.set(loc, p);
  }
  const blobs = await readAtCommit(repo.root, range.tip, [...byRepoPath.values()]);
  const snapshot: Snapshot = {
    label,
    read: (loc) => {
      const p = byRepoPath.get(loc) ?? toRepo(loc);
      const b = p === undefined ? undefined : blobs.get(p);
      return b === undefined ? undefined : b.toString('utf8');
    },
  };

  const { runDrift } = await import('../../app/drift.js');
  const drift = await runDrift(loaded, input.env, loaded.config.systems, { commit: range.tip, snapshot });
  const touched = new Map(loaded.config.systems.map((s) => [s.id, touchesSystem(s, configPath, range.changes, toRepo)]));
  const at: At = { ref: range.ref, commit: range.tip };
  const push = (f: Finding) => {
    const severity = severityOf(policy, f.kind, touched.get(f.system) ?? false);
    if (severity !== 'off') report.findings.push({ ...f, ...at, severity });
  };
  for (const f of drift.findings) push(f);
  for (const u of drift.unreachable) {
    report.unreachable.push({ ...u, ...at, severity: policy.offline === 'fail' ? 'block' : 'warn' });
  }

  // Model files the pushed commits add or change, judged once with the tip's manifest facts.
  const systems = loaded.config.systems;
  const exts = modelExtensions(systems);
  const files = [...new Set(range.changes.filter((c) => 'AMT'.includes(c.status) && hasModelExtension(c.path, exts)).map((c) => c.path))];
  if (files.length > 0) {
    const [{ parseManifest }, { lintNames }] = await Promise.all([import('../../manifest/load-manifest.js'), import('../../naming/index.js')]);
    const manifests = new Map<string, Manifest>();
    for (const sys of systems) {
      const text = isRemote(sys.manifest) ? undefined : snapshot.read(sys.manifest);
      const m = text === undefined ? undefined : parseManifest(text, sys.manifest).value;
      if (m) manifests.set(sys.id, m);
    }
    const { violations } = lintNames(files, { systems, manifests });
    for (const v of violations) {
      const base = v.path.slice(v.path.lastIndexOf('/') + 1);
      const system = systems.find((s) => base.startsWith(`${s.id}_`))?.id ?? systems[0].id;
      const commit = range.changes.find((c) => c.path === v.path)?.commit ?? range.tip;
      push({
        kind: 'filename',
        system,
        subject: `${v.path} (committed in ${commit.slice(0, 12)})`,
        expected: v.expected ?? 'a name in the convention {system}_{features}f_train{start}-{end}_{date}_{time}.ext',
        actual: v.reason,
        fix: v.expected
          ? `git mv ${v.path} ${v.path.slice(0, v.path.length - base.length)}${v.expected} and commit (or list the old name in artifacts.legacy)`
          : 'rename the file (see `modelgov name --help`) or list it in artifacts.legacy',
      });
    }
  }
}
