import { compileModelNameAnalyzer } from './analyze-model-name.js';
import { VARIANT_PATTERN } from './check-model-name.js';

/** The `_YYYYMMDD_HHMMSS` stamp that old names (and conventional ones) end with. */
const STEM_STAMP = /_(\d{8})_(\d{6})$/;

/**
 * The variant tags of an old name: the tokens between its feature count and its
 * `_YYYYMMDD_HHMMSS` stamp (`catboost_v12_50f_huber_rsm50_20260210_101010` → huber, rsm50);
 * [] without a feature count token. Undefined when a token is no valid tag (a rename would
 * drop or change it).
 */
export function variantsFromOldName(stem: string, system: string): string[] | undefined {
  const body = (stem.startsWith(`${system}_`) ? stem.slice(system.length + 1) : stem).replace(STEM_STAMP, '');
  const tokens = body.split('_');
  const at = tokens.findIndex((t) => /^[1-9]\d*f(?:eatures?)?$/.test(t));
  if (at < 0) return [];
  const tags = tokens.slice(at + 1).filter((t) => t !== '');
  return tags.every((t) => VARIANT_PATTERN.test(t)) ? tags : undefined;
}

/**
 * The variant tags a model carries, read from its names: the artifact's file name, else its id
 * (conventional names: the tags before `_train`; old names: see `variantsFromOldName`). Sorted,
 * so two models compare as sets. What the duplicate rule compares beside window and features.
 */
export function modelVariantTags(system: string, id: string, gcsPath: string | null | undefined): string[] {
  const analyze = compileModelNameAnalyzer([system]);
  const names = [typeof gcsPath === 'string' ? gcsPath.slice(Math.max(gcsPath.lastIndexOf('/'), gcsPath.lastIndexOf('\\')) + 1) : '', id];
  for (const name of names) {
    if (name === '') continue;
    const a = analyze(name);
    if (a.kind === 'conventional') return [...a.parts.variants].sort();
  }
  const stem = id.replace(/\.[A-Za-z0-9]+$/, '');
  return [...(variantsFromOldName(stem, system) ?? stem.split('_'))].sort();
}
