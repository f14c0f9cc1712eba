import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import { MANIFEST_SCHEMA } from '../../src/manifest/schema.js';
import type { JsonSchema } from '../../src/schema/json-schema.js';

// The schemas (src/*/schema.ts) drive validation; the TypeScript types (src/*/types.ts) are
// written by hand. This reads the types with the TypeScript parser and walks both side by side:
// every object in the schema must have the same keys as its type, and a key is required in
// the schema exactly when it is not optional in the type. So a key added to one but not the
// other fails here, naming it.

interface Shape {
  file: ts.SourceFile;
  decls: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
}

function shapes(path: string): Shape {
  const file = ts.createSourceFile(path, readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), ts.ScriptTarget.ES2022, true);
  const decls = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  file.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) decls.set(n.name.text, n);
  });
  return { file, decls };
}

/** Members of an object type node (interface, type literal, or a reference to one in the same file). */
function members(shape: Shape, node: ts.Node): ts.NodeArray<ts.TypeElement> | undefined {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return node.members;
  if (ts.isTypeAliasDeclaration(node)) return members(shape, node.type);
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const decl = shape.decls.get(node.typeName.text);
    return decl ? members(shape, decl) : undefined;
  }
  return undefined;
}

/** Differences between a schema and a type, as `path: problem` lines. */
function compare(shape: Shape, schema: JsonSchema, node: ts.Node, path: string, ignore: Record<string, string>, out: string[]): void {
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Record' && node.typeArguments?.length === 2) {
    if (typeof schema.additionalProperties === 'object') compare(shape, schema.additionalProperties, node.typeArguments[1], `${path}.*`, ignore, out);
    return;
  }
  if (ts.isArrayTypeNode(node)) {
    if (schema.items) compare(shape, schema.items, node.elementType, `${path}[]`, ignore, out);
    return;
  }
  if (schema.properties === undefined) return;
  const list = members(shape, node);
  if (!list) {
    out.push(`${path}: the schema has properties but the type is ${node.getText(shape.file)}`);
    return;
  }
  const typed = new Map<string, ts.PropertySignature>();
  for (const m of list) if (ts.isPropertySignature(m)) typed.set(m.name.getText(shape.file).replace(/^['"]|['"]$/g, ''), m);
  const required = new Set(schema.required ?? []);
  for (const [key, sub] of Object.entries(schema.properties)) {
    const at = `${path}.${key}`;
    const member = typed.get(key);
    if (!member) {
      if (!(at in ignore)) out.push(`${at}: in the schema, not in the type`);
      continue;
    }
    if (required.has(key) === Boolean(member.questionToken) && !(at in ignore)) {
      out.push(`${at}: ${required.has(key) ? 'required in the schema, optional in the type' : 'optional in the schema, required in the type'}`);
    }
    if (member.type) compare(shape, sub, member.type, at, ignore, out);
  }
  for (const key of typed.keys()) {
    if (!Object.hasOwn(schema.properties, key) && !(`${path}.${key}` in ignore)) out.push(`${path}.${key}: in the type, not in the schema`);
  }
}

function differences(typesFile: string, typeName: string, schema: JsonSchema, ignore: Record<string, string>): string[] {
  const shape = shapes(typesFile);
  const decl = shape.decls.get(typeName);
  if (!decl) throw new Error(`${typeName} not found in ${typesFile}`);
  const out: string[] = [];
  compare(shape, schema, decl, typeName, ignore, out);
  return out;
}

describe('schemas and hand-written types agree', () => {
  it('config: src/config/schema.ts and ModelgovConfig', () => {
    expect(
      differences('src/config/types.ts', 'ModelgovConfig', CONFIG_SCHEMA, {
        // Optional in the file, always set after loading (the default registry).
        'ModelgovConfig.registry': 'defaulted by loadConfig',
        // An editor hint in the file; modelgov ignores it.
        'ModelgovConfig.$schema': 'editor hint',
      }),
    ).toEqual([]);
  });

  it('manifest: src/manifest/schema.ts and Manifest', () => {
    expect(differences('src/manifest/types.ts', 'Manifest', MANIFEST_SCHEMA, {})).toEqual([]);
  });

  it('catches a key the schema has and the type lacks (and the reverse)', () => {
    const schema: JsonSchema = structuredClone(CONFIG_SCHEMA);
    schema.properties!.newKey = { type: 'string' };
    delete schema.properties!.location;
    schema.required = ['systems', 'offline'];
    expect(differences('src/config/types.ts', 'ModelgovConfig', schema, { 'ModelgovConfig.registry': '', 'ModelgovConfig.$schema': '' })).toEqual([
      'ModelgovConfig.offline: required in the schema, optional in the type',
      'ModelgovConfig.newKey: in the schema, not in the type',
      'ModelgovConfig.location: in the type, not in the schema',
    ]);
  });
});
