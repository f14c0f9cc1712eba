import { isDeepStrictEqual } from 'node:util';
import { applyEdits, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import type { Manifest, ModelStatus } from '../manifest/types.js';

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
 * Applies a promotion to the manifest TEXT with jsonc-parser's `modify` + `applyEdits` (the
 * format-preserving edits VS Code's settings editor uses): a changed value is replaced in place,
 * a missing key is inserted right after its sibling (`production_since` after `status`,
 * `production_end_date` after `production_since`), in the file's own indentation and line ending.
 * So the file keeps its key order, number spelling (`79.0`), BOM and trailing newline, and a
 * review diff shows just the promotion. The result is checked against `promotedManifest`; a
 * mismatch throws.
 */
export function applyPromotion(text: string, manifest: Manifest, edit: PromotionEdit): string {
  const hasModel = (id: string): boolean => Object.hasOwn(manifest.models, id);
  if (!hasModel(edit.to)) throw new Error(`model "${edit.to}" is not in the manifest text`);
  const formatting = formattingOf(text);
  let out = text;
  const set = (path: JSONPath, value: unknown, after: string[] = []): void => {
    const edits = modify(out, path, value, {
      formattingOptions: formatting,
      getInsertionIndex: (keys) => {
        for (const anchor of after) {
          const at = keys.lastIndexOf(anchor);
          if (at !== -1) return at + 1;
        }
        return keys.length;
      },
    });
    out = applyEdits(out, edits);
  };
  const from = manifest.production_model;
  const target = manifest.models[edit.to];
  set(['production_model'], edit.to);
  set(['models', edit.to, 'status'], 'production');
  set(['models', edit.to, 'production_since'], edit.day, ['status']);
  if (target.production_end_date !== undefined) set(['models', edit.to, 'production_end_date'], null);
  if (from !== null && from !== edit.to && hasModel(from)) {
    set(['models', from, 'status'], edit.retireAs);
    set(['models', from, 'production_end_date'], edit.day, ['production_since', 'status']);
  }
  const bom = out.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!isDeepStrictEqual(JSON.parse(out.slice(bom)), promotedManifest(manifest, edit))) {
    throw new Error('the edited manifest text does not match the intended promotion');
  }
  return out;
}

/**
 * The file's own style for inserted keys: its indentation unit and line ending. A file on one
 * line gets no formatting options, so jsonc-parser inserts `,"key": value` without line breaks.
 */
function formattingOf(text: string): FormattingOptions | undefined {
  // trimEnd, not a /\s+$/ regex: that is quadratic on a long run of whitespace (a 3 MB manifest).
  if (!/[\r\n]/.test(text.trimEnd())) return undefined;
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}
