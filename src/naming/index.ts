/**
 * Model file names: parse, format and lint `{system}_{features}f{_variant…}_train{YYYYMMDD}-
 * {YYYYMMDD}_{YYYYMMDD}_{HHMMSS}{ext}`. Pure: no IO, no clock (the caller passes `at`).
 */
export { formatModelName, type ModelNameInput } from './format-model-name.js';
export { lintNames } from './lint-names.js';
export { MODEL_NAME_CONVENTION } from './naming-messages.js';
export { parseModelName } from './parse-model-name.js';
export type { LintNamesResult, NameViolation, NamingContext, ParsedModelName } from './types.js';
