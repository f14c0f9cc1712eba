/** modelgov's library API: what hooks, CI scripts and tests import. */
export { main } from './cli/main.js';
export { ModelgovError, isModelgovError } from './errors.js';
export type { ErrorCode, Validated } from './errors.js';
export { loadConfig, findConfig, parseConfig } from './config/load-config.js';
export type { ModelgovConfig, SystemConfig, GateConfig, LoadedConfig } from './config/types.js';
export { parseManifest, parseManifestOrThrow } from './manifest/load-manifest.js';
export type { Manifest, ModelEntry, ModelStatus, LoadedManifest } from './manifest/types.js';
export { MANIFEST_SCHEMA } from './manifest/schema.js';
export { CONFIG_SCHEMA } from './config/schema.js';
export type * from './ports.js';
export { manifestToRows, modelToRow } from './sync/to-rows.js';
export { planSync } from './sync/plan-sync.js';
export { lintNames, parseModelName, formatModelName } from './naming/index.js';
export type { NameViolation, NamingContext, ParsedModelName } from './naming/index.js';
export { updateDocs, findMarkers, renderSection, TEMPLATE_FIELDS } from './docs/index.js';
export { evaluateGates } from './gates/evaluate-gates.js';
export { productionAt } from './gates/production-at.js';
