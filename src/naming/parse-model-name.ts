import { compileModelNameAnalyzer, type ModelNameAnalysis, type ModelNameAnalyzer } from './analyze-model-name.js';
import { namingMessages as msg } from './naming-messages.js';
import type { ParsedModelName } from './types.js';

/*
 * Callers typically parse many names against the same systems; keep the last compiled
 * analyzer. One entry only, so a long-running process never accumulates compiled regexes.
 */
let cache: { key: string; analyze: ModelNameAnalyzer } | undefined;

/**
 * Parses a conventional model file name (a basename, not a path), e.g.
 * `catboost_v9_33f_q0.43_train20251102-20260131_20260210_101010.cbm`. The prefix must be one
 * of `systemIds`; dates must be real, start <= end <= creation date, the time a real time.
 * The extension is whatever follows the time (may be `''`); which extensions a system
 * allows is configuration, checked by `lintNames`. On failure `reason` says why and how
 * to fix it.
 */
export function parseModelName(
  basename: string,
  systemIds: readonly string[],
): { ok: true; value: ParsedModelName } | { ok: false; reason: string } {
  const key = systemIds.join('\u0000');
  if (cache === undefined || cache.key !== key) cache = { key, analyze: compileModelNameAnalyzer(systemIds) };
  const analysis = cache.analyze(basename);
  if (analysis.kind === 'conventional' && analysis.problems.length === 0) {
    return { ok: true, value: analysis.parts };
  }
  return { ok: false, reason: describeFailure(analysis, basename, systemIds) };
}

function describeFailure(a: ModelNameAnalysis, basename: string, systemIds: readonly string[]): string {
  switch (a.kind) {
    case 'conventional':
      return msg.withFix(a.problems, msg.badValuesFix(a.parts.system));
    case 'old-format':
      return msg.withFix([msg.oldFormat()], msg.oldFormatFix(basename, a.system));
    case 'unknown-system':
      return msg.withFix([msg.unknownSystem(a.head, systemIds)], msg.unknownSystemFix(systemIds));
    case 'unrecognized':
      return msg.withFix([msg.noSystemPrefix(systemIds)], msg.unknownSystemFix(systemIds));
  }
}
