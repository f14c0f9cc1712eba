import { isDeepStrictEqual } from 'node:util';
import type { Manifest, ModelStatus } from '../manifest/types.js';
import { applyEdits, memberOf, parseJsonSpans, setMember, type TextEdit } from './json-spans.js';

/** Statuses the previous production model can be retired to. */
export const RETIRE_STATUSES = ['active', 'deprecated', 'rolled_back', 'archived'] as const satisfies readonly ModelStatus[];
export type RetireStatus = (typeof RETIRE_STATUSES)[number];

export interface PromotionEdit {
  /** Model to make production. */
  to: string;
  /** Status for the model that was production until now. */
  retireAs: RetireStatus;
  /** The promotion day, YYYY-MM-DD (UTC). */
  day: string;
}

/**
 * The manifest after the promotion, as a value: `production_model`, the new model's status
 * and `production_since` (an old `production_end_date` is cleared), the previous model's
 * status and `production_end_date`. Everything else is untouched.
 */
export function promotedManifest(manifest: Manifest, edit: PromotionEdit): Manifest {
  const next = structuredClone(manifest);
  const from = manifest.production_model;
  if (from !== null && from !== edit.to && next.models[from]) {
    next.models[from].status = edit.retireAs;
    next.models[from].production_end_date = edit.day;
  }
  const m = next.models[edit.to];
  m.status = 'production';
  m.production_since = edit.day;
  if (m.production_end_date !== undefined) m.production_end_date = null;
  next.production_model = edit.to;
  return next;
}

/**
 * Applies a promotion to the manifest TEXT by replacing only the values that change and
 * inserting missing keys next to their siblings, so the file keeps its indentation, key order,
 * number spelling, line endings and trailing newline, and a review diff shows just the
 * promotion. The result is checked against `promotedManifest`; a mismatch throws.
 */
export function applyPromotion(text: string, manifest: Manifest, edit: PromotionEdit): string {
  const root = parseJsonSpans(text);
  const models = memberOf(root, 'models')?.value;
  const target = models && memberOf(models, edit.to)?.value;
  if (!models || !target) throw new Error(`model "${edit.to}" is not in the manifest text`);
  const edits: TextEdit[] = [];
  const q = (s: string) => JSON.stringify(s);
  const from = manifest.production_model;
  edits.push(setMember(text, root, 'production_model', q(edit.to)));
  edits.push(setMember(text, target, 'status', q('production')));
  edits.push(setMember(text, target, 'production_since', q(edit.day), ['status']));
  if (memberOf(target, 'production_end_date')) edits.push(setMember(text, target, 'production_end_date', 'null'));
  const previous = from !== null && from !== edit.to ? memberOf(models, from)?.value : undefined;
  if (previous) {
    edits.push(setMember(text, previous, 'status', q(edit.retireAs)));
    edits.push(setMember(text, previous, 'production_end_date', q(edit.day), ['production_since', 'status']));
  }
  const out = applyEdits(text, edits);
  const bom = out.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!isDeepStrictEqual(JSON.parse(out.slice(bom)), promotedManifest(manifest, edit))) {
    throw new Error('the edited manifest text does not match the intended promotion');
  }
  return out;
}
