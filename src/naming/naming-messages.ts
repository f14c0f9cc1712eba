/**
 * Every user-facing sentence of the naming module, kept together (architecture rule 6) so
 * wording stays consistent and each problem comes with the fix. Problem texts start with a
 * stable phrase (`old format`, `not a calendar date`, `start after end`, …) that users and
 * scripts can grep for.
 */

/** The file-name convention as users read it in messages and help text. */
export const MODEL_NAME_CONVENTION =
  '{system}_{features}f{_variant…}_train{YYYYMMDD}-{YYYYMMDD}_{YYYYMMDD}_{HHMMSS}{ext}';

const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : '(none)');

const nameCommand = (system: string): string =>
  `\`modelgov name --system ${system} --features N --train-start YYYY-MM-DD --train-end YYYY-MM-DD\``;

/** Problem and fix texts used by parse, format and lint. */
export const namingMessages = {
  // --- problems -----------------------------------------------------------------------
  badSystem: (system: string) =>
    `bad system "${system}": a system id is non-empty and has no slashes or spaces`,
  badFeatures: (features: unknown) => `bad features: ${String(features)} is not a positive integer`,
  leadingZeroFeatures: (raw: string) => `bad features: "${raw}f" has a leading zero`,
  badVariant: (variant: string) =>
    `bad variant "${variant}": a variant is one or more lowercase letters, digits and dots ([a-z0-9.]+)`,
  notCalendarDate: (what: string, value: unknown) =>
    `not a calendar date: ${what} ${typeof value === 'string' ? `"${value}"` : String(value)} (YYYY-MM-DD)`,
  notClockTime: (value: string) => `not a real time: creation time "${value}" (00:00:00–23:59:59)`,
  badAt: (at: unknown) =>
    `not a calendar date: creation time ${at instanceof Date ? 'is an invalid Date' : `"${String(at)}" is not a Date`} (years 0001–9999)`,
  startAfterEnd: (start: string, end: string) =>
    `start after end: training start ${start} is after training end ${end}`,
  endAfterCreation: (end: string, created: string) =>
    `end after creation: training end ${end} is after creation date ${created}`,
  badExtensionSyntax: (ext: unknown) =>
    `bad extension "${String(ext)}": an extension is empty or dot-separated letters and digits, such as .cbm`,
  extensionNotConfigured: (ext: string, system: string, allowed: readonly string[]) =>
    `bad extension: "${ext}" is not an extension of ${system} (artifacts.extensions: ${list(allowed)})`,
  unknownSystem: (head: string, systems: readonly string[]) =>
    `unknown system "${head}": the prefix is not a configured system (configured: ${list(systems)})`,
  noSystemPrefix: (systems: readonly string[]) =>
    `unknown system: the name does not start with a configured system id (configured: ${list(systems)})`,
  oldFormat: () => `old format: the name does not follow ${MODEL_NAME_CONVENTION}`,
  manifestDisagrees: (modelId: string, field: string, nameSays: string, manifestSays: string) =>
    `${field}: name says ${nameSays}, manifest says ${manifestSays} (manifest model "${modelId}")`,

  // --- fixes --------------------------------------------------------------------------
  renameTo: (expected: string) => `rename to ${expected}`,
  renameOldTo: (expected: string, basename: string, system: string) =>
    `rename to ${expected}, or add "${basename}" to artifacts.legacy of ${system} in modelgov.config.json to keep the old name`,
  renameToManifest: (expected: string, modelId: string) =>
    `rename to ${expected} (if the name is right and the manifest is wrong, correct manifest model "${modelId}" instead)`,
  oldFormatFix: (basename: string, system: string) =>
    `rename it to the convention (${nameCommand(system)} prints the name), or add "${basename}" to artifacts.legacy of ${system} in modelgov.config.json`,
  unknownSystemFix: (systems: readonly string[]) =>
    `rename it to start with a configured system id (${list(systems)}), or add its system to modelgov.config.json`,
  badValuesFix: (system: string) =>
    `rename it with the real training window and creation time (start <= end <= creation); ${nameCommand(system)} prints a valid name`,
  manifestFix: (modelId: string) =>
    `rename it to match manifest model "${modelId}", or correct the manifest if the name is right`,
  formatFix:
    'pass --train-start and --train-end as real YYYY-MM-DD dates with start <= end <= the --at date, ' +
    '--features as a positive integer, each --variant as lowercase letters, digits and dots (e.g. q0.43), ' +
    'and --ext like .cbm',

  // --- assembly -----------------------------------------------------------------------
  withFix: (problems: readonly string[], fix: string) => `${problems.join('; ')}. Fix: ${fix}`,
  cannotFormat: (problems: readonly string[]) => `cannot build a model file name: ${problems.join('; ')}`,
} as const;
