import type { TemplateContext, TemplateValue } from './build-template-context.js';
import { DOCS_MESSAGES as M } from './docs-messages.js';
import { escapeInline } from './escape-inline.js';
import { LIST_FIELDS, fieldScope, isListField, isRawField } from './template-fields.js';

/**
 * A tiny template language, on purpose much smaller than Handlebars:
 *
 * - `{{production.evaluation.mae}}` prints a field (see TEMPLATE_FIELDS). Values are escaped for
 *   inline markdown (see escapeInline); a missing value prints `—`.
 * - `{{#if field}}…{{else}}…{{/if}}` — `{{else}}` optional. Missing, null, empty text, false and
 *   empty lists are false; numbers (also 0) are true.
 * - `{{#each models}}…{{/each}}` / `{{#each others}}…{{/each}}` repeats the body per model with the
 *   model's fields (`{{id}}`, `{{training_window}}`, …) in scope; root fields stay reachable.
 * - A block tag (`{{#if}}`, `{{else}}`, `{{/if}}`, `{{#each}}`, `{{/each}}`) alone on its line
 *   removes that whole line, so blocks can be written one tag per line without leaving blank lines.
 * - No escapes, partials, helpers or comments: `{{` always starts a tag and must close on its line.
 *
 * Every tag is checked when the template is compiled, also inside blocks that render nothing,
 * so an unknown field fails on every manifest, not just on the one that reaches it.
 */
export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string }
  | { kind: 'each'; path: string; body: TemplateNode[] }
  | { kind: 'if'; path: string; then: TemplateNode[]; otherwise: TemplateNode[] };

interface Frame {
  kind: 'each' | 'if';
  tag: string;
  line: number;
  node: Extract<TemplateNode, { kind: 'each' | 'if' }>;
  inElse: boolean;
}

const PATH = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;
const BLOCK = /^(#each|#if|\/each|\/if|else)(?:\s+(.*))?$/;

/**
 * Renders a docs template against a context. LF line endings in, LF out (CRLF and a BOM in the
 * template text are normalised first).
 *
 * @param file the template's path, for error messages
 * @throws ModelgovError('TEMPLATE_INVALID') naming `file:line` for an unknown field, a malformed
 *   or unclosed tag, or unbalanced blocks.
 */
export function renderTemplate(text: string, context: TemplateContext, file: string): string {
  return renderNodes(compileTemplate(text, file), context, undefined);
}

/** Parses and checks a template; see renderTemplate. */
export function compileTemplate(text: string, file: string): TemplateNode[] {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  const target = (): TemplateNode[] => {
    const top = stack.at(-1);
    if (top === undefined) return root;
    if (top.node.kind === 'each') return top.node.body;
    return top.inElse ? top.node.otherwise : top.node.then;
  };
  const pushText = (value: string): void => {
    if (value !== '') target().push({ kind: 'text', text: value });
  };

  let cursor = 0;
  for (;;) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) break;
    const line = lineOf(source, open);
    const close = source.indexOf('}}', open + 2);
    const newline = source.indexOf('\n', open);
    if (close === -1 || (newline !== -1 && newline < close)) throw M.unclosedTag(file, line);
    const tag = source.slice(open, close + 2);
    const inner = source.slice(open + 2, close).trim();
    const block = BLOCK.exec(inner);

    let textEnd = open;
    let next = close + 2;
    if (block !== null) {
      const lineStart = source.lastIndexOf('\n', open - 1) + 1;
      const lineEnd = source.indexOf('\n', next);
      const rest = lineEnd === -1 ? source.length : lineEnd;
      if (/^[ \t]*$/.test(source.slice(lineStart, open)) && /^[ \t]*$/.test(source.slice(next, rest))) {
        textEnd = lineStart;
        next = lineEnd === -1 ? source.length : lineEnd + 1;
      }
    }
    pushText(source.slice(cursor, textEnd));
    cursor = next;
    const inEach = stack.some((f) => f.kind === 'each');

    if (block === null) {
      if (!PATH.test(inner)) throw M.badTag(file, line, tag);
      if (isListField(inner)) throw M.listAsValue(file, line, tag, inner);
      if (fieldScope(inner, inEach) === undefined) throw M.unknownField(file, line, tag, inner);
      target().push({ kind: 'value', path: inner });
      continue;
    }
    const [, keyword, argument = ''] = block;
    const path = argument.trim();
    switch (keyword) {
      case '#each': {
        if (!PATH.test(path)) throw M.badTag(file, line, tag);
        if (!isListField(path)) throw M.notAList(file, line, tag, path, [...LIST_FIELDS]);
        const node: TemplateNode = { kind: 'each', path, body: [] };
        target().push(node);
        stack.push({ kind: 'each', tag, line, node, inElse: false });
        break;
      }
      case '#if': {
        if (!PATH.test(path)) throw M.badTag(file, line, tag);
        if (!isListField(path) && fieldScope(path, inEach) === undefined) throw M.unknownField(file, line, tag, path);
        const node: TemplateNode = { kind: 'if', path, then: [], otherwise: [] };
        target().push(node);
        stack.push({ kind: 'if', tag, line, node, inElse: false });
        break;
      }
      case 'else': {
        const top = stack.at(-1);
        if (path !== '') throw M.badTag(file, line, tag);
        if (top?.kind !== 'if' || top.inElse) throw M.strayElse(file, line);
        top.inElse = true;
        break;
      }
      default: {
        // `/each` or `/if`
        const top = stack.at(-1);
        if (path !== '') throw M.badTag(file, line, tag);
        if (top === undefined || `/${top.kind}` !== keyword) throw M.strayClose(file, line, tag);
        stack.pop();
      }
    }
  }
  pushText(source.slice(cursor));
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) throw M.unclosedBlock(file, unclosed.line, unclosed.tag, `{{/${unclosed.kind}}}`);
  return root;
}

function renderNodes(nodes: TemplateNode[], context: TemplateContext, item: Record<string, unknown> | undefined): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'value':
        out += printValue(node.path, lookup(node.path, context, item));
        break;
      case 'if':
        out += renderNodes(truthy(lookup(node.path, context, item)) ? node.then : node.otherwise, context, item);
        break;
      case 'each': {
        const list = lookup(node.path, context, item);
        if (Array.isArray(list)) for (const entry of list) out += renderNodes(node.body, context, entry);
        break;
      }
    }
  }
  return out;
}

function lookup(path: string, context: TemplateContext, item: Record<string, unknown> | undefined): unknown {
  if (isListField(path)) return context[path as 'models' | 'others'];
  let value: unknown = fieldScope(path, item !== undefined) === 'item' ? item : context;
  for (const segment of path.split('.')) {
    // Own properties only: `evaluation.constructor` must not reach Object.prototype.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function printValue(path: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (isRawField(path)) return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value as TemplateValue);
  return escapeInline(text);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== '' && value !== false;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
