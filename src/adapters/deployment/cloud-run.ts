/**
 * Deployment reader for `cloudrun:project/region/service`: what the service serves right now,
 * read with the Cloud Run Admin API v2 (`ServicesClient`) over its REST transport
 * (`fallback: true`): no gRPC channel to set up, it passes HTTP proxies, and emulators and test
 * fakes speak plain HTTP+JSON.
 */
import type { ServicesClient as ServicesClientType, protos } from '@google-cloud/run';
import { ModelgovError, isModelgovError } from '../../errors.js';
import { parseLocationOf } from '../../config/location.js';
import type { AdapterOptions, DeploymentReader, DeploymentState } from '../../ports.js';
import { credentialsCheck, keyFileOptions, placeholderAuthClient, readKeyFile } from '../google/auth.js';
import { callGoogle, callSettings } from '../google/call.js';
import type { GoogleContext, Operation } from '../google/context.js';
import { endpointOverride } from '../google/endpoints.js';

const GET_SERVICE: Operation = {
  what: 'read the Cloud Run service',
  permission: 'run.services.get',
  role: 'roles/run.viewer',
  idempotent: true,
};
const GET_REVISION: Operation = {
  what: 'read the latest Cloud Run revision',
  permission: 'run.revisions.get',
  role: 'roles/run.viewer',
  idempotent: true,
};

type ProtoTimestamp = { seconds?: number | string | { toString(): string } | null; nanos?: number | null } | null | undefined;

function isoOf(t: ProtoTimestamp): string | null {
  if (!t || t.seconds === undefined || t.seconds === null) return null;
  const ms = Number(String(t.seconds)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Creates the Cloud Run reader. The Cloud Run SDK is imported here, not at module load. */
export async function createCloudRunReader(location: string, opts: AdapterOptions): Promise<DeploymentReader> {
  const { project, region, service } = parseLocationOf('deployment.service', location, 'cloudrun', opts.root);
  const endpoint = endpointOverride('cloudrun', opts.env, opts.warn);
  const ctx: GoogleContext = { service: 'cloudrun', location, endpoint, settings: callSettings(opts) };
  const { ServicesClient, RevisionsClient } = await import('@google-cloud/run');

  const authClient = opts.authClient ?? (endpoint ? await placeholderAuthClient() : undefined);
  let clientOptions: Record<string, unknown> = { fallback: true };
  let host = 'run.googleapis.com';
  if (endpoint) {
    const u = new URL(endpoint.url);
    host = u.hostname.replace(/^\[|\]$/g, '');
    clientOptions = {
      ...clientOptions,
      apiEndpoint: host,
      port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80),
      protocol: u.protocol.replace(':', ''),
    };
  }
  const key = authClient ? undefined : readKeyFile(opts.env);
  if (authClient) clientOptions.authClient = authClient;
  else Object.assign(clientOptions, keyFileOptions(key));
  const services: ServicesClientType = new ServicesClient(clientOptions as ConstructorParameters<typeof ServicesClient>[0]);
  // Retries are ours (bounded, short backoff); gax would start at 1 s.
  const callOptions = { retry: { retryCodes: [] } } as never;

  const ensureCredentials = credentialsCheck(
    () => (services as unknown as { auth: { getClient(): Promise<unknown> } }).auth.getClient(),
    ctx,
    Boolean(authClient),
    key,
  );

  const notFound = (err: ModelgovError): ModelgovError =>
    new ModelgovError('NOT_FOUND', `The Cloud Run service "${service}" does not exist in project ${project}, region ${region} (${location}).`, {
      file: location,
      cause: err.cause,
      fix:
        `Check "deployment.service" in modelgov.config.json (cloudrun:<project>/<region>/<service>); ` +
        `list the services with: gcloud run services list --project=${project} --region=${region}`,
    });

  return {
    location,
    async read(envName): Promise<DeploymentState> {
      await ensureCredentials(GET_SERVICE);
      const name = services.servicePath(project, region, service);
      let svc: protos.google.cloud.run.v2.IService;
      try {
        [svc] = await callGoogle(ctx, GET_SERVICE, () => services.getService({ name }, callOptions), { destroyRequestsTo: host });
      } catch (err) {
        if (isModelgovError(err) && err.code === 'NOT_FOUND') throw notFound(err);
        throw err;
      }
      const container = svc.template?.containers?.[0];
      const env = container?.env?.find((e) => e.name === envName);
      const commitSha = svc.labels?.['commit-sha'] ?? svc.template?.labels?.['commit-sha'] ?? null;

      let revisionTime = isoOf(svc.updateTime as ProtoTimestamp);
      if (!revisionTime && svc.latestReadyRevision) {
        const revisions = new RevisionsClient(clientOptions as ConstructorParameters<typeof RevisionsClient>[0]);
        try {
          const [rev] = await callGoogle(ctx, GET_REVISION, () => revisions.getRevision({ name: svc.latestReadyRevision! }, callOptions), {
            destroyRequestsTo: host,
          });
          revisionTime = isoOf(rev.createTime as ProtoTimestamp);
        } catch (err) {
          // The time is informational; an unreadable revision must not hide the service's state.
          if (!(isModelgovError(err) && err.code === 'NOT_FOUND')) throw err;
        } finally {
          await revisions.close();
        }
      }
      return {
        service,
        region,
        project,
        // A value from a secret (valueSource) is not readable here: reported as absent.
        modelPath: env?.value ? env.value : null,
        commitSha,
        revisionTime,
        image: container?.image ?? null,
      };
    },
  };
}
