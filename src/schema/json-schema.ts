/**
 * The shape the manifest and config schemas are written in (plain JSON Schema objects with
 * descriptions; src/config/schema.ts and src/manifest/schema.ts are the single source). They are
 * shipped as schema/*.json (`npm run schema`) and compiled by Ajv at BUILD time into standalone
 * validators (scripts/gen-validators.mjs → src/schema/generated/), so no schema library is
 * imported or compiled at run time: the hook path loads two plain functions.
 */

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
  maximum?: number;
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

/** Parses JSON text; on failure the message names the file, line and column. Duplicate keys and
 * hostile nesting are failures too (checkJsonStructure). */
export function parseJsonText(text: string, file: string): { value?: unknown; error?: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const value: unknown = JSON.parse(body);
    const structure = checkJsonStructure(body, file);
    return structure === undefined ? { value } : { error: structure };
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

/**
 * Deeper nesting than any real manifest or config has (theirs is 3–5 levels); past it the
 * recursive steps after parsing (validation, canonical JSON, JSON.stringify of evaluation) would
 * run out of stack on hostile input, so it is refused up front with a message instead.
 */
export const MAX_JSON_DEPTH = 64;

interface Frame {
  object: boolean;
  /** Object: key → line of its first occurrence. */
  keys?: Map<string, number>;
  /** Object: the key whose value comes next / was last. Array: the index of the current item. */
  at: string | number;
  /** Object: the next string is a key. */
  expectKey: boolean;
}

function pathOf(stack: Frame[]): string {
  const parts = stack.slice(0, -1).map((f) => f.at);
  const shown = parts.length > 8 ? [...parts.slice(0, 8)] : parts;
  return formatPath(shown) + (parts.length > 8 ? '…' : '');
}

/**
 * What JSON.parse lets through silently, checked in one linear pass over text it accepted:
 * a key that appears twice in one object (JSON.parse keeps the last one, so a model or a gate
 * would vanish without a word) and nesting deeper than MAX_JSON_DEPTH. Returns the first
 * problem as `file:line: …` naming both lines of a duplicate, or undefined. Iterative: no
 * input makes it recurse.
 */
export function checkJsonStructure(text: string, file: string): string | undefined {
  const stack: Frame[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 34) {
      // a string: find its end (the text is valid JSON, so it ends on this line)
      let j = i + 1;
      let escaped = false;
      while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? ((escaped = true), 2) : 1;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
        const first = top.keys!.get(key);
        if (first !== undefined) {
          const where = formatPath([...stack.slice(0, -1).map((f) => f.at), key]);
          return `${file}:${line}: duplicate key "${key}" (first at line ${first}); JSON keeps only the last one, so ${where} would silently lose a value — remove or rename one of them`;
        }
        top.keys!.set(key, line);
        top.at = key;
        top.expectKey = false;
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      // `{` or `[`
      if (stack.length >= MAX_JSON_DEPTH) {
        return `${file}:${line}: JSON nested deeper than ${MAX_JSON_DEPTH} levels (at ${pathOf([...stack, { object: false, at: 0, expectKey: false }])}); flatten the value`;
      }
      stack.push(c === 123 ? { object: true, keys: new Map(), at: '', expectKey: true } : { object: false, at: 0, expectKey: false });
      i++;
    } else if (c === 125 || c === 93) {
      stack.pop();
      i++;
    } else if (c === 44) {
      // `,`
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
      i++;
    } else i++;
  }
  return undefined;
}
