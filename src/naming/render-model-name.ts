import { compactFromIso } from '../util/calendar.js';
import type { ParsedModelName } from './types.js';

/**
 * Writes parts as a file name without checking them; callers run `checkModelName` first.
 * Kept apart from `formatModelName` so lint can build expected names from manifest facts
 * without going through a throwing API.
 */
export function renderModelName(p: ParsedModelName): string {
  let variants = '';
  for (const v of p.variants) variants += `_${v}`;
  return (
    `${p.system}_${p.features}f${variants}` +
    `_train${compactFromIso(p.trainStart)}-${compactFromIso(p.trainEnd)}` +
    `_${compactFromIso(p.createdDate)}_${compactFromIso(p.createdTime)}${p.ext}`
  );
}
