import Handlebars from 'handlebars';
import type { TemplateContext } from './build-template-context.js';
import { DOCS_MESSAGES as M } from './docs-messages.js';
import { escapeInline } from './escape-inline.js';
import { formatValue, isAbsent } from '../util/format-metric.js';
import { LIST_FIELDS, fieldScope, isListField, isRawField } from './template-fields.js';
import { TEMPLATE_HELPERS } from './template-helpers.js';

type AST = hbs.AST.Program;
type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type Path = hbs.AST.PathExpression;
type Mustache = hbs.AST.MustacheStatement;
type Block = hbs.AST.BlockStatement;

/**
 * Docs templates are Handlebars templates (https://handlebarsjs.com), run in strict mode with
 * modelgov's fields and helpers:
 *
 * - `{{production.evaluation.mae}}` prints a field (TEMPLATE_FIELDS) or `{{percent x}}` a
 *   helper's result (TEMPLATE_HELPERS), escaped for inline MARKDOWN (escapeInline) instead of
 *   Handlebars' HTML escaping; a missing value prints `—`. `{{{x}}}` prints a value as it is.
 * - `{{#if}}…{{else}}…{{/if}}`, `{{#unless}}`, `{{#each models}}` / `{{#each others}}` (the
 *   model's fields in scope without prefix, root fields still reachable). As before, 0 is true.
 * - Handlebars' standalone rule: a block tag alone on its line removes that line.
 * - Comments (`{{!-- … --}}`) and inline partials (`{{#*inline "row"}}…{{/inline}}`, used as
 *   `{{> row}}`) work as in Handlebars.
 *
 * Every tag is checked against the fields BEFORE rendering, in every branch — Handlebars'
 * strict mode only sees the paths a render reaches, so an unknown field inside a block that
 * renders nothing today would otherwise fail on some later manifest. Errors keep modelgov's
 * messages: `TEMPLATE_INVALID`, `template:line: …`, with the fix.
 */

/** One isolated Handlebars environment with modelgov's helpers; nothing global is changed. */
let env: typeof Handlebars | undefined;
function environment(): typeof Handlebars {
  if (env) return env;
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) {
    hb.registerHelper(name, (...args: unknown[]) => helper.fn(...args.slice(0, -1)));
  }
  // modelgov's truthiness: 0 is a value (a vegas bias of 0 still gets its row).
  const builtinIf = hb.helpers.if as (this: unknown, c: unknown, o: Handlebars.HelperOptions) => unknown;
  const builtinUnless = hb.helpers.unless as (this: unknown, c: unknown, o: Handlebars.HelperOptions) => unknown;
  const withZero = (o: Handlebars.HelperOptions): Handlebars.HelperOptions => ({ ...o, hash: { includeZero: true, ...o.hash } });
  hb.registerHelper('if', function (this: unknown, c: unknown, o: Handlebars.HelperOptions) {
    return builtinIf.call(this, c, withZero(o));
  });
  hb.registerHelper('unless', function (this: unknown, c: unknown, o: Handlebars.HelperOptions) {
    return builtinUnless.call(this, c, withZero(o));
  });
  // What every printed value goes through (see `print` below).
  hb.registerHelper(VALUE, (value: unknown) => new hb.SafeString(printValue(value, false)));
  hb.registerHelper(RAW, (value: unknown) => new hb.SafeString(printValue(value, true)));
  env = hb;
  return hb;
}

const VALUE = '__modelgov_value';
const RAW = '__modelgov_raw';
const BUILTIN_BLOCKS = new Set(['if', 'unless', 'each']);

/**
 * Renders a docs template against a context. LF line endings in, LF out (CRLF and a BOM in the
 * template text are normalised first).
 *
 * @param file the template's path, for error messages
 * @throws ModelgovError('TEMPLATE_INVALID') naming `file:line` for an unknown field, a malformed
 *   or unclosed tag, or unbalanced blocks.
 */
export function renderTemplate(text: string, context: TemplateContext, file: string): string {
  const template = compileTemplate(text, file);
  try {
    return template(ownData(context));
  } catch (e) {
    throw fromHandlebars(e, file);
  }
}

/**
 * Compiled templates by file and text: a run renders the same template for several systems and
 * for both sides of a commit, and compiling costs more than rendering.
 */
const compiled = new Map<string, (context: unknown) => string>();

/** Parses, checks and compiles a template; see renderTemplate. */
export function compileTemplate(text: string, file: string): (context: unknown) => string {
  const key = `${file}\0${text}`;
  let template = compiled.get(key);
  if (template === undefined) {
    template = compileUncached(text, file);
    if (compiled.size >= 32) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, template);
  }
  return template;
}

function compileUncached(text: string, file: string): (context: unknown) => string {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  checkTagsClose(source, file);
  let ast: AST;
  try {
    ast = Handlebars.parseWithoutProcessing(source);
  } catch (e) {
    throw explainParseError(source, file, e);
  }
  new Checker(source, file).program(ast, false, new Map());
  return environment().compile(ast, { strict: true, compat: true, knownHelpersOnly: false });
}

/** How a value prints: `—` when missing, objects as JSON, escaped for inline markdown unless raw. */
function printValue(value: unknown, raw: boolean): string {
  if (value instanceof Handlebars.SafeString) return value.toString();
  if (isAbsent(value)) return '—';
  const text = formatValue(value);
  return raw ? text : escapeInline(text);
}

/**
 * The context as objects without a prototype, so a template can only reach the data: a path
 * such as `evaluation.constructor` finds nothing (and prints `—`) instead of Object.prototype's.
 */
function ownData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ownData);
  if (value === null || typeof value !== 'object' || value instanceof Handlebars.SafeString) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = ownData(v);
  return out;
}

/** modelgov's one extra rule: a tag opens and closes on one line (a stray `{{` is caught early). */
function checkTagsClose(source: string, file: string): void {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    for (let at = line.indexOf('{{'); at !== -1; at = line.indexOf('{{', at + 2)) {
      // Handlebars comments may span lines: `{{!-- … --}}`.
      if (line.startsWith('{{!--', at)) {
        const rest = lines.slice(i).join('\n').slice(at);
        if (rest.includes('--}}')) break;
      }
      const close = line.indexOf('}}', at + 2);
      if (close === -1) throw M.unclosedTag(file, i + 1);
      at = close;
    }
  }
}

/** Static check of every tag against the fields and helpers, in every branch. Rewrites printed values to go through `print`. */
class Checker {
  private readonly lines: string[];
  constructor(
    private readonly source: string,
    private readonly file: string,
  ) {
    this.lines = source.split('\n');
  }

  /** The tag's text as written, for messages. */
  private tag(node: Node): string {
    const { start, end } = node.loc;
    if (start.line === end.line) return this.lines[start.line - 1].slice(start.column, end.column);
    return this.lines[start.line - 1].slice(start.column);
  }

  program(program: hbs.AST.Program, inEach: boolean, partials: Map<string, hbs.AST.Program>): void {
    // Inline partials are registered before the program runs, so they can be used anywhere in it.
    const own = new Map(partials);
    for (const node of program.body) {
      if (node.type === 'DecoratorBlock') {
        const block = node as Block;
        const name = block.params[0] as hbs.AST.StringLiteral | undefined;
        if (block.path.original !== 'inline' || name?.type !== 'StringLiteral') throw M.badTag(this.file, node.loc.start.line, this.tag(node));
        own.set(name.value, block.program);
      }
    }
    for (const node of program.body) this.statement(node, inEach, own);
  }

  private statement(node: Node, inEach: boolean, partials: Map<string, hbs.AST.Program>): void {
    const line = node.loc.start.line;
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as Mustache, inEach);
      case 'BlockStatement':
        return this.block(node as Block, inEach, partials);
      case 'DecoratorBlock':
        // Checked where it is used, with the fields in scope there; unused, as if inside {{#each}}.
        if (!this.used.has((node as Block).program)) this.checkPartial((node as Block).program, true, partials);
        return;
      case 'PartialStatement': {
        const name = (node as hbs.AST.PartialStatement).name;
        const body = name.type === 'PathExpression' ? partials.get((name as Path).original) : undefined;
        if (body === undefined) throw M.badTag(this.file, line, this.tag(node));
        this.used.add(body);
        this.checkPartial(body, inEach, partials);
        return;
      }
      default:
        throw M.badTag(this.file, line, this.tag(node));
    }
  }

  /** Partial bodies already checked, per scope (a body is rewritten once, checked per scope). */
  private readonly used = new Set<hbs.AST.Program>();
  private readonly checked = new Set<string>();
  private readonly ids = new Map<hbs.AST.Program, number>();
  private checkPartial(body: hbs.AST.Program, inEach: boolean, partials: Map<string, hbs.AST.Program>): void {
    if (!this.ids.has(body)) this.ids.set(body, this.ids.size);
    const key = `${this.ids.get(body)}:${inEach}`;
    if (this.checked.has(key)) return;
    this.checked.add(key);
    // The rewrite (values through the printer) must happen once: check a second scope on a copy.
    const first = ![...this.checked].some((k) => k !== key && k.startsWith(`${this.ids.get(body)}:`));
    this.program(first ? body : structuredClone(body), inEach, partials);
  }

  private mustache(node: Mustache, inEach: boolean): void {
    const line = node.loc.start.line;
    if (node.path.type !== 'PathExpression') throw M.badTag(this.file, line, this.tag(node));
    const path = node.path as Path;
    const isCall = node.params.length > 0 || node.hash !== undefined || Object.hasOwn(TEMPLATE_HELPERS, path.original);
    if (isCall) {
      this.call(node, path, inEach);
      // `{{helper x}}` → `{{print (helper x)}}`: the result is escaped like a field.
      const sub: hbs.AST.SubExpression = { type: 'SubExpression', path, params: node.params, hash: node.hash, loc: node.loc };
      node.params = [sub];
      node.hash = undefined as unknown as hbs.AST.Hash;
      node.path = helperPath(node.escaped ? VALUE : RAW, node.loc);
      return;
    }
    this.field(path, node, inEach, 'value');
    const raw = !node.escaped || isRawField(path.original);
    node.params = [path];
    node.path = helperPath(raw ? RAW : VALUE, node.loc);
  }

  private call(node: Mustache | hbs.AST.SubExpression, path: Path, inEach: boolean): void {
    if (!Object.hasOwn(TEMPLATE_HELPERS, path.original) && path.original !== 'lookup') {
      throw M.badTag(this.file, node.loc.start.line, this.tag(node));
    }
    for (const p of node.params) this.expression(p, node, inEach);
    for (const pair of node.hash?.pairs ?? []) this.expression(pair.value, node, inEach);
  }

  private expression(e: Expression, owner: Node, inEach: boolean): void {
    if (e.type === 'PathExpression') this.field(e as Path, owner, inEach, 'value');
    else if (e.type === 'SubExpression') this.call(e as hbs.AST.SubExpression, (e as hbs.AST.SubExpression).path, inEach);
  }

  private block(node: Block, inEach: boolean, partials: Map<string, hbs.AST.Program>): void {
    const line = node.loc.start.line;
    const name = node.path.original;
    const tag = this.openTag(node);
    if (!BUILTIN_BLOCKS.has(name) || node.params.length !== 1 || node.params[0].type !== 'PathExpression') throw M.badTag(this.file, line, tag);
    const subject = node.params[0] as Path;
    if (name === 'each') {
      if (!isListField(subject.original)) throw M.notAList(this.file, line, tag, subject.original, [...LIST_FIELDS]);
      if (node.inverse) throw M.strayElse(this.file, node.inverse.loc?.start.line ?? line);
      this.program(node.program, true, partials);
      return;
    }
    if (!isListField(subject.original)) this.field(subject, node, inEach, 'test', tag);
    this.program(node.program, inEach, partials);
    if (node.inverse) this.program(node.inverse, inEach, partials);
  }

  /** `{{#if x}}` as written (a block's loc spans the whole block). */
  private openTag(node: Block): string {
    const line = this.lines[node.loc.start.line - 1];
    const start = node.loc.start.column;
    const end = line.indexOf('}}', start);
    return line.slice(start, end === -1 ? undefined : end + 2);
  }

  private field(path: Path, owner: Node, inEach: boolean, use: 'value' | 'test', tag = this.tag(owner)): void {
    const line = owner.loc.start.line;
    if (path.data) {
      const name = path.original;
      if (inEach && ['@index', '@first', '@last'].includes(name)) return;
      if (name.startsWith('@root.') && fieldScope(name.slice(6), false) !== undefined) return;
      throw M.unknownField(this.file, line, tag, name);
    }
    if (path.depth > 0 || path.original === 'this' || path.original.startsWith('this.')) throw M.unknownField(this.file, line, tag, path.original);
    if (isListField(path.original)) {
      if (use === 'value') throw M.listAsValue(this.file, line, tag, path.original);
      return;
    }
    if (fieldScope(path.original, inEach) === undefined) throw M.unknownField(this.file, line, tag, path.original);
  }
}

function helperPath(name: string, loc: hbs.AST.SourceLocation): Path {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

/**
 * A Handlebars parse error in modelgov's words: the first unbalanced block tag (never closed,
 * closed by the wrong tag, a stray `{{else}}`) or a tag that is not Handlebars, with its line.
 */
function explainParseError(source: string, file: string, e: unknown): Error {
  const lines = source.split('\n');
  const stack: { name: string; tag: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (const m of lines[i].matchAll(/\{\{~?\s*([#/^]|else\b)?\s*(\*?[\w.@-]*)([^}]*)\}\}/g)) {
      const [tag, sigil, name] = m;
      const line = i + 1;
      if (sigil === '#' || (sigil === '^' && name !== '')) stack.push({ name: name.replace(/^\*/, ''), tag, line });
      else if (sigil === '/') {
        const top = stack.pop();
        if (top === undefined || top.name !== name) throw M.strayClose(file, line, tag);
      } else if (sigil === 'else' || (sigil === '^' && name === '')) {
        if (stack.at(-1)?.name !== 'if' && stack.at(-1)?.name !== 'unless') return M.strayElse(file, line);
      }
    }
  }
  const open = stack.at(-1);
  if (open) return M.unclosedBlock(file, open.line, open.tag, `{{/${open.name}}}`);
  const message = e instanceof Error ? e.message : String(e);
  const line = Number(/line (\d+)/.exec(message)?.[1] ?? (e as { lineNumber?: number }).lineNumber ?? 1);
  const tag = /\{\{[^}]*\}\}/.exec(lines[line - 1] ?? '')?.[0];
  return tag ? M.badTag(file, line, tag) : M.badTag(file, line, message.split('\n')[0]);
}

/** An error thrown while rendering (a helper, a strict-mode lookup) as TEMPLATE_INVALID with its line. */
function fromHandlebars(e: unknown, file: string): Error {
  if (e instanceof Error && (e as { code?: unknown }).code !== undefined) return e;
  const message = e instanceof Error ? e.message : String(e);
  const line = (e as { lineNumber?: number }).lineNumber ?? 1;
  return M.renderFailed(file, line, message.replace(/ - \d+:\d+$/, ''));
}
