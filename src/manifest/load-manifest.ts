import { ModelgovError, type Validated } from '../errors.js';
import { GS_FIX, locationKind, splitGsUri } from '../config/location.js';
import { validate as validateManifest } from '../schema/generated/manifest-validator.js';
import { formatPath, hasOwn, parseJsonText } from '../schema/json-schema.js';
import { schemaErrors } from '../schema/schema-errors.js';
import { MANIFEST_SCHEMA } from './schema.js';
import type { ExtraStatuses } from './statuses.js';
import type { Manifest } from './types.js';

/** What the config adds to the manifest rules. */
export interface ManifestRules {
  /** Extra statuses the config declares (`statuses`), valid beside the built-in ones. */
  statuses?: ExtraStatuses;
}

/**
 * Parses and checks a manifest: JSON syntax, the schema, then the invariants. Returns every
 * problem (validators return; the CLI decides), each prefixed with the file and JSON path.
 */
export function parseManifest(text: string, file: string, rules: ManifestRules = {}): Validated<Manifest> {
  const parsed = parseJsonText(text, file);
  if (parsed.error) return { errors: [parsed.error], warnings: [] };
  const value = parsed.value;
  // The generated validator knows the built-in statuses: a declared extra status is checked as
  // the built-in it means (the manifest keeps it as written).
  const errors = schemaErrors(validateManifest, MANIFEST_SCHEMA, withBuiltinStatuses(value, rules.statuses ?? {})).map((e) => `${file}: ${explainStatus(e)}`);
  if (errors.length > 0) return { errors, warnings: [] };
  const manifest = value as Manifest;
  const warnings: string[] = [];
  const inProduction = Object.entries(manifest.models)
    .filter(([, m]) => m.status === 'production')
    .map(([id]) => id);
  if (manifest.production_model === null) {
    // A fleet with no single champion: valid, as long as no model claims to be it.
    if (inProduction.length > 0) {
      errors.push(
        `${file}: production_model: is null but ${inProduction.join(', ')} ${inProduction.length === 1 ? 'has' : 'have'} status "production"; set production_model to ${inProduction.length === 1 ? `"${inProduction[0]}"` : 'one of them'} or give ${inProduction.length === 1 ? 'it' : 'them'} another status`,
      );
    }
  } else if (!hasOwn(manifest.models, manifest.production_model)) {
    errors.push(
      `${file}: production_model: "${manifest.production_model}" is not a key of models; set it to one of: ${Object.keys(manifest.models).join(', ') || '(no models)'}`,
    );
  }
  if (manifest.production_model === null) {
    // reported above
  } else if (inProduction.length === 0) {
    errors.push(
      `${file}: models: no model has status "production"; set models.${manifest.production_model}.status to "production" (or production_model to null for a fleet with no single champion)`,
    );
  } else if (inProduction.length > 1) {
    errors.push(
      `${file}: models: ${inProduction.length} models have status "production" (${inProduction.join(', ')}); exactly one may — set the others to "active", "deprecated" or "archived"`,
    );
  } else if (inProduction[0] !== manifest.production_model && hasOwn(manifest.models, manifest.production_model)) {
    errors.push(
      `${file}: production_model: is "${manifest.production_model}" but the model with status "production" is "${inProduction[0]}"; make them agree (or use \`modelgov promote\`)`,
    );
  }
  for (const [id, m] of Object.entries(manifest.models)) {
    // A gcs_path is gs://bucket/object or a repo-relative path; anything else with a scheme
    // (s3://, http://, a malformed gs://) would be printed into a deploy command or fetched.
    const kind = locationKind(m.gcs_path);
    if (kind !== 'local' && !splitGsUri(m.gcs_path)) {
      errors.push(`${file}: ${formatPath(['models', id, 'gcs_path'])}: ${JSON.stringify(m.gcs_path)} is not a well-formed gs://bucket/object URI (nor a repo-relative path); ${GS_FIX.replace(/^W/, 'w')}`);
    }
    for (const [metric, v] of Object.entries(m.evaluation ?? {})) {
      // pandas and friends write NaN/Infinity as strings; such a "metric" must not reach a gate.
      if (typeof v === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(v.trim())) {
        errors.push(`${file}: ${formatPath(['models', id, 'evaluation', metric])}: ${JSON.stringify(v)} is not a finite number; write the metric as a number, or null when it is unknown`);
      }
    }
    if (m.training_start > m.training_end) {
      errors.push(
        `${file}: ${formatPath(['models', id, 'training_start'])}: ${m.training_start} is after training_end ${m.training_end}; fix the training window`,
      );
    }
    if (m.status === 'production' && !m.production_since) {
      warnings.push(`${file}: ${formatPath(['models', id, 'production_since'])}: not set for the production model`);
    }
  }
  return errors.length > 0 ? { errors, warnings } : { value: manifest, errors, warnings };
}

/** Like parseManifest, but throws one MANIFEST_INVALID error listing every problem. */
export function parseManifestOrThrow(text: string, file: string, rules: ManifestRules = {}, warnings?: string[]): Manifest {
  const r = parseManifest(text, file, rules);
  warnings?.push(...r.warnings);
  if (!r.value) {
    throw new ModelgovError('MANIFEST_INVALID', r.errors[0], {
      file,
      details: r.errors.slice(1),
      fix: `Fix ${file} (the source of truth) and run the command again; the JSON Schema is schema/manifest.schema.json.`,
    });
  }
  return r.value;
}

/** An unknown status names the way out: declare it in the config with what it means. */
function explainStatus(message: string): string {
  if (!/^models\..+\.status: .* is not one of /.test(message) && !/^models\[.+\]\.status: .* is not one of /.test(message)) return message;
  const status = /status: (".*?") is not one of/.exec(message)?.[1] ?? '"…"';
  return `${message}; or declare it in modelgov.config.json with what it means, e.g. "statuses": {${status}: "retired"}`;
}

/** A shallow copy whose declared extra statuses read as a built-in one, for the schema check only. */
function withBuiltinStatuses(value: unknown, extra: ExtraStatuses): unknown {
  const models = (value as { models?: unknown })?.models;
  if (Object.keys(extra).length === 0 || models === null || typeof models !== 'object' || Array.isArray(models)) return value;
  const out: Record<string, unknown> = {};
  for (const [id, m] of Object.entries(models as Record<string, unknown>)) {
    const status = (m as { status?: unknown } | null)?.status;
    out[id] = typeof status === 'string' && hasOwn(extra, status) && m !== null && typeof m === 'object' ? { ...m, status: 'archived' } : m;
  }
  return { ...(value as object), models: out };
}
