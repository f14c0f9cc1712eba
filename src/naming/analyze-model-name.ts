import { checkModelName } from './check-model-name.js';
import { isoDateFromCompact, isoTimeFromCompact } from '../util/calendar.js';
import { namingMessages as msg } from './naming-messages.js';
import type { ParsedModelName } from './types.js';

/** How a basename relates to the convention; lint and parse turn this into messages. */
export type ModelNameAnalysis =
  /** Shaped like the convention with a configured system; `problems` empty means valid. */
  | { kind: 'conventional'; parts: ParsedModelName; problems: readonly string[] }
  /** Shaped like the convention, but the prefix is no configured system. */
  | { kind: 'unknown-system'; head: string }
  /** Starts with a configured system id but is not shaped like the convention. */
  | { kind: 'old-format'; system: string }
  /** Neither shaped like the convention nor starting with a configured system id. */
  | { kind: 'unrecognized' };

/** Judges one basename; compiled once per list of system ids. */
export type ModelNameAnalyzer = (basename: string) => ModelNameAnalysis;

/*
 * The part after `{system}_`. Deliberately looser than the rules (any digits for features,
 * any underscore-free text for variants, anything dot-led for the extension) so that a name
 * that is almost right gets a precise reason ("bad variant", "leading zero") from
 * `checkModelName` instead of a blanket "old format". Variants are matched lazily so the
 * first `_train{8 digits}-` that lets the rest match ends them; tags are split on `_`, so
 * the match is linear in the name length.
 */
const REST_SOURCE = String.raw`(\d+)f((?:_[^_]*)*?)_train(\d{8})-(\d{8})_(\d{8})_(\d{6})((?:\.[^/\\]*)?)$`;

/** The whole convention with an arbitrary head, to tell "unknown system" from "old format". */
const ANY_HEAD = new RegExp(String.raw`^(.+?)_\d+f(?:_[^_]*)*?_train\d{8}-\d{8}_\d{8}_\d{6}(?:\.[^/\\]*)?$`);

const UNDERSCORE = 95;
const DOT = 46;

/**
 * Compiles a basename analyzer for the given system ids. Ids may contain underscores
 * (`catboost_v9`), so the name is split by trying the configured ids, longest first, rather
 * than at an underscore; the first id for which the rest of the name has the conventional
 * shape wins, so `catboost_v9_…` belongs to `catboost_v9` even when `catboost` is configured.
 */
export function compileModelNameAnalyzer(systemIds: readonly string[]): ModelNameAnalyzer {
  const ids = [...new Set(systemIds)]
    .filter((id) => typeof id === 'string' && id.length > 0)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const known = new Set(ids);
  // Sticky, so the rest is matched in place at `lastIndex` without slicing the basename.
  const rest = new RegExp(REST_SOURCE, 'y');

  return (basename) => {
    let prefixSystem: string | undefined;
    for (const id of ids) {
      if (!basename.startsWith(id)) continue;
      const next = basename.charCodeAt(id.length);
      // `catboost_v9.cbm` or `catboost_v9` alone still name the system: an old-style name.
      if (next !== UNDERSCORE) {
        if (next === DOT || Number.isNaN(next)) prefixSystem ??= id;
        continue;
      }
      prefixSystem ??= id;
      rest.lastIndex = id.length + 1;
      const m = rest.exec(basename);
      if (m !== null) return conventional(id, m);
    }
    // Old names have no `_train`; skip the lazy whole-name match for them.
    const any = basename.includes('_train') ? ANY_HEAD.exec(basename) : null;
    if (any !== null && !known.has(any[1])) return { kind: 'unknown-system', head: any[1] };
    if (prefixSystem !== undefined) return { kind: 'old-format', system: prefixSystem };
    return { kind: 'unrecognized' };
  };
}

function conventional(system: string, m: RegExpExecArray): ModelNameAnalysis {
  const rawFeatures = m[1];
  const parts: ParsedModelName = {
    system,
    features: Number(rawFeatures),
    variants: m[2] === '' ? [] : m[2].slice(1).split('_'),
    trainStart: isoDateFromCompact(m[3]),
    trainEnd: isoDateFromCompact(m[4]),
    createdDate: isoDateFromCompact(m[5]),
    createdTime: isoTimeFromCompact(m[6]),
    ext: m[7],
  };
  let problems = checkModelName(parts);
  // `033f` would format back as `33f`; reject it so every accepted name round-trips exactly.
  if (rawFeatures.length > 1 && rawFeatures.charCodeAt(0) === 48 && parts.features > 0) {
    problems = [msg.leadingZeroFeatures(rawFeatures), ...problems];
  }
  return { kind: 'conventional', parts, problems };
}
