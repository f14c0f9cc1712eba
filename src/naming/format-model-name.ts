import { ModelgovError } from '../errors.js';
import { checkModelName } from './check-model-name.js';
import { namingMessages as msg } from './naming-messages.js';
import { renderModelName } from './render-model-name.js';
import type { ParsedModelName } from './types.js';

/** Input of `formatModelName`: the facts of a model plus the moment its file was written. */
export interface ModelNameInput {
  system: string;
  features: number;
  variants?: readonly string[];
  /** `YYYY-MM-DD`. */
  trainStart: string;
  /** `YYYY-MM-DD`. */
  trainEnd: string;
  /** Creation moment, rendered in UTC so the name does not depend on the machine's zone. */
  at: Date;
  /** E.g. `.cbm`; `''` gives a bare model id. */
  ext: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `at` as UTC `YYYY-MM-DD` and `HH:MM:SS` (seconds truncated), or undefined if unusable. */
function utcStamp(at: unknown): { date: string; time: string } | undefined {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) return undefined;
  const year = at.getUTCFullYear();
  // A name has four year digits; outside 0001–9999 it could not be parsed back.
  if (year < 1 || year > 9999) return undefined;
  return {
    date: `${pad(year, 4)}-${pad(at.getUTCMonth() + 1, 2)}-${pad(at.getUTCDate(), 2)}`,
    time: `${pad(at.getUTCHours(), 2)}:${pad(at.getUTCMinutes(), 2)}:${pad(at.getUTCSeconds(), 2)}`,
  };
}

/**
 * Builds the conventional file name, e.g.
 * `catboost_v9_33f_q0.43_train20251102-20260131_20260210_101010.cbm`. Refuses to write a
 * name that `parseModelName` or `lintNames` would reject: throws `ModelgovError('USAGE')`
 * listing every problem (dates not `YYYY-MM-DD` calendar dates, start after end, end after
 * the `at` date, a variant outside `[a-z0-9.]+`, features not a positive integer, a bad
 * system id or extension, an invalid `at`).
 */
export function formatModelName(p: ModelNameInput): string {
  const stamp = utcStamp(p.at);
  if (stamp === undefined) {
    const problems = [msg.badAt(p.at)];
    throw new ModelgovError('USAGE', msg.cannotFormat(problems), { fix: msg.formatFix(problems) });
  }
  const parts: ParsedModelName = {
    system: p.system,
    features: p.features,
    // Copied so a later change to the caller's array cannot alter what was validated; a
    // non-array from untyped JS is passed on as is for checkModelName to report.
    variants: p.variants === undefined ? [] : Array.isArray(p.variants) ? [...p.variants] : (p.variants as unknown as string[]),
    trainStart: p.trainStart,
    trainEnd: p.trainEnd,
    createdDate: stamp.date,
    createdTime: stamp.time,
    ext: p.ext,
  };
  const problems = checkModelName(parts);
  if (problems.length > 0) {
    throw new ModelgovError('USAGE', msg.cannotFormat(problems), { fix: msg.formatFix(problems), details: problems.length > 1 ? [...problems] : [] });
  }
  return renderModelName(parts);
}
