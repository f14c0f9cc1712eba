import { isModelgovError, ModelgovError } from '../../errors.js';
import { readTextFile } from '../../util/text-file.js';
import type { DeploymentReader, DeploymentState } from '../../ports.js';
import { instantToIso } from '../../util/instant.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Project id from a container image path (Artifact Registry or gcr.io), when it names one. */
export function projectFromImage(image: string | null): string | null {
  if (!image) return null;
  const ar = /^[a-z0-9-]+-docker\.pkg\.dev\/([^/]+)\//.exec(image);
  if (ar) return ar[1];
  const gcr = /^(?:[a-z]+\.)?gcr\.io\/([^/]+)\//.exec(image);
  return gcr ? gcr[1] : null;
}

/**
 * Reads a Cloud Run service as `gcloud run services describe S --format export` writes it
 * (a Knative Service object). The embedded default for the deployment place: teams commit
 * this file, or CI refreshes it, and drift compares it with the manifest.
 */
export function parseServiceYaml(text: string, file: string, envName: string, parse: (t: string) => unknown): DeploymentState {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const where = err.linePos?.[0] ? `:${err.linePos[0].line}:${err.linePos[0].col}` : '';
    throw new ModelgovError('SERVICE_INVALID', `${file}${where}: invalid YAML (${err.message.split('\n')[0]})`, {
      file,
      fix: 'Regenerate it with `gcloud run services describe <service> --region <region> --format export > ' + file + '`.',
    });
  }
  const bad = (path: string, what: string) =>
    new ModelgovError('SERVICE_INVALID', `${file}: ${path}: ${what}`, {
      file,
      fix: 'Expected a Cloud Run service as written by `gcloud run services describe <service> --format export`.',
    });
  if (!isObj(doc)) throw bad('(root)', 'not a YAML mapping');
  if (doc.kind !== undefined && doc.kind !== 'Service') throw bad('kind', `is "${String(doc.kind)}", expected "Service"`);
  const metadata = doc.metadata;
  if (!isObj(metadata) || typeof metadata.name !== 'string') throw bad('metadata.name', 'missing');
  const template = doc.spec?.template;
  if (!isObj(template)) throw bad('spec.template', 'missing');
  const containers = template.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0 || !isObj(containers[0])) throw bad('spec.template.spec.containers', 'missing or empty');
  const container = containers[0];
  const env = container.env ?? [];
  if (!Array.isArray(env)) throw bad('spec.template.spec.containers[0].env', 'not a list');
  const entry = env.find((e: unknown) => isObj(e) && e.name === envName) as Obj | undefined;
  const labels: Obj = isObj(metadata.labels) ? metadata.labels : {};
  const tplLabels: Obj = isObj(template.metadata?.labels) ? template.metadata.labels : {};
  const annotations: Obj = isObj(metadata.annotations) ? metadata.annotations : {};
  const image = typeof container.image === 'string' ? container.image : null;
  const conditions: Obj[] = Array.isArray(doc.status?.conditions) ? doc.status.conditions : [];
  const ready = conditions.find((c) => c?.type === 'Ready')?.lastTransitionTime;
  const rawTime: unknown = ready ?? metadata.creationTimestamp ?? null;
  const revisionTime = rawTime === null ? null : instantToIso(rawTime);
  if (rawTime !== null && revisionTime === undefined) {
    throw bad(ready ? 'status.conditions[Ready].lastTransitionTime' : 'metadata.creationTimestamp', `${JSON.stringify(rawTime)} is not an ISO 8601 instant with a zone (e.g. 2026-02-08T14:47:49Z)`);
  }
  // Labels are strings whatever they look like; a mapping or list where a label belongs is kept
  // as its JSON text, which drift then reports as "not a commit id".
  const sha: unknown = labels['commit-sha'] ?? tplLabels['commit-sha'] ?? null;
  const commitSha = sha === null || typeof sha === 'string' ? sha : JSON.stringify(sha);
  return {
    service: metadata.name,
    region: labels['cloud.googleapis.com/location'] ?? null,
    project: annotations['run.googleapis.com/project'] ?? projectFromImage(image),
    modelPath: entry && typeof entry.value === 'string' ? entry.value : null,
    commitSha,
    revisionTime: revisionTime ?? null,
    image,
  };
}

export function createServiceYamlReader(file: string, location: string): DeploymentReader {
  return {
    location,
    async read(envName) {
      let text: string;
      try {
        text = readTextFile(file, location);
      } catch (e) {
        if (isModelgovError(e)) throw e; // a FIFO or directory, not UTF-8
        throw new ModelgovError('SERVICE_INVALID', `${location}: cannot read the service file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
          file: location,
          fix: `Write it with \`gcloud run services describe <service> --format export > ${location}\` or fix deployment.service in modelgov.config.json.`,
        });
      }
      // yaml is CommonJS: bundled, its named exports sit on `default`.
      const mod: any = await import('yaml');
      const parse: typeof import('yaml').parse = mod.parse ?? mod.default.parse;
      // The failsafe schema keeps every scalar a string: a commit-sha label `5171018` or `1e5`
      // and an env value `0123` are text, as Cloud Run stores them, never YAML numbers.
      return parseServiceYaml(text, location, envName, (t) => parse(t, { prettyErrors: true, schema: 'failsafe' }));
    },
  };
}
