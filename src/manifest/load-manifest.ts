import { ModelgovError, type Validated } from '../errors.js';
import { formatPath, parseJsonText, validate } from '../schema/json-schema.js';
import { MANIFEST_SCHEMA } from './schema.js';
import type { Manifest } from './types.js';

/**
 * Parses and checks a manifest: JSON syntax, the schema, then the invariants. Returns every
 * problem (validators return; the CLI decides), each prefixed with the file and JSON path.
 */
export function parseManifest(text: string, file: string): Validated<Manifest> {
  const parsed = parseJsonText(text, file);
  if (parsed.error) return { errors: [parsed.error], warnings: [] };
  const value = parsed.value;
  const errors = validate(MANIFEST_SCHEMA, value).map((e) => `${file}: ${e}`);
  if (errors.length > 0) return { errors, warnings: [] };
  const manifest = value as Manifest;
  const warnings: string[] = [];
  const inProduction = Object.entries(manifest.models)
    .filter(([, m]) => m.status === 'production')
    .map(([id]) => id);
  if (!(manifest.production_model in manifest.models)) {
    errors.push(
      `${file}: production_model: "${manifest.production_model}" is not a key of models; set it to one of: ${Object.keys(manifest.models).join(', ') || '(no models)'}`,
    );
  }
  if (inProduction.length === 0) {
    errors.push(`${file}: models: no model has status "production"; set models.${manifest.production_model}.status to "production"`);
  } else if (inProduction.length > 1) {
    errors.push(
      `${file}: models: ${inProduction.length} models have status "production" (${inProduction.join(', ')}); exactly one may — set the others to "active", "deprecated" or "archived"`,
    );
  } else if (inProduction[0] !== manifest.production_model && manifest.production_model in manifest.models) {
    errors.push(
      `${file}: production_model: is "${manifest.production_model}" but the model with status "production" is "${inProduction[0]}"; make them agree (or use \`modelgov promote\`)`,
    );
  }
  for (const [id, m] of Object.entries(manifest.models)) {
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
export function parseManifestOrThrow(text: string, file: string, warnings?: string[]): Manifest {
  const r = parseManifest(text, file);
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
