import { levenshtein } from '../util/did-you-mean.js';
import { formatPath, hasOwn, visibleJson, type JsonSchema } from './json-schema.js';

/**
 * Turns the errors of an Ajv-generated validator (src/schema/generated/) into modelgov's
 * messages: one per problem, each starting with the JSON path users read
 * (`systems[0].doc: unknown key "doc" (did you mean "docs"?); allowed: …`), listed in the order
 * of the document (a node before its children, missing keys before the keys that are there).
 * Ajv's own texts ("must NOT have additional properties") name neither the key nor the fix.
 */

/** The subset of Ajv's ErrorObject the standalone validators produce (allErrors, not verbose). */
export interface AjvError {
  keyword: string;
  /** JSON Pointer to the value: `/systems/0/id`. */
  instancePath: string;
  /** JSON Pointer into the schema: `#/properties/systems/items/required`. */
  schemaPath: string;
  params: Record<string, unknown>;
  /** Set on the errors of a `propertyNames` subschema: the key that failed. */
  propertyName?: string;
  message?: string;
}

/** A standalone validator as Ajv generates it: returns true or sets `errors`. */
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

type Segment = string | number;

/** Validates `value`; returns modelgov's messages (none when valid). */
export function schemaErrors(validator: GeneratedValidator, schema: JsonSchema, value: unknown): string[] {
  const numbers = numberProblems(schema, value, []);
  if (validator(value) && numbers.length === 0) return [];
  const errors = validator.errors ?? [];
  const located: Located[] = [...numbers];
  // A key refused by `propertyNames`: one message for the key, nothing about its value.
  const badKeys: Segment[][] = [];
  for (const error of errors) {
    const key = error.propertyName ?? (error.keyword === 'propertyNames' ? String(error.params.propertyName) : undefined);
    if (key === undefined) continue;
    const path = [...pointerSegments(error.instancePath, value), key];
    if (badKeys.some((k) => samePath(k, path))) continue;
    badKeys.push(path);
    const names = schemaAt(schema, error.schemaPath)?.propertyNames;
    const what = names?.description ? `is not ${names.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}` : 'is not allowed';
    located.push({ path, missing: false, message: `${formatPath(path)}: the key ${short(key)} ${what}` });
  }
  for (const error of errors) {
    if (error.propertyName !== undefined || error.keyword === 'propertyNames') continue;
    const l = locate(error, schema, value);
    if (badKeys.some((k) => startsWith(l.path, k))) continue;
    // Numbers JSON cannot carry exactly are reported by numberProblems, not as a type error.
    const data = at(value, pointerSegments(error.instancePath, value));
    if (typeof data === 'number' && !Number.isFinite(data)) continue;
    located.push(l);
  }
  return sortByDocument(located, value).map((e) => e.message);
}

/**
 * Numbers JSON.parse could not carry as written, wherever the schema looks (the validator
 * cannot see them: 1e309 arrives as Infinity, 9007199254740993 as …992): refused, naming the path.
 */
function numberProblems(schema: JsonSchema | undefined, value: unknown, path: Segment[]): Located[] {
  if (schema === undefined) return [];
  if (typeof value === 'number') {
    const where = formatPath(path);
    if (!Number.isFinite(value)) return [{ path, missing: false, message: `${where}: the number overflows (not finite); write a number within ±1.7976931348623157e308` }];
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return [{ path, missing: false, message: `${where}: ${value} is beyond ±2^53 (9007199254740991), where JSON numbers lose precision; write a smaller number (or a string)` }];
    }
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => numberProblems(schema.items, item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const sub = schema.properties && hasOwn(schema.properties, key) ? schema.properties[key] : typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    return numberProblems(sub, v, [...path, key]);
  });
}

function schemaAt(root: JsonSchema, schemaPath: string): JsonSchema | undefined {
  const parts = schemaPath.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(unescapePointer);
  // Up to the object holding `propertyNames`.
  const i = parts.lastIndexOf('propertyNames');
  return parts.slice(0, i === -1 ? -1 : i).reduce<unknown>((s, k) => (s as Record<string, unknown> | undefined)?.[k], root) as JsonSchema | undefined;
}

function samePath(a: Segment[], b: Segment[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

function startsWith(path: Segment[], prefix: Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

interface Located {
  /** Path of the problem: the value's path, plus the key for `required` / unknown keys. */
  path: Segment[];
  /** A `required` error: the key is not in the data, it sorts before the keys that are. */
  missing: boolean;
  message: string;
}

function locate(error: AjvError, root: JsonSchema, value: unknown): Located {
  const path = pointerSegments(error.instancePath, value);
  const data = at(value, path);
  const schemaPath = error.schemaPath.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(unescapePointer);
  const keywordSchema = schemaPath.slice(0, -1).reduce<unknown>((s, k) => (s as Record<string, unknown> | undefined)?.[k], root) as
    | JsonSchema
    | undefined;
  const where = formatPath(path);
  const p = error.params;
  switch (error.keyword) {
    case 'type': {
      const allowed = ([] as string[]).concat(p.type as string | string[]);
      // A null (or true/false) is its own spelling: "got null", never "got null null".
      const got = data === null || typeof data === 'boolean' ? short(data) : `${typeName(data)} ${short(data)}`;
      return { path, missing: false, message: `${where}: expected ${allowed.join(' or ')}, got ${got}` };
    }
    case 'enum':
      return {
        path,
        missing: false,
        message: `${where}: ${short(data)} is not one of ${(p.allowedValues as unknown[]).map((e) => JSON.stringify(e)).join(', ')}`,
      };
    case 'minLength':
      return { path, missing: false, message: `${where}: ${p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`}` };
    case 'format':
      if (p.format === 'date') {
        return { path, missing: false, message: `${where}: not a calendar date ${short(data)} (use YYYY-MM-DD, a day that exists)` };
      }
      if (p.format === 'date-time') {
        return {
          path,
          missing: false,
          message: `${where}: not a date-time ${short(data)} (use an ISO 8601 instant with a zone, e.g. 2026-02-08T14:47:49Z or 2026-02-08T15:47:49+01:00; a day that exists)`,
        };
      }
      break;
    case 'pattern': {
      const what = keywordSchema?.description ? keywordSchema.description.split('.')[0].toLowerCase() : String(p.pattern);
      return { path, missing: false, message: `${where}: ${short(data)} does not match ${what}` };
    }
    case 'minimum':
      return { path, missing: false, message: `${where}: ${String(data)} is below the minimum ${String(p.limit)}` };
    case 'minItems':
      return { path, missing: false, message: `${where}: needs at least ${String(p.limit)} item(s)` };
    case 'required': {
      const key = String(p.missingProperty);
      return { path: [...path, key], missing: true, message: `${formatPath([...path, key])}: required key is missing` };
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys(keywordSchema?.properties ?? {});
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || levenshtein(k, key) <= 2);
      return {
        path: [...path, key],
        missing: false,
        message: `${formatPath([...path, key])}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${known.join(', ')}`,
      };
    }
  }
  // A keyword a schema gained later without a message here: Ajv's text still names the path.
  return { path, missing: false, message: `${where}: ${error.message ?? error.keyword}` };
}

/** Document order: a node's own problems, then missing keys, then its keys as the file lists them. */
function sortByDocument(errors: Located[], value: unknown): Located[] {
  const rank = (e: Located): number[] => {
    const out: number[] = [];
    let node: unknown = value;
    e.path.forEach((segment, i) => {
      const last = i === e.path.length - 1;
      if (Array.isArray(node)) out.push(Number(segment) + 1);
      else if (last && e.missing) out.push(0);
      else out.push(node !== null && typeof node === 'object' ? Object.keys(node).indexOf(String(segment)) + 1 : 0);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment as string] : undefined;
    });
    return out;
  };
  const ranked = errors.map((e, i) => ({ e, i, r: rank(e) }));
  ranked.sort((a, b) => {
    for (let k = 0; k < Math.min(a.r.length, b.r.length); k++) if (a.r[k] !== b.r[k]) return a.r[k] - b.r[k];
    return a.r.length - b.r.length || a.i - b.i;
  });
  return ranked.map((x) => x.e);
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `/systems/0/id` → ['systems', 0, 'id'] (array indexes as numbers, as formatPath prints them). */
function pointerSegments(pointer: string, value: unknown): Segment[] {
  const out: Segment[] = [];
  let node: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = unescapePointer(raw);
    const segment: Segment = Array.isArray(node) ? Number(key) : key;
    out.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

function at(value: unknown, path: Segment[]): unknown {
  let node = value;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment as string] : undefined;
  return node;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function short(v: unknown): string {
  const s = visibleJson(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}
