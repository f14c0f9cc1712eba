/**
 * Every user-facing sentence of the naming module, kept together so
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
  /** The fix for the problems `formatModelName` found: one clause per broken rule, not every rule. */
  formatFix: (problems: readonly string[]) => {
    const fixes = new Set<string>();
    for (const p of problems) {
      if (p.startsWith('start after end')) fixes.add('pass a --train-start on or before --train-end');
      else if (p.startsWith('end after creation')) fixes.add('the --train-end cannot be after the creation date (--at, default now)');
      else if (p.startsWith('bad variant')) fixes.add('pass each --variant as lowercase letters, digits and dots (e.g. q0.43)');
      else if (p.startsWith('bad features')) fixes.add('pass --features as a positive integer (e.g. 33)');
      else if (p.startsWith('bad extension')) fixes.add('pass --ext like .cbm');
      else if (p.startsWith('bad system')) fixes.add('pass --system as a configured system id');
      else if (p.includes('creation time')) fixes.add('pass --at as an ISO time with a zone (e.g. 2026-02-08T14:47:49Z)');
      else if (p.startsWith('not a calendar date')) fixes.add('pass --train-start and --train-end as real YYYY-MM-DD dates');
    }
    return [...fixes].join('; ') || 'check the flags against `modelgov name --help`';
  },

  // --- assembly -----------------------------------------------------------------------
  withFix: (problems: readonly string[], fix: string) => `${problems.join('; ')}. Fix: ${fix}`,
  cannotFormat: (problems: readonly string[]) =>
    problems.length === 1 ? `cannot build a model file name: ${problems[0]}` : `cannot build a model file name (${problems.length} problems):`,
} as const;
