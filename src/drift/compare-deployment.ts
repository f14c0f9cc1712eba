import type { Manifest } from '../manifest/types.js';
import type { DeploymentState } from '../ports.js';
import { shCommand } from '../util/shell-quote.js';
import type { Finding } from './types.js';

/** Delimiters gcloud's `^X^` list syntax may use instead of `,` when the value holds a comma. */
const LIST_DELIMITERS = ['@', '|', '#', '~', '!', ';', '%'];

/**
 * The exact command that points a service at a model, as `gcloud` takes it, every word quoted
 * for POSIX sh: the values come from the manifest and the service, so a `"; touch x` or `$(id)`
 * in them is printed as data, never as shell syntax. A value with a comma uses gcloud's
 * alternate-delimiter syntax (`^@^KEY=a,b`), since gcloud splits `--update-env-vars` at commas.
 * An unknown region or project is a placeholder the user must replace (quoted, so pasting it
 * unedited fails in gcloud instead of being a shell redirect).
 */
export function deployCommand(state: Pick<DeploymentState, 'service' | 'region'> & { project?: string | null }, env: string, gcsPath: string): string {
  const pair = `${env}=${gcsPath}`;
  const delimiter = pair.includes(',') ? LIST_DELIMITERS.find((d) => !pair.includes(d)) : undefined;
  return shCommand([
    'gcloud',
    'run',
    'services',
    'update',
    state.service,
    `--region=${state.region ?? '<REGION>'}`,
    ...(state.project ? [`--project=${state.project}`] : []),
    `--update-env-vars=${delimiter ? `^${delimiter}^` : ''}${pair}`,
  ]);
}

/** `git log --oneline <sha>..HEAD -- <dirs>`, quoted, with the revision after --end-of-options. */
export function gitLogCommand(sha: string, dirs: string[], tip = 'HEAD'): string {
  return shCommand(['git', 'log', '--oneline', '--end-of-options', `${sha}..${tip}`, '--', ...dirs]);
}

/** The service's model env var against the production model's path. */
export function compareDeploymentModel(system: string, manifest: Manifest, state: DeploymentState, env: string): Finding[] {
  // No production model of this system (a fleet with no champion, or a system sharing a manifest
  // whose production model is another system's): nothing the service must serve.
  if (manifest.production_model === null) return [];
  const prod = manifest.models[manifest.production_model];
  if (!prod) return [];
  if (state.modelPath === prod.gcs_path) return [];
  const servedId = Object.entries(manifest.models).find(([, m]) => m.gcs_path === state.modelPath)?.[0];
  return [
    {
      kind: 'deployment-model',
      system,
      subject: `${state.service} ${env}`,
      expected: prod.gcs_path,
      actual: state.modelPath === null ? `${env} is not set` : servedId ? `${state.modelPath} (${servedId}, status ${manifest.models[servedId].status})` : state.modelPath,
      fix: deployCommand(state, env, prod.gcs_path),
    },
  ];
}

/** Facts about the service's source code, gathered from git by the caller. */
export interface CodeFacts {
  /** Commits that touched the source dirs after the deployed commit (`git log --oneline sha..HEAD -- dirs`). */
  commitsSince?: string[];
  /** The deployed commit is not in this repository (shallow clone, other branch, rewritten history). */
  unknownCommit?: boolean;
  /** The commit-sha label is not a 7–40 hex commit id (it is never handed to git then). */
  notACommitId?: boolean;
  /** Without a commit-sha label: the last change to the source dirs (ISO) and its commit. */
  lastChange?: { time: string; commit: string } | null;
}

/** The deployed code against the commits that touched the service's source since. */
export function compareDeploymentCode(
  system: string,
  state: DeploymentState,
  dirs: string[],
  facts: CodeFacts,
  opts: { redeploy?: string; tip?: string } = {},
): Finding[] {
  const subject = `${state.service} ${dirs.join(' ')}`;
  // How a team redeploys is theirs to say (deployment.redeploy); modelgov never guesses a script path.
  const redeploy = opts.redeploy ?? `redeploy ${state.service} (set deployment.redeploy in modelgov.config.json to show your deploy command here)`;
  const tip = opts.tip ?? 'HEAD';
  if (state.commitSha) {
    if (facts.notACommitId) {
      return [
        {
          kind: 'deployment-code',
          system,
          subject,
          expected: 'a commit-sha label holding a commit id (7–40 hex digits)',
          actual: `label is not a commit id: ${JSON.stringify(state.commitSha.length > 80 ? state.commitSha.slice(0, 77) + '...' : state.commitSha)}`,
          fix: `${redeploy} with --labels=commit-sha=$(git rev-parse HEAD)`,
        },
      ];
    }
    if (facts.unknownCommit) {
      return [
        {
          kind: 'deployment-code',
          system,
          subject,
          expected: `deployed commit ${state.commitSha.slice(0, 12)} in this repository`,
          actual: 'commit not found (fetch it: git fetch --unshallow, or redeploy)',
          fix: `git fetch origin && ${gitLogCommand(state.commitSha, dirs, tip)}`,
        },
      ];
    }
    const commits = facts.commitsSince ?? [];
    if (commits.length === 0) return [];
    return [
      {
        kind: 'deployment-code',
        system,
        subject,
        expected: `no changes since the deployed commit ${state.commitSha.slice(0, 12)}`,
        actual: `${commits.length} commit(s) since: ${commits.slice(0, 3).join('; ')}${commits.length > 3 ? '; …' : ''}`,
        fix: `${redeploy}; see ${gitLogCommand(state.commitSha, dirs, tip)}`,
      },
    ];
  }
  // No label: compare the revision time with the last change to the source dirs.
  if (facts.lastChange && state.revisionTime && facts.lastChange.time > state.revisionTime) {
    return [
      {
        kind: 'deployment-code',
        system,
        subject,
        expected: `no changes after the revision of ${state.revisionTime}`,
        actual: `changed at ${facts.lastChange.time} (${facts.lastChange.commit.slice(0, 12)}); the service has no commit-sha label`,
        fix: `${redeploy}, labelled commit-sha=$(git rev-parse ${tip}) so drift can compare commits`,
      },
    ];
  }
  return [];
}
