/**
 * A small GoogleSQL interpreter for the BigQuery fake: it parses and executes the statements an
 * adapter sends (CREATE TABLE IF NOT EXISTS, ALTER TABLE ADD COLUMN, MERGE, INSERT … SELECT,
 * SELECT … WHERE … ORDER BY) against in-memory tables, with BigQuery's typing rules where they
 * catch real bugs: no implicit STRING→DATE, no equality on JSON, typed assignment into columns,
 * REQUIRED columns, three-valued NULL logic, and "a target row matched by two source rows".
 * It is deliberately not a general SQL engine; anything else is a 400 like the service's.
 */

export type SqlType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'JSON' | 'STRUCT' | 'ARRAY' | 'NULL';

/** A typed value; `v === null` is SQL NULL. TIMESTAMP is bigint microseconds, DATE `YYYY-MM-DD`, JSON canonical text. */
export interface Val {
  t: SqlType;
  v: unknown;
  /** STRUCT field types / ARRAY element type, for typing UNNEST and NULLs. */
  fields?: { name: string; type: SqlTypeDesc }[];
  element?: SqlTypeDesc;
}
export interface SqlTypeDesc {
  t: SqlType;
  fields?: { name: string; type: SqlTypeDesc }[];
  element?: SqlTypeDesc;
}

export interface Column {
  name: string;
  type: SqlType;
  mode: 'NULLABLE' | 'REQUIRED';
}
export interface Table {
  columns: Column[];
  rows: Map<string, Val>[];
}

/** What the interpreter needs from the fake: tables by reference. */
export interface Catalog {
  /** Returns the table, or throws the service's 404 (dataset or table not found). */
  table(ref: string): Table;
  /** Creates a table; returns false when it existed. Throws 404 when the dataset is missing. */
  createTable(ref: string, columns: Column[], ifNotExists: boolean): boolean;
  now(): bigint;
}

/** A statement error; the fake turns it into a 400 (or the given status) with reason `invalidQuery`. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly reason = 'invalidQuery',
  ) {
    super(message);
  }
}

export interface ExecResult {
  kind: 'SELECT' | 'MERGE' | 'INSERT' | 'CREATE_TABLE' | 'ALTER_TABLE';
  schema?: Column[];
  rows?: Val[][];
  affected?: number;
  inserted?: number;
  updated?: number;
}

// ------------------------------------------------------------------------------------ lexer

interface Token {
  k: 'id' | 'qid' | 'param' | 'str' | 'num' | 'op' | 'eof';
  s: string;
  line: number;
  col: number;
}

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; col: number } => ({ line, col: i - lineStart + 1 });
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ((c === '-' && text[i + 1] === '-') || c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) {
        if (text[i] === '\n') {
          line += 1;
          lineStart = i + 1;
        }
      }
      continue;
    }
    const pos = at();
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new SqlError(`Syntax error: Unclosed identifier literal at [${pos.line}:${pos.col}]`);
      out.push({ k: 'qid', s: text.slice(i + 1, end), ...pos });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') {
          const n = text[j + 1];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) throw new SqlError(`Syntax error: Unclosed string literal at [${pos.line}:${pos.col}]`);
      out.push({ k: 'str', s, ...pos });
      i = j + 1;
      continue;
    }
    if (c === '@') {
      const m = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 200));
      if (!m) throw new SqlError(`Syntax error: Unexpected "@" at [${pos.line}:${pos.col}]`);
      out.push({ k: 'param', s: m[1], ...pos });
      i += m[0].length;
      continue;
    }
    const num = /^(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(text.slice(i, i + 64));
    if (num) {
      out.push({ k: 'num', s: num[0], ...pos });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 300));
    if (id) {
      out.push({ k: 'id', s: id[0], ...pos });
      i += id[0].length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|[(),.*=<>;+\-/|[\]])/.exec(text.slice(i, i + 2));
    if (!op) throw new SqlError(`Syntax error: Illegal input character "${c}" at [${pos.line}:${pos.col}]`);
    out.push({ k: 'op', s: op[0], ...pos });
    i += op[0].length;
  }
  out.push({ k: 'eof', s: '', line, col: i - lineStart + 1 });
  return out;
}

// ------------------------------------------------------------------------------------ AST

type Expr =
  | { e: 'lit'; val: Val }
  | { e: 'param'; name: string; at: string }
  | { e: 'col'; qual?: string; name: string; at: string }
  | { e: 'call'; fn: string; args: Expr[]; at: string }
  | { e: 'not'; x: Expr }
  | { e: 'and' | 'or'; a: Expr; b: Expr }
  | { e: 'cmp'; op: string; a: Expr; b: Expr; at: string }
  | { e: 'isnull'; x: Expr; not: boolean }
  | { e: 'distinct'; a: Expr; b: Expr; not: boolean; at: string }
  | { e: 'in'; x: Expr; list?: Expr[]; sub?: Select; not: boolean; at: string };

interface FromItem {
  kind: 'table' | 'unnest' | 'sub';
  ref?: string;
  expr?: Expr;
  sub?: Select;
  alias: string;
}
interface Select {
  items: { star: true } | { expr: Expr; alias?: string }[];
  from?: FromItem;
  where?: Expr;
  orderBy: { expr: Expr; desc: boolean }[];
  limit?: number;
}
type Stmt =
  | { s: 'select'; q: Select }
  | { s: 'create'; ref: string; ifNotExists: boolean; columns: Column[] }
  | { s: 'alter'; ref: string; add: { col: Column; ifNotExists: boolean }[] }
  | { s: 'insert'; ref: string; columns?: string[]; q: Select }
  | {
      s: 'merge';
      ref: string;
      alias: string;
      source: FromItem;
      on: Expr;
      when: (
        | { matched: true; cond?: Expr; action: { kind: 'update'; set: { col: string; expr: Expr }[] } | { kind: 'delete' } }
        | { matched: false; cond?: Expr; columns?: string[]; values?: Expr[]; row?: boolean }
      )[];
    };

const TYPE_NAMES: Record<string, SqlType> = {
  STRING: 'STRING',
  INT64: 'INT64',
  INTEGER: 'INT64',
  INT: 'INT64',
  FLOAT64: 'FLOAT64',
  FLOAT: 'FLOAT64',
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  JSON: 'JSON',
};

class Parser {
  private p = 0;
  constructor(private readonly t: Token[]) {}

  private peek(o = 0): Token {
    return this.t[Math.min(this.p + o, this.t.length - 1)];
  }
  private next(): Token {
    return this.t[this.p++];
  }
  private where(tok = this.peek()): string {
    return `[${tok.line}:${tok.col}]`;
  }
  private isKw(word: string, o = 0): boolean {
    const tok = this.peek(o);
    return tok.k === 'id' && tok.s.toUpperCase() === word;
  }
  private kw(word: string): boolean {
    if (this.isKw(word)) {
      this.p++;
      return true;
    }
    return false;
  }
  private expectKw(word: string): void {
    if (!this.kw(word)) this.fail(`Expected keyword ${word}`);
  }
  private op(s: string): boolean {
    const tok = this.peek();
    if (tok.k === 'op' && tok.s === s) {
      this.p++;
      return true;
    }
    return false;
  }
  private expectOp(s: string): void {
    if (!this.op(s)) this.fail(`Expected "${s}"`);
  }
  private fail(what: string): never {
    const tok = this.peek();
    throw new SqlError(`Syntax error: ${what} but got ${tok.k === 'eof' ? 'end of input' : `"${tok.s}"`} at ${this.where(tok)}`);
  }
  private ident(): string {
    const tok = this.next();
    if (tok.k !== 'id' && tok.k !== 'qid') {
      this.p--;
      this.fail('Expected identifier');
    }
    return tok.s;
  }
  /** `a.b.c`, `` `a.b.c` ``, `` `a`.b `` … joined with dots. */
  private tableRef(): string {
    const parts = [this.ident()];
    while (this.peek().k === 'op' && this.peek().s === '.') {
      this.p++;
      parts.push(this.ident());
    }
    return parts.join('.');
  }
  private typeName(): SqlType {
    const tok = this.next();
    const t = TYPE_NAMES[tok.s.toUpperCase()];
    if (!t) throw new SqlError(`Type not found: ${tok.s} at ${this.where(tok)}`);
    return t;
  }

  statement(): Stmt {
    let st: Stmt;
    if (this.isKw('SELECT')) st = { s: 'select', q: this.select() };
    else if (this.kw('CREATE')) st = this.create();
    else if (this.kw('ALTER')) st = this.alter();
    else if (this.kw('INSERT')) st = this.insert();
    else if (this.kw('MERGE')) st = this.merge();
    else this.fail('Expected a statement');
    this.op(';');
    if (this.peek().k !== 'eof') this.fail('Expected end of input');
    return st;
  }

  private create(): Stmt {
    this.expectKw('TABLE');
    const ifNotExists = this.ifNotExists();
    const ref = this.tableRef();
    this.expectOp('(');
    const columns: Column[] = [];
    do {
      const name = this.ident();
      const type = this.typeName();
      let mode: Column['mode'] = 'NULLABLE';
      if (this.kw('NOT')) {
        this.expectKw('NULL');
        mode = 'REQUIRED';
      }
      this.skipOptions();
      columns.push({ name, type, mode });
    } while (this.op(','));
    this.expectOp(')');
    this.skipOptions();
    return { s: 'create', ref, ifNotExists, columns };
  }
  /** An optional `IF NOT EXISTS`; true when present. */
  private ifNotExists(): boolean {
    if (!this.kw('IF')) return false;
    this.expectKw('NOT');
    this.expectKw('EXISTS');
    return true;
  }
  /** `OPTIONS(...)` carries descriptions only; skipped. */
  private skipOptions(): void {
    if (!this.kw('OPTIONS')) return;
    this.expectOp('(');
    let depth = 1;
    while (depth > 0) {
      const tok = this.next();
      if (tok.k === 'eof') this.fail('Expected ")"');
      if (tok.k === 'op' && tok.s === '(') depth++;
      if (tok.k === 'op' && tok.s === ')') depth--;
    }
  }
  private alter(): Stmt {
    this.expectKw('TABLE');
    const ref = this.tableRef();
    const add: { col: Column; ifNotExists: boolean }[] = [];
    do {
      this.expectKw('ADD');
      this.expectKw('COLUMN');
      const ifNotExists = this.ifNotExists();
      const name = this.ident();
      const type = this.typeName();
      if (this.isKw('NOT')) throw new SqlError(`Column ${name} cannot be added as REQUIRED; new columns must be NULLABLE`);
      this.skipOptions();
      add.push({ col: { name, type, mode: 'NULLABLE' }, ifNotExists });
    } while (this.op(','));
    return { s: 'alter', ref, add };
  }
  /** An optional `(col, …)` list, as INSERT and MERGE's INSERT take it. */
  private columnList(): string[] | undefined {
    if (!this.op('(')) return undefined;
    const columns: string[] = [];
    do columns.push(this.ident());
    while (this.op(','));
    this.expectOp(')');
    return columns;
  }
  private insert(): Stmt {
    this.kw('INTO');
    const ref = this.tableRef();
    const columns = this.columnList();
    if (!this.isKw('SELECT')) this.fail('Expected SELECT (the fake supports INSERT … SELECT)');
    return { s: 'insert', ref, columns, q: this.select() };
  }
  private merge(): Stmt {
    this.kw('INTO');
    const ref = this.tableRef();
    this.kw('AS');
    const alias = this.ident();
    this.expectKw('USING');
    const source = this.fromItem();
    this.expectKw('ON');
    const on = this.expr();
    const when: Extract<Stmt, { s: 'merge' }>['when'] = [];
    while (this.kw('WHEN')) {
      const not = this.kw('NOT');
      this.expectKw('MATCHED');
      if (not && this.kw('BY')) this.expectKw('TARGET');
      const cond = this.kw('AND') ? this.expr() : undefined;
      this.expectKw('THEN');
      if (!not) {
        if (this.kw('DELETE')) when.push({ matched: true, cond, action: { kind: 'delete' } });
        else {
          this.expectKw('UPDATE');
          this.expectKw('SET');
          const set: { col: string; expr: Expr }[] = [];
          do {
            const col = this.ident();
            this.expectOp('=');
            set.push({ col, expr: this.expr() });
          } while (this.op(','));
          when.push({ matched: true, cond, action: { kind: 'update', set } });
        }
      } else {
        this.expectKw('INSERT');
        if (this.kw('ROW')) {
          when.push({ matched: false, cond, row: true });
          continue;
        }
        const columns = this.columnList();
        this.expectKw('VALUES');
        this.expectOp('(');
        const values: Expr[] = [];
        do values.push(this.expr());
        while (this.op(','));
        this.expectOp(')');
        when.push({ matched: false, cond, columns, values });
      }
    }
    if (when.length === 0) this.fail('Expected WHEN');
    return { s: 'merge', ref, alias, source, on, when };
  }

  private fromItem(): FromItem {
    let item: FromItem;
    if (this.isKw('UNNEST')) {
      this.p++;
      this.expectOp('(');
      const expr = this.expr();
      this.expectOp(')');
      item = { kind: 'unnest', expr, alias: '' };
    } else if (this.op('(')) {
      const sub = this.select();
      this.expectOp(')');
      item = { kind: 'sub', sub, alias: '' };
    } else {
      const ref = this.tableRef();
      item = { kind: 'table', ref, alias: ref.split('.').pop()! };
    }
    if (this.kw('AS') || (this.peek().k === 'id' && !this.isClauseKeyword())) item.alias = this.ident();
    return item;
  }
  private isClauseKeyword(): boolean {
    return ['WHERE', 'ORDER', 'LIMIT', 'ON', 'WHEN', 'GROUP', 'USING'].some((k) => this.isKw(k));
  }

  select(): Select {
    this.expectKw('SELECT');
    let items: Select['items'];
    if (this.op('*')) items = { star: true };
    else {
      items = [];
      do {
        const expr = this.expr();
        const alias = this.kw('AS') ? this.ident() : undefined;
        items.push({ expr, alias });
      } while (this.op(','));
    }
    const q: Select = { items, orderBy: [] };
    if (this.kw('FROM')) q.from = this.fromItem();
    if (this.kw('WHERE')) q.where = this.expr();
    if (this.kw('ORDER')) {
      this.expectKw('BY');
      do {
        const expr = this.expr();
        const desc = this.kw('DESC');
        if (!desc) this.kw('ASC');
        q.orderBy.push({ expr, desc });
      } while (this.op(','));
    }
    if (this.kw('LIMIT')) q.limit = Number(this.next().s);
    return q;
  }

  private expr(): Expr {
    return this.or();
  }
  private or(): Expr {
    let a = this.and();
    while (this.kw('OR')) a = { e: 'or', a, b: this.and() };
    return a;
  }
  private and(): Expr {
    let a = this.not();
    while (this.kw('AND')) a = { e: 'and', a, b: this.not() };
    return a;
  }
  private not(): Expr {
    if (this.kw('NOT')) return { e: 'not', x: this.not() };
    return this.comparison();
  }
  private comparison(): Expr {
    const a = this.primary();
    const at = this.where();
    const tok = this.peek();
    if (tok.k === 'op' && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(tok.s)) {
      this.p++;
      return { e: 'cmp', op: tok.s === '<>' ? '!=' : tok.s, a, b: this.primary(), at };
    }
    if (this.kw('IS')) {
      const not = this.kw('NOT');
      if (this.kw('NULL')) return { e: 'isnull', x: a, not };
      if (this.kw('DISTINCT')) {
        this.expectKw('FROM');
        return { e: 'distinct', a, b: this.primary(), not, at };
      }
      if (this.kw('TRUE')) return { e: 'cmp', op: not ? '!=' : '=', a, b: { e: 'lit', val: { t: 'BOOL', v: true } }, at };
      this.fail('Expected NULL, DISTINCT FROM or TRUE after IS');
    }
    const notIn = this.isKw('NOT') && this.isKw('IN', 1);
    if (notIn) this.p++;
    if (this.kw('IN')) {
      this.expectOp('(');
      if (this.isKw('SELECT')) {
        const sub = this.select();
        this.expectOp(')');
        return { e: 'in', x: a, sub, not: notIn, at };
      }
      const list: Expr[] = [];
      do list.push(this.expr());
      while (this.op(','));
      this.expectOp(')');
      return { e: 'in', x: a, list, not: notIn, at };
    }
    return a;
  }
  private primary(): Expr {
    const tok = this.peek();
    const at = this.where(tok);
    if (this.op('(')) {
      const x = this.expr();
      this.expectOp(')');
      return x;
    }
    if (tok.k === 'param') {
      this.p++;
      return { e: 'param', name: tok.s, at };
    }
    if (tok.k === 'str') {
      this.p++;
      return { e: 'lit', val: { t: 'STRING', v: tok.s } };
    }
    if (tok.k === 'num') {
      this.p++;
      const isInt = /^\d+$/.test(tok.s);
      return { e: 'lit', val: { t: isInt ? 'INT64' : 'FLOAT64', v: Number(tok.s) } };
    }
    if (tok.k === 'op' && tok.s === '-' && this.peek(1).k === 'num') {
      this.p++;
      const n = this.next();
      return { e: 'lit', val: { t: /^\d+$/.test(n.s) ? 'INT64' : 'FLOAT64', v: -Number(n.s) } };
    }
    if (tok.k === 'id' || tok.k === 'qid') {
      const word = tok.s.toUpperCase();
      if (tok.k === 'id' && word === 'NULL') return this.p++, { e: 'lit', val: { t: 'NULL', v: null } };
      if (tok.k === 'id' && (word === 'TRUE' || word === 'FALSE')) return this.p++, { e: 'lit', val: { t: 'BOOL', v: word === 'TRUE' } };
      if (tok.k === 'id' && (word === 'DATE' || word === 'TIMESTAMP' || word === 'JSON') && this.peek(1).k === 'str') {
        this.p += 2;
        return { e: 'call', fn: `${word}_LITERAL`, args: [{ e: 'lit', val: { t: 'STRING', v: this.t[this.p - 1].s } }], at };
      }
      this.p++;
      if (this.op('(')) {
        const args: Expr[] = [];
        if (!this.op(')')) {
          do args.push(this.expr());
          while (this.op(','));
          this.expectOp(')');
        }
        return { e: 'call', fn: word, args, at };
      }
      if (this.op('.')) return { e: 'col', qual: tok.s, name: this.ident(), at };
      return { e: 'col', name: tok.s, at };
    }
    this.fail('Expected an expression');
  }
}

export function parseSql(text: string): Stmt {
  return new Parser(lex(text)).statement();
}

// ------------------------------------------------------------------------------------ values

const NULLV = (t: SqlType = 'NULL'): Val => ({ t, v: null });
const isNull = (x: Val): boolean => x.v === null;

/** Canonical JSON text (sorted keys, compact), as the fake stores JSON values. */
export function canonicalJson(text: string): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]))
        : x;
  return JSON.stringify(sort(JSON.parse(text)));
}

function comparable(a: SqlType, b: SqlType): boolean {
  if (a === 'NULL' || b === 'NULL') return true;
  if (a === b) return true;
  const num = (t: SqlType): boolean => t === 'INT64' || t === 'FLOAT64';
  return num(a) && num(b);
}
function typeCheckCompare(op: string, a: Val, b: Val, at: string): void {
  if (a.t === 'JSON' || b.t === 'JSON') throw new SqlError(`Equality is not defined for arguments of type JSON at ${at}`);
  if (a.t === 'STRUCT' || a.t === 'ARRAY' || b.t === 'STRUCT' || b.t === 'ARRAY') {
    throw new SqlError(`No matching signature for operator ${op} for argument types: ${a.t}, ${b.t} at ${at}`);
  }
  if (!comparable(a.t, b.t)) {
    throw new SqlError(
      `No matching signature for operator ${op} for argument types: ${a.t}, ${b.t}. Supported signature: ANY ${op} ANY at ${at}`,
    );
  }
}
/** -1/0/1 for non-NULL comparable values. */
function compareVals(a: Val, b: Val): number {
  const x = a.v as number | string | bigint | boolean;
  const y = b.v as number | string | bigint | boolean;
  if (typeof x === 'boolean') return Number(x) - Number(y);
  return x < y ? -1 : x > y ? 1 : 0;
}
function same(a: Val, b: Val): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  return compareVals(a, b) === 0;
}
const boolOf = (x: Val): boolean | null => (isNull(x) ? null : Boolean(x.v));

/** A value assigned into a column: BigQuery's coercions (INT64→FLOAT64, NULL→any) and nothing else. */
function assign(col: Column, x: Val): Val {
  if (isNull(x)) {
    if (x.t !== 'NULL' && x.t !== col.type && !(x.t === 'INT64' && col.type === 'FLOAT64')) {
      throw new SqlError(`Value of type ${x.t} cannot be assigned to ${col.name}, which has type ${col.type}`);
    }
    if (col.mode === 'REQUIRED') throw new SqlError(`Required field ${col.name} cannot be null`);
    return NULLV(col.type);
  }
  if (x.t === col.type) return x;
  if (x.t === 'INT64' && col.type === 'FLOAT64') return { t: 'FLOAT64', v: Number(x.v) };
  throw new SqlError(`Value of type ${x.t} cannot be assigned to ${col.name}, which has type ${col.type}`);
}

// ------------------------------------------------------------------------------------ execution

type Scope = Map<string, Map<string, Val>>;

type Names = Map<string, Set<string>>;

/** Every column reference in `x` resolves against `names` (alias → columns). */
function checkNames(x: Expr, names: Names): void {
  switch (x.e) {
    case 'col': {
      if (x.qual) {
        const cols = names.get(x.qual);
        if (!cols) throw new SqlError(`Unrecognized name: ${x.qual} at ${x.at}`);
        if (!cols.has(x.name)) throw new SqlError(`Name ${x.name} not found inside ${x.qual} at ${x.at}`);
      } else if (![...names.values()].some((cols) => cols.has(x.name))) {
        throw new SqlError(`Unrecognized name: ${x.name} at ${x.at}`);
      }
      return;
    }
    case 'call':
      return x.args.forEach((a) => checkNames(a, names));
    case 'not':
      return checkNames(x.x, names);
    case 'and':
    case 'or':
    case 'cmp':
    case 'distinct':
      checkNames(x.a, names);
      return checkNames(x.b, names);
    case 'isnull':
      return checkNames(x.x, names);
    case 'in':
      checkNames(x.x, names);
      return x.list?.forEach((a) => checkNames(a, names));
    default:
      return;
  }
}

class Exec {
  private subCache = new Map<Select, Val[]>();
  /** Names visible from enclosing statements (none: the fake has no correlated subqueries). */
  private readonly outerNames: Names = new Map();
  constructor(
    private readonly cat: Catalog,
    private readonly params: Map<string, Val>,
  ) {}

  eval(x: Expr, scope: Scope): Val {
    switch (x.e) {
      case 'lit':
        return x.val;
      case 'param': {
        const p = this.params.get(x.name);
        if (!p) throw new SqlError(`Query parameter '${x.name}' not found at ${x.at}`);
        return p;
      }
      case 'col': {
        if (x.qual) {
          const row = scope.get(x.qual);
          if (!row) throw new SqlError(`Unrecognized name: ${x.qual} at ${x.at}`);
          const v = row.get(x.name);
          if (!v) throw new SqlError(`Name ${x.name} not found inside ${x.qual} at ${x.at}`);
          return v;
        }
        for (const row of scope.values()) {
          const v = row.get(x.name);
          if (v) return v;
        }
        throw new SqlError(`Unrecognized name: ${x.name} at ${x.at}`);
      }
      case 'not': {
        const b = boolOf(this.eval(x.x, scope));
        return { t: 'BOOL', v: b === null ? null : !b };
      }
      case 'and': {
        const a = boolOf(this.eval(x.a, scope));
        if (a === false) return { t: 'BOOL', v: false };
        const b = boolOf(this.eval(x.b, scope));
        return { t: 'BOOL', v: b === false ? false : a === null || b === null ? null : true };
      }
      case 'or': {
        const a = boolOf(this.eval(x.a, scope));
        if (a === true) return { t: 'BOOL', v: true };
        const b = boolOf(this.eval(x.b, scope));
        return { t: 'BOOL', v: b === true ? true : a === null || b === null ? null : false };
      }
      case 'isnull': {
        const v = this.eval(x.x, scope);
        return { t: 'BOOL', v: isNull(v) !== x.not };
      }
      case 'cmp': {
        const a = this.eval(x.a, scope);
        const b = this.eval(x.b, scope);
        typeCheckCompare(x.op, a, b, x.at);
        if (isNull(a) || isNull(b)) return NULLV('BOOL');
        const c = compareVals(a, b);
        const r = { '=': c === 0, '!=': c !== 0, '<': c < 0, '>': c > 0, '<=': c <= 0, '>=': c >= 0 }[x.op];
        return { t: 'BOOL', v: r };
      }
      case 'distinct': {
        const a = this.eval(x.a, scope);
        const b = this.eval(x.b, scope);
        typeCheckCompare('IS DISTINCT FROM', a, b, x.at);
        return { t: 'BOOL', v: !same(a, b) !== x.not };
      }
      case 'in': {
        const v = this.eval(x.x, scope);
        let candidates: Val[];
        if (x.sub) {
          let cached = this.subCache.get(x.sub);
          if (!cached) {
            const r = this.select(x.sub, new Map());
            if (r.schema.length !== 1) throw new SqlError(`IN subquery must return one column at ${x.at}`);
            cached = r.rows.map((row) => row[0]);
            this.subCache.set(x.sub, cached);
          }
          candidates = cached;
        } else candidates = x.list!.map((e) => this.eval(e, scope));
        for (const c of candidates) typeCheckCompare('IN', v, c, x.at);
        if (isNull(v)) return NULLV('BOOL');
        let sawNull = false;
        for (const c of candidates) {
          if (isNull(c)) sawNull = true;
          else if (compareVals(v, c) === 0) return { t: 'BOOL', v: !x.not };
        }
        return sawNull ? NULLV('BOOL') : { t: 'BOOL', v: x.not };
      }
      case 'call':
        return this.call(x, scope);
    }
  }

  private call(x: Extract<Expr, { e: 'call' }>, scope: Scope): Val {
    const args = x.args.map((a) => this.eval(a, scope));
    const want = (n: number): void => {
      if (args.length !== n) throw new SqlError(`Number of arguments does not match for function ${x.fn} at ${x.at}`);
    };
    switch (x.fn) {
      case 'CURRENT_TIMESTAMP':
        want(0);
        return { t: 'TIMESTAMP', v: this.cat.now() };
      case 'COALESCE': {
        const types = new Set(args.map((a) => a.t).filter((t) => t !== 'NULL'));
        if (types.size > 1 && !(types.size === 2 && types.has('INT64') && types.has('FLOAT64'))) {
          throw new SqlError(`No matching signature for function COALESCE for argument types: ${args.map((a) => a.t).join(', ')} at ${x.at}`);
        }
        return args.find((a) => !isNull(a)) ?? NULLV([...types][0] ?? 'NULL');
      }
      case 'PARSE_JSON': {
        want(1);
        if (args[0].t !== 'STRING' && args[0].t !== 'NULL') {
          throw new SqlError(`No matching signature for function PARSE_JSON for argument types: ${args[0].t} at ${x.at}`);
        }
        if (isNull(args[0])) return NULLV('JSON');
        try {
          return { t: 'JSON', v: canonicalJson(String(args[0].v)) };
        } catch {
          throw new SqlError(`Invalid input to PARSE_JSON: ${String(args[0].v).slice(0, 80)} at ${x.at}`);
        }
      }
      case 'TO_JSON_STRING': {
        want(1);
        const a = args[0];
        // Like the service: a SQL NULL becomes the JSON text "null".
        if (isNull(a)) return { t: 'STRING', v: 'null' };
        if (a.t === 'JSON') return { t: 'STRING', v: a.v as string };
        if (a.t === 'TIMESTAMP') return { t: 'STRING', v: JSON.stringify(microsToIso(a.v as bigint)) };
        return { t: 'STRING', v: JSON.stringify(a.v) };
      }
      case 'DATE_LITERAL':
        return { t: 'DATE', v: parseDate(String(args[0].v), `DATE literal at ${x.at}`) };
      case 'TIMESTAMP_LITERAL':
        return { t: 'TIMESTAMP', v: parseTimestamp(String(args[0].v), `TIMESTAMP literal at ${x.at}`) };
      case 'JSON_LITERAL':
        return { t: 'JSON', v: canonicalJson(String(args[0].v)) };
      default:
        throw new SqlError(`Function not found: ${x.fn} at ${x.at}`);
    }
  }

  /** Rows of a FROM item, each a scope entry under the item's alias. */
  private fromRows(item: FromItem, outer: Scope): { columns: Column[]; rows: Map<string, Val>[] } {
    if (item.kind === 'table') {
      const t = this.cat.table(item.ref!);
      return { columns: t.columns, rows: t.rows };
    }
    if (item.kind === 'sub') {
      const r = this.select(item.sub!, outer);
      return { columns: r.schema, rows: r.rows.map((vals) => new Map(r.schema.map((c, i) => [c.name, vals[i]]))) };
    }
    const arr = this.eval(item.expr!, outer);
    if (arr.t !== 'ARRAY') throw new SqlError(`Values referenced in UNNEST must be arrays. UNNEST contains expression of type ${arr.t}`);
    const el = arr.element!;
    if (el.t !== 'STRUCT') {
      const name = item.alias || 'f0_';
      return {
        columns: [{ name, type: el.t, mode: 'NULLABLE' }],
        rows: ((arr.v as Val[]) ?? []).map((v) => new Map([[name, v]])),
      };
    }
    const columns = el.fields!.map((f) => ({ name: f.name, type: f.type.t, mode: 'NULLABLE' as const }));
    return { columns, rows: ((arr.v as Val[]) ?? []).map((s) => s.v as Map<string, Val>) };
  }

  select(q: Select, outer: Scope): { schema: Column[]; rows: Val[][] } {
    const src = q.from ? this.fromRows(q.from, outer) : { columns: [], rows: [new Map<string, Val>()] };
    const alias = q.from?.alias || '$';
    // Names are resolved when the statement is compiled, not per row: a wrong column fails
    // even on an empty table, as in the service.
    const names: Names = new Map([...this.outerNames, [alias, new Set(src.columns.map((c) => c.name))]]);
    for (const e of [...('star' in q.items ? [] : q.items.map((i) => i.expr)), q.where, ...q.orderBy.map((o) => o.expr)]) {
      if (e) checkNames(e, names);
    }
    const scoped = src.rows.map((row) => new Map(outer).set(alias, row));
    const kept = q.where ? scoped.filter((s) => boolOf(this.eval(q.where!, s)) === true) : scoped;
    if (q.orderBy.length) {
      const keys = kept.map((s) => q.orderBy.map((o) => this.eval(o.expr, s)));
      const idx = kept.map((_, i) => i);
      idx.sort((i, j) => {
        for (let k = 0; k < q.orderBy.length; k++) {
          const a = keys[i][k];
          const b = keys[j][k];
          // BigQuery orders NULLs first ascending, last descending.
          const c = isNull(a) && isNull(b) ? 0 : isNull(a) ? -1 : isNull(b) ? 1 : compareVals(a, b);
          if (c !== 0) return q.orderBy[k].desc ? -c : c;
        }
        return i - j;
      });
      kept.splice(0, kept.length, ...idx.map((i) => kept[i]));
    }
    const limited = q.limit === undefined ? kept : kept.slice(0, q.limit);
    if ('star' in q.items) {
      return { schema: src.columns, rows: limited.map((s) => src.columns.map((c) => s.get(alias)!.get(c.name)!)) };
    }
    const items = q.items;
    const rows = limited.map((s) => items.map((it) => this.eval(it.expr, s)));
    const schema: Column[] = items.map((it, i) => {
      const name = it.alias ?? (it.expr.e === 'col' ? it.expr.name : `f${i}_`);
      const fromCol = it.expr.e === 'col' ? src.columns.find((c) => c.name === (it.expr as { name: string }).name) : undefined;
      const type = fromCol?.type ?? rows.find((r) => r[i].t !== 'NULL')?.[i].t ?? 'STRING';
      return { name, type, mode: fromCol?.mode ?? 'NULLABLE' };
    });
    return { schema, rows };
  }

  run(st: Stmt): ExecResult {
    switch (st.s) {
      case 'select': {
        const r = this.select(st.q, new Map());
        return { kind: 'SELECT', schema: r.schema, rows: r.rows };
      }
      case 'create': {
        const names = new Set<string>();
        for (const c of st.columns) {
          if (names.has(c.name.toLowerCase())) throw new SqlError(`Duplicate column name ${c.name} in CREATE TABLE`);
          names.add(c.name.toLowerCase());
        }
        this.cat.createTable(st.ref, st.columns, st.ifNotExists);
        return { kind: 'CREATE_TABLE' };
      }
      case 'alter': {
        const t = this.cat.table(st.ref);
        for (const { col, ifNotExists } of st.add) {
          if (t.columns.some((c) => c.name === col.name)) {
            if (ifNotExists) continue;
            throw new SqlError(`Column already exists: ${col.name}`);
          }
          t.columns.push(col);
          for (const row of t.rows) row.set(col.name, NULLV(col.type));
        }
        return { kind: 'ALTER_TABLE' };
      }
      case 'insert': {
        const t = this.cat.table(st.ref);
        const names = st.columns ?? t.columns.map((c) => c.name);
        const cols = names.map((n) => {
          const c = t.columns.find((x) => x.name === n);
          if (!c) throw new SqlError(`Column ${n} is not present in table ${st.ref}`);
          return c;
        });
        const r = this.select(st.q, new Map());
        if (r.schema.length !== cols.length) {
          throw new SqlError(`Inserted row has wrong column count; Has ${r.schema.length}, expected ${cols.length}`);
        }
        const newRows = r.rows.map((vals) => this.fullRow(t, cols, vals));
        t.rows.push(...newRows);
        return { kind: 'INSERT', affected: newRows.length, inserted: newRows.length };
      }
      case 'merge':
        return this.merge(st);
    }
  }

  /** A complete row: the given columns assigned, the others NULL (REQUIRED ones refuse). */
  private fullRow(t: Table, cols: Column[], vals: Val[]): Map<string, Val> {
    const row = new Map<string, Val>();
    cols.forEach((c, i) => row.set(c.name, assign(c, vals[i])));
    for (const c of t.columns) if (!row.has(c.name)) row.set(c.name, assign(c, NULLV()));
    return row;
  }

  private merge(st: Extract<Stmt, { s: 'merge' }>): ExecResult {
    const t = this.cat.table(st.ref);
    const src = this.fromRows(st.source, new Map());
    const sAlias = st.source.alias || 'S';
    const targetCols = new Map(t.columns.map((c) => [c.name, c]));
    const both: Names = new Map([
      [st.alias, new Set(t.columns.map((c) => c.name))],
      [sAlias, new Set(src.columns.map((c) => c.name))],
    ]);
    checkNames(st.on, both);
    for (const w of st.when) {
      if (w.matched) {
        if (w.cond) checkNames(w.cond, both);
        if (w.action.kind === 'update') {
          for (const { col, expr } of w.action.set) {
            if (!targetCols.has(col)) throw new SqlError(`Column ${col} is not present in table ${st.ref}`);
            checkNames(expr, both);
          }
        }
      } else {
        const sourceOnly: Names = new Map([[sAlias, both.get(sAlias)!]]);
        if (w.cond) checkNames(w.cond, sourceOnly);
        for (const c of w.columns ?? []) if (!targetCols.has(c)) throw new SqlError(`Column ${c} is not present in table ${st.ref}`);
        for (const v of w.values ?? []) checkNames(v, sourceOnly);
      }
    }
    // Hash join for ON T.a = S.b (what an upsert by key sends); nested loop otherwise.
    const on = st.on;
    const sides =
      on.e === 'cmp' && on.op === '=' && on.a.e === 'col' && on.b.e === 'col'
        ? on.a.qual === st.alias && on.b.qual === sAlias
          ? { t: on.a.name, s: on.b.name }
          : on.b.qual === st.alias && on.a.qual === sAlias
            ? { t: on.b.name, s: on.a.name }
            : undefined
        : undefined;
    const matchesOf = new Map<Map<string, Val>, Map<string, Val>[]>(); // source row -> target rows
    const matchedTargets = new Map<Map<string, Val>, number>();
    if (sides) {
      // Type check the key comparison once, as the service does at compile time.
      if (src.rows.length && t.rows.length) typeCheckCompare('=', t.rows[0].get(sides.t)!, src.rows[0].get(sides.s)!, (on as { at: string }).at);
      if (!targetCols.has(sides.t)) throw new SqlError(`Name ${sides.t} not found inside ${st.alias}`);
      const index = new Map<string, Map<string, Val>[]>();
      for (const row of t.rows) {
        const k = row.get(sides.t)!;
        if (isNull(k)) continue;
        const key = `${k.t}:${String(k.v)}`;
        index.set(key, [...(index.get(key) ?? []), row]);
      }
      for (const s of src.rows) {
        const k = s.get(sides.s);
        if (!k) throw new SqlError(`Name ${sides.s} not found inside ${sAlias}`);
        matchesOf.set(s, isNull(k) ? [] : (index.get(`${k.t === 'INT64' ? 'INT64' : k.t}:${String(k.v)}`) ?? []));
      }
    } else {
      for (const s of src.rows) {
        matchesOf.set(
          s,
          t.rows.filter((row) => boolOf(this.eval(on, new Map([[st.alias, row], [sAlias, s]]))) === true),
        );
      }
    }
    for (const targets of matchesOf.values()) {
      for (const row of targets) {
        const n = (matchedTargets.get(row) ?? 0) + 1;
        if (n > 1) throw new SqlError('UPDATE/MERGE must match at most one source row for each target row');
        matchedTargets.set(row, n);
      }
    }
    let inserted = 0;
    let updated = 0;
    let deleted = 0;
    const toDelete = new Set<Map<string, Val>>();
    const appended: Map<string, Val>[] = [];
    for (const s of src.rows) {
      const targets = matchesOf.get(s)!;
      if (targets.length) {
        for (const row of targets) {
          const scope: Scope = new Map([[st.alias, row], [sAlias, s]]);
          const clause = st.when.find((w) => w.matched && (!w.cond || boolOf(this.eval(w.cond, scope)) === true));
          if (!clause || !clause.matched) continue;
          if (clause.action.kind === 'delete') {
            toDelete.add(row);
            deleted++;
            continue;
          }
          const values = clause.action.set.map(({ col, expr }) => {
            const c = targetCols.get(col);
            if (!c) throw new SqlError(`Column ${col} is not present in table ${st.ref}`);
            return [col, assign(c, this.eval(expr, scope))] as const;
          });
          for (const [col, v] of values) row.set(col, v);
          updated++;
        }
      } else {
        const scope: Scope = new Map([[sAlias, s]]);
        const clause = st.when.find((w) => !w.matched && (!w.cond || boolOf(this.eval(w.cond, scope)) === true));
        if (!clause || clause.matched) continue;
        let cols: Column[];
        let vals: Val[];
        if (clause.row) {
          cols = t.columns;
          vals = t.columns.map((c) => {
            const v = s.get(c.name);
            if (!v) throw new SqlError(`INSERT ROW: source has no column ${c.name}`);
            return v;
          });
        } else {
          const names = clause.columns ?? t.columns.map((c) => c.name);
          cols = names.map((n) => {
            const c = targetCols.get(n);
            if (!c) throw new SqlError(`Column ${n} is not present in table ${st.ref}`);
            return c;
          });
          if (clause.values!.length !== cols.length) throw new SqlError('Inserted row has wrong column count');
          vals = clause.values!.map((e) => this.eval(e, scope));
        }
        appended.push(this.fullRow(t, cols, vals));
        inserted++;
      }
    }
    if (toDelete.size) t.rows.splice(0, t.rows.length, ...t.rows.filter((r) => !toDelete.has(r)));
    t.rows.push(...appended);
    return { kind: 'MERGE', affected: inserted + updated + deleted, inserted, updated };
  }
}

/**
 * Parses and executes one statement. Tables are changed only when the whole statement succeeds
 * (the catalog's tables are copied first), as a BigQuery DML job is atomic.
 */
export function executeSql(text: string, params: Map<string, Val>, cat: Catalog): ExecResult {
  const st = parseSql(text);
  if (st.s === 'merge' || st.s === 'insert' || st.s === 'alter') {
    const real = cat.table(st.ref);
    const copy: Table = { columns: real.columns.slice(), rows: real.rows.map((r) => new Map(r)) };
    const shadow: Catalog = { ...cat, table: (ref) => (ref === st.ref ? copy : cat.table(ref)), createTable: cat.createTable, now: cat.now };
    const result = new Exec(shadow, params).run(st);
    real.columns.splice(0, real.columns.length, ...copy.columns);
    real.rows.splice(0, real.rows.length, ...copy.rows);
    return result;
  }
  return new Exec(cat, params).run(st);
}

// ------------------------------------------------------------------------------------ literals

/** `YYYY-M-D` → `YYYY-MM-DD` when it is a real calendar date. */
export function parseDate(s: string, what: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new SqlError(`Invalid DATE value "${s}" in ${what}`);
  }
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

/** A timestamp literal (`2026-02-08 14:47:49.123456+00`, ISO with Z) → microseconds. */
export function parseTimestamp(s: string, what: string): bigint {
  const m = /^(\d{4}-\d{1,2}-\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/i.exec(s.trim());
  if (!m) throw new SqlError(`Invalid TIMESTAMP value "${s}" in ${what}`);
  const date = parseDate(m[1], what);
  const ms = Date.parse(`${date}T${(m[2] ?? '0').padStart(2, '0')}:${m[3] ?? '00'}:${m[4] ?? '00'}Z`);
  if (Number.isNaN(ms)) throw new SqlError(`Invalid TIMESTAMP value "${s}" in ${what}`);
  let offsetMin = 0;
  const tz = m[6];
  if (tz && !/^(Z|UTC)$/i.test(tz)) {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(tz)!;
    offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  const frac = BigInt((m[5] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  return BigInt(ms - offsetMin * 60_000) * 1000n + frac;
}

export function microsToIso(us: bigint): string {
  const ms = Number(us / 1000n);
  const micros = Number(((us % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${String(micros).padStart(6, '0')}Z`);
}
