/**
 * The shape the manifest and config schemas are written in (plain JSON Schema objects with
 * descriptions; src/config/schema.ts and src/manifest/schema.ts are the single source). They are
 * shipped as schema/*.json (`npm run schema`) and compiled by Ajv at BUILD time into standalone
 * validators (scripts/gen-validators.mjs → src/schema/generated/), so no schema library is
 * imported or compiled at run time: the hook path loads two plain functions.
 */
import { isCalendarDate } from '../util/calendar.js';

export { isCalendarDate };

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  /** Every key of an object must match this (a string schema). */
  propertyNames?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  pattern?: string;
  /** `date`: a real calendar date YYYY-MM-DD (2026-02-30 fails); `date-time`: an instant with a zone. */
  format?: 'date' | 'date-time';
  minimum?: number;
  minLength?: number;
  minItems?: number;
  /** Documentation only. */
  examples?: unknown[];
}
type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** Renders a JSON path the way users read it: `models.catboost_v9.training_end`, `systems[0].id`. */
export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p) || /^[\w.-]+$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${visibleJson(p)}]`;
  }
  return out || '(root)';
}

/** JSON text with bidi controls and other invisible format characters escaped, never echoed raw (they reorder a terminal line). */
export function visibleJson(v: unknown): string | undefined {
  return JSON.stringify(v)?.replace(/[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Parses JSON text; on failure the message names the file, line and column. */
export function parseJsonText(text: string, file: string): { value?: unknown; error?: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = '';
    if (pos) {
      const offset = Number(pos[1]);
      const before = body.slice(0, offset);
      const line = before.split('\n').length;
      const col = offset - before.lastIndexOf('\n');
      where = `:${line}:${col}`;
    } else if (/Unexpected end/.test(msg)) {
      const lines = body.split('\n');
      where = `:${lines.length}:${lines[lines.length - 1].length + 1}`;
    }
    return { error: `${file}${where}: invalid JSON (${msg.replace(/^JSON\.parse: /, '')})` };
  }
}
