/**
 * A loopback fake of the Cloud Run Admin API v2 as the gax REST transport (`fallback: true`)
 * calls it:
 *   GET /v2/projects/{p}/locations/{r}/services/{s}?$alt=json;enum-encoding=int
 *   GET /v2/projects/{p}/locations/{r}/services/{s}/revisions/{rev}
 * Answers camelCase Service/Revision JSON like the service, 404 with the Google error body for
 * anything unknown, and 401 without a bearer token.
 */
import { type FakeBase, sendError, sendJson, startFakeServer } from './http-fake.js';

export interface FakeServiceSpec {
  /** Env vars of the first container. */
  env?: Record<string, string>;
  image?: string;
  /** Service labels (where `gcloud run deploy --labels` puts `commit-sha`). */
  labels?: Record<string, string>;
  /** Revision template labels. */
  templateLabels?: Record<string, string>;
  /** RFC 3339; omitted from the JSON when null. */
  updateTime?: string | null;
  /** Latest ready revision id (short name) and its creation time. */
  latestReadyRevision?: { name: string; createTime: string };
}

export interface CloudRunFake extends FakeBase {
  /** `project/region/service` → spec. */
  services: Map<string, FakeServiceSpec>;
  setService(project: string, region: string, service: string, spec: FakeServiceSpec): void;
}

export async function startCloudRunFake(): Promise<CloudRunFake> {
  const services = new Map<string, FakeServiceSpec>();

  const serviceJson = (project: string, region: string, name: string, spec: FakeServiceSpec): Record<string, unknown> => {
    const full = `projects/${project}/locations/${region}/services/${name}`;
    const revision = spec.latestReadyRevision ? `${full}/revisions/${spec.latestReadyRevision.name}` : undefined;
    return {
      name: full,
      uid: '6f1f8c43-0000-4000-8000-000000000000',
      generation: '42',
      labels: spec.labels ?? {},
      createTime: '2025-06-01T00:00:00.000000Z',
      ...(spec.updateTime ? { updateTime: spec.updateTime } : {}),
      creator: 'deployer@example.com',
      ingress: 1,
      launchStage: 4,
      template: {
        labels: spec.templateLabels ?? {},
        containers: [
          {
            name: 'worker',
            image: spec.image ?? `us-west2-docker.pkg.dev/${project}/images/${name}:latest`,
            env: Object.entries(spec.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
            resources: { limits: { cpu: '1', memory: '2Gi' } },
            ports: [{ name: 'http1', containerPort: 8080 }],
          },
        ],
        serviceAccount: `worker@${project}.iam.gserviceaccount.com`,
        maxInstanceRequestConcurrency: 80,
      },
      traffic: [{ type: 1, percent: 100 }],
      observedGeneration: '42',
      ...(revision ? { latestReadyRevision: revision, latestCreatedRevision: revision } : {}),
      uri: `https://${name}-abc123-uw.a.run.app`,
      etag: '"CJ-example"',
    };
  };

  const base = await startFakeServer((req, res) => {
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) {
      return sendError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError');
    }
    const m = /^\/v2\/projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)(?:\/revisions\/([^/]+))?$/.exec(req.path);
    if (req.method !== 'GET' || !m) return sendError(res, 404, `The requested URL ${req.path} was not found on this server.`, 'notFound');
    const [, project, region, name, revision] = m;
    const spec = services.get(`${project}/${region}/${name}`);
    if (!spec) {
      return sendError(res, 404, `Resource '${name}' of kind 'SERVICE' in region '${region}' in project '${project}' does not exist.`, 'notFound');
    }
    if (revision) {
      if (spec.latestReadyRevision?.name !== revision) {
        return sendError(res, 404, `Resource '${revision}' of kind 'REVISION' in region '${region}' in project '${project}' does not exist.`, 'notFound');
      }
      return sendJson(res, 200, {
        name: `projects/${project}/locations/${region}/services/${name}/revisions/${revision}`,
        service: name,
        createTime: spec.latestReadyRevision.createTime,
        containers: (serviceJson(project, region, name, spec).template as { containers: unknown[] }).containers,
      });
    }
    sendJson(res, 200, serviceJson(project, region, name, spec));
  }, 'Cloud Run');

  return Object.assign(base, {
    services,
    setService(project: string, region: string, service: string, spec: FakeServiceSpec) {
      services.set(`${project}/${region}/${service}`, spec);
    },
  });
}
