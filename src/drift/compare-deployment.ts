import type { Manifest } from '../manifest/types.js';
import type { DeploymentState } from '../ports.js';
import type { Finding } from './types.js';

/** The exact command that points a service at a model, as `gcloud` takes it. */
export function deployCommand(state: Pick<DeploymentState, 'service' | 'region' | 'project'>, env: string, gcsPath: string): string {
  const region = state.region ? ` --region=${state.region}` : ' --region=<region>';
  const project = state.project ? ` --project=${state.project}` : '';
  return `gcloud run services update ${state.service}${region}${project} --update-env-vars="${env}=${gcsPath}"`;
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
  /** Without a commit-sha label: the last change to the source dirs (ISO) and its commit. */
  lastChange?: { time: string; commit: string } | null;
}

/** The deployed code against the commits that touched the service's source since. */
export function compareDeploymentCode(system: string, state: DeploymentState, dirs: string[], facts: CodeFacts): Finding[] {
  const subject = `${state.service} ${dirs.join(' ')}`;
  const redeploy = `redeploy ${state.service} (e.g. ./bin/deploy-service.sh ${state.service})`;
  if (state.commitSha) {
    if (facts.unknownCommit) {
      return [
        {
          kind: 'deployment-code',
          system,
          subject,
          expected: `deployed commit ${state.commitSha.slice(0, 12)} in this repository`,
          actual: 'commit not found (fetch it: git fetch --unshallow, or redeploy)',
          fix: `git fetch origin && git log --oneline ${state.commitSha}..HEAD -- ${dirs.join(' ')}`,
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
        fix: `${redeploy}; see git log --oneline ${state.commitSha}..HEAD -- ${dirs.join(' ')}`,
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
        fix: `${redeploy} with --labels=commit-sha=$(git rev-parse HEAD) so drift can compare commits`,
      },
    ];
  }
  return [];
}
