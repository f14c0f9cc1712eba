import type { JsonSchema } from '../schema/json-schema.js';
import { MODEL_STATUSES } from './types.js';

/**
 * A model id: the registry key and the artifact's base name. Non-empty; no whitespace, control
 * characters (NUL included), format characters (bidi overrides and isolates, zero-width spaces)
 * or lone surrogates — invisible or ill-formed text made two ids look alike or compare unequal
 * with themselves after a round trip through the registry.
 */
export const MODEL_ID_PATTERN = '^[^\\p{White_Space}\\p{Cc}\\p{Cf}\\p{Cs}]+$';

const date = (description: string): JsonSchema => ({ type: 'string', format: 'date', description });
const nullableDate = (description: string): JsonSchema => ({ type: ['string', 'null'], format: 'date', description });

/**
 * The manifest schema: the single source of truth. `npm run schema` writes it to
 * `schema/manifest.schema.json`; a test guards that the shipped file matches.
 */
export const MANIFEST_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://modelgov.dev/schema/manifest.schema.json',
  title: 'modelgov manifest',
  description:
    'The source of truth for the models of one or more systems. Unknown keys are kept and passed through. Invariants checked on load besides this schema: exactly one model has status "production" and it is production_model, or production_model is null and no model is production; training_start <= training_end. Statuses beyond the built-in ones are declared in the config (`statuses`).',
  type: 'object',
  required: ['production_model', 'models'],
  properties: {
    production_model: {
      type: ['string', 'null'],
      minLength: 1,
      pattern: MODEL_ID_PATTERN,
      description: 'Id of the model serving in production; must be a key of models with status "production". null: a fleet with no single champion (then no model has status "production"). One per manifest file, also when several systems share it.',
    },
    models: {
      type: 'object',
      description: 'Models by id. The id is the artifact base name in the team\'s convention.',
      propertyNames: {
        type: 'string',
        pattern: MODEL_ID_PATTERN,
        description: 'A model id: non-empty, without whitespace, control characters, format characters (bidi overrides, zero-width spaces) or lone surrogates.',
      },
      additionalProperties: {
        type: 'object',
        required: ['gcs_path', 'training_start', 'training_end', 'status'],
        properties: {
          gcs_path: { type: 'string', minLength: 1, description: 'Where the artifact lives: gs://bucket/object or a repo-relative path.' },
          model_type: { type: ['string', 'null'], description: 'Model family, e.g. catboost.' },
          model_version: { type: ['string', 'null'], description: 'Version label, e.g. v9.' },
          feature_count: { type: ['integer', 'null'], minimum: 1, description: 'Number of input features.' },
          training_start: date('First day of the training window, YYYY-MM-DD.'),
          training_end: date('Last day of the training window, YYYY-MM-DD; on or after training_start.'),
          training_samples: { type: ['integer', 'null'], minimum: 0, description: 'Rows the model was trained on.' },
          sha256: { type: ['string', 'null'], pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 of the artifact: 64 hex characters.' },
          status: {
            enum: MODEL_STATUSES,
            description: 'Lifecycle status; at most one model is production. Further statuses are valid when the config declares them (`statuses`, e.g. {"blocked": "retired"}).',
          },
          production_since: nullableDate('Day the model became production, YYYY-MM-DD.'),
          production_end_date: nullableDate('Day the model stopped being production, YYYY-MM-DD.'),
          created_at: { type: ['string', 'null'], format: 'date-time', description: 'When the artifact was created (ISO 8601).' },
          created_by: { type: ['string', 'null'], description: 'Who created the artifact.' },
          evaluation: {
            type: ['object', 'null'],
            description: 'Evaluation metrics (numbers) and free text such as note. Gates read these keys.',
            additionalProperties: { type: ['number', 'string', 'boolean', 'null'] },
          },
          deprecation_reason: { type: ['string', 'null'], description: 'Why the model was deprecated or rolled back.' },
        },
      },
    },
  },
};

/** The schema with the config's extra statuses allowed beside the built-in ones. */
export function manifestSchemaWith(extraStatuses: readonly string[]): JsonSchema {
  if (extraStatuses.length === 0) return MANIFEST_SCHEMA;
  const schema = structuredClone(MANIFEST_SCHEMA) as JsonSchema;
  const entry = (schema.properties!.models.additionalProperties as JsonSchema).properties!;
  entry.status = { ...entry.status, enum: [...MODEL_STATUSES, ...extraStatuses] };
  return schema;
}
