import type { JsonSchema } from '../schema/json-schema.js';

const gate: JsonSchema = {
  type: 'object',
  required: ['id', 'metric'],
  additionalProperties: false,
  description: 'One gate: a metric of the model\'s evaluation and a threshold.',
  properties: {
    id: { type: 'string', minLength: 1, description: 'Gate id shown in reports.' },
    metric: { type: 'string', minLength: 1, description: 'Key of the model\'s evaluation object.' },
    min: { type: 'number', description: 'Pass when value >= min.' },
    max: { type: 'number', description: 'Pass when value <= max.' },
    abs_max: { type: 'number', description: 'Pass when |value| <= abs_max.' },
    better_than: { enum: ['production'], description: 'Pass when the value beats the production model\'s value of the same metric.' },
    direction: { enum: ['lower', 'higher'], description: 'For better_than: which direction is better (default lower, for error metrics).' },
    min_sample: {
      type: 'object',
      required: ['metric', 'value'],
      additionalProperties: false,
      description: 'Also require evaluation[metric] >= value (e.g. enough graded bets).',
      properties: { metric: { type: 'string' }, value: { type: 'number' } },
    },
    systems: { type: 'array', items: { type: 'string' }, description: 'Only for these systems (default: all).' },
    severity: {
      enum: ['block', 'warn', 'off'],
      description: 'block (default): a failure refuses promote; warn: a failure is reported but does not block promote (a soft gate); off: not evaluated.',
    },
  },
};

const PRE_PUSH_SEVERITY: JsonSchema = { enum: ['block', 'warn', 'off', 'touched'] };

/** The built-in duplicate-window gate takes only a severity: its rule is fixed. */
const builtinGate: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Settings of the built-in duplicate-window gate (same system, training window, feature count and variant tags; retired twins never count).',
  properties: {
    severity: { enum: ['block', 'warn', 'off'], description: 'block (default), warn (report without blocking promote) or off.' },
  },
};

/** Statuses a team may add (config `statuses`) mean one of these: a built-in status or the retired category. */
export const EXTRA_STATUS_MEANINGS = ['active', 'shadow', 'testing', 'untested', 'deprecated', 'archived', 'rolled_back', 'retired'] as const;

/** The config schema: the single source of truth, shipped as `schema/config.schema.json`. */
export const CONFIG_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://modelgov.dev/schema/config.schema.json',
  title: 'modelgov.config.json',
  description: 'Where each place of a team\'s model facts lives. Locations are strings, so moving to the cloud is one edit.',
  type: 'object',
  required: ['systems'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored.' },
    registry: {
      type: 'string',
      pattern: '^(duckdb:.+|bigquery:[^.]+\\.[^.]+\\.[^.]+)$',
      description: 'Registry location: duckdb:<path>[#table] or bigquery:<project>.<dataset>.<table>. Default duckdb:.modelgov/registry.duckdb.',
    },
    location: { type: 'string', description: 'BigQuery dataset location for created tables, e.g. US.' },
    offline: { enum: ['warn', 'fail'], description: 'What an unreachable source means for drift (default fail: exit 2).' },
    timeoutMs: {
      type: 'integer',
      minimum: 100,
      maximum: 600000,
      description: 'Per-request timeout for cloud backends in ms, 100 (0.1 s) to 600000 (10 min); default 10000.',
    },
    systems: {
      type: 'array',
      minItems: 1,
      description: 'One entry per model system (a manifest).',
      items: {
        type: 'object',
        required: ['id', 'manifest'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_]*$', description: 'System id: lowercase letters, digits and underscores, e.g. catboost_v9.' },
          manifest: {
            type: 'string',
            minLength: 1,
            description: 'Manifest location: a repo-relative path or gs://bucket/object. Several systems may share one manifest; each takes its models by `select` or by id prefix.',
          },
          select: {
            type: 'object',
            required: ['field'],
            additionalProperties: false,
            description:
              'Which models of a shared manifest belong to this system, by a field of the model entry, e.g. {"field": "model_version", "equals": "v12"}. Without it a system takes the models whose id starts with its id (longest configured id wins); a system alone on its manifest takes every model.',
            properties: {
              field: { type: 'string', minLength: 1, description: 'Key of the model entry, e.g. model_version.' },
              equals: { type: ['string', 'number', 'boolean'], description: 'The model belongs to this system when entry[field] equals this value.' },
              in: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] }, description: 'The model belongs to this system when entry[field] is one of these values.' },
            },
          },
          artifacts: {
            type: 'object',
            additionalProperties: false,
            properties: {
              extensions: {
                type: 'array',
                items: { type: 'string', pattern: '^\\.[A-Za-z0-9]+$', description: 'An extension with its dot, e.g. .cbm.' },
                description: 'Model file extensions (default [".cbm"], or the extensions the include globs end with). Without include, any path with one of them is a model file of this system.',
              },
              include: {
                type: 'array',
                minItems: 1,
                items: { type: 'string', minLength: 1, description: 'A repo-relative path glob (picomatch syntax), e.g. models/lgbm/**/*.txt.' },
                description: 'Path globs of this system\'s model files. With include, only matching paths are model files (and, when extensions is set too, only those with one of the extensions), so requirements.txt is not a LightGBM model.',
              },
              legacy: { type: 'array', items: { type: 'string' }, description: 'File names allowed as they are.' },
              dir: { type: 'string', description: 'Local directory holding artifacts by base name (validate without GCS).' },
            },
          },
          deployment: {
            type: 'object',
            required: ['service', 'env'],
            additionalProperties: false,
            properties: {
              service: { type: 'string', pattern: '^(cloudrun:[^/]+/[^/]+/[^/]+|[^:]+)$', description: 'Service YAML path or cloudrun:<project>/<region>/<service>.' },
              env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Env var holding the production model path.' },
              sourceDirs: { type: 'array', items: { type: 'string' }, description: 'Source directories of the service (deployment-code drift).' },
              redeploy: {
                type: 'string',
                minLength: 1,
                description: 'The command that redeploys the service, shown as the fix of deployment-code drift, e.g. ./bin/deploy-service.sh prediction-worker (default: the gcloud command).',
              },
            },
          },
          docs: { type: 'array', items: { type: 'string' }, description: 'Docs files with modelgov markers, e.g. CLAUDE.md.' },
          docsTemplate: { type: 'string', description: 'Template file for the docs section (repo-relative).' },
          history: {
            type: 'string',
            minLength: 1,
            pattern: '^(?!gs://).+\\.jsonl$',
            description: 'Audit history file (JSON Lines, tracked in git, merge=union), repo-relative. Default: history.jsonl beside a local manifest; a gs:// manifest keeps its history in the registry.',
          },
        },
      },
    },
    gates: { type: 'array', items: gate, description: 'Governance gates evaluated by gates and promote.' },
    prePush: {
      type: 'object',
      additionalProperties: false,
      description:
        'What the pre-push hook does with each kind of finding about the pushed commits: block the push, warn, or ignore it (off). "touched" blocks when the push touches the system (its manifest, docs, template, service file, model files, sourceDirs or the config) and warns otherwise.',
      properties: {
        manifest: { ...PRE_PUSH_SEVERITY, description: 'An invalid or missing manifest at a pushed tip (default block).' },
        docs: { ...PRE_PUSH_SEVERITY, description: 'A docs section at a pushed tip that its manifest would render differently (default block).' },
        filename: { ...PRE_PUSH_SEVERITY, description: 'A bad model file name added in the pushed commits or listed in the manifest (default block).' },
        registry: { ...PRE_PUSH_SEVERITY, description: 'The registry disagrees with the pushed manifest (default warn: `modelgov sync` and CI\'s `modelgov drift` keep it in line).' },
        'deployment-model': { ...PRE_PUSH_SEVERITY, description: 'The service serves another model than the pushed manifest\'s production model (default touched).' },
        'deployment-code': { ...PRE_PUSH_SEVERITY, description: 'The service\'s source dirs changed after the deployed commit (default warn).' },
        offline: { enum: ['warn', 'fail'], description: 'A source the hook cannot read (no credentials, offline): warn (default; CI enforces it) or fail (block the push).' },
      },
    },
    builtinGates: {
      type: 'object',
      additionalProperties: false,
      description: 'Settings of the gates modelgov always runs.',
      properties: { 'duplicate-window': builtinGate },
    },
    statuses: {
      type: 'object',
      description:
        'Extra model statuses the team uses, each with what it means: a built-in status (active, shadow, testing, untested, deprecated, archived, rolled_back) or the category "retired". E.g. {"blocked": "retired"}. A model with an extra status behaves as that meaning everywhere (docs, validate, the duplicate-window gate); the manifest keeps the status as written.',
      additionalProperties: { enum: EXTRA_STATUS_MEANINGS },
    },
    promote: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sync: { type: 'boolean', description: 'Run sync after a promotion (default true).' },
        docs: { type: 'boolean', description: 'Regenerate docs after a promotion (default true).' },
      },
    },
  },
};
