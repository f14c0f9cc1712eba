import { isCalendarDate, isClockTime } from '../util/calendar.js';
import { namingMessages as msg } from './naming-messages.js';
import type { ParsedModelName } from './types.js';

/**
 * A variant tag: one or more lowercase ASCII letters, digits and dots, as the training
 * script writes them (`q0.43`, `noveg`, `resid`, `2stg`, `wt`). Underscores are excluded
 * because they separate tags, hyphens because they belong to the training window, and
 * upper case because names must not differ only by case (macOS and Windows would collide).
 */
export const VARIANT_PATTERN = /^[a-z0-9.]+$/;

/**
 * An extension: empty (a bare model id) or one or more `.`-led runs of ASCII letters and
 * digits (`.cbm`, `.tar.gz`). Anything looser could not be told apart from the time.
 */
export const EXTENSION_PATTERN = /^(?:\.[A-Za-z0-9]+)*$/;

/** Slashes would make the name a path; whitespace breaks shells and hooks. */
export const SYSTEM_FORBIDDEN = /[\s/\\]/;

/** Shared so that the common all-good case allocates nothing. */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/**
 * Every rule a conventional name's parts must satisfy, as problem texts; empty when the
 * parts are valid. Parse, format and lint all call this one function, so a name that
 * `formatModelName` writes is exactly a name that `parseModelName` accepts.
 */
export function checkModelName(p: ParsedModelName): readonly string[] {
  // Runs for every linted path: no closures, and an array only once a problem exists.
  let problems: string[] | undefined;

  if (typeof p.system !== 'string' || p.system.length === 0 || SYSTEM_FORBIDDEN.test(p.system)) {
    problems = add(problems, msg.badSystem(String(p.system)));
  }
  if (!Number.isSafeInteger(p.features) || p.features < 1) problems = add(problems, msg.badFeatures(p.features));
  if (!Array.isArray(p.variants)) {
    problems = add(problems, msg.badVariant(String(p.variants)));
  } else {
    for (const v of p.variants) {
      if (typeof v !== 'string' || !VARIANT_PATTERN.test(v)) problems = add(problems, msg.badVariant(String(v)));
    }
  }

  const startOk = typeof p.trainStart === 'string' && isCalendarDate(p.trainStart);
  const endOk = typeof p.trainEnd === 'string' && isCalendarDate(p.trainEnd);
  const createdOk = typeof p.createdDate === 'string' && isCalendarDate(p.createdDate);
  if (!startOk) problems = add(problems, msg.notCalendarDate('training start', p.trainStart));
  if (!endOk) problems = add(problems, msg.notCalendarDate('training end', p.trainEnd));
  if (!createdOk) problems = add(problems, msg.notCalendarDate('creation date', p.createdDate));
  if (typeof p.createdTime !== 'string' || !isClockTime(p.createdTime)) {
    problems = add(problems, msg.notClockTime(String(p.createdTime)));
  }
  // Valid YYYY-MM-DD strings order like the days they name, so plain string comparison works.
  if (startOk && endOk && p.trainStart > p.trainEnd) problems = add(problems, msg.startAfterEnd(p.trainStart, p.trainEnd));
  if (endOk && createdOk && p.trainEnd > p.createdDate) {
    problems = add(problems, msg.endAfterCreation(p.trainEnd, p.createdDate));
  }

  if (typeof p.ext !== 'string' || !EXTENSION_PATTERN.test(p.ext)) problems = add(problems, msg.badExtensionSyntax(p.ext));
  return problems ?? NO_PROBLEMS;
}

function add(problems: string[] | undefined, problem: string): string[] {
  if (problems === undefined) return [problem];
  problems.push(problem);
  return problems;
}
