import type { Html, Nodes, Parents, Root } from 'mdast';
import type { Data, Processor } from 'unified';
import { ModelgovError } from '../errors.js';
import { DOCS_MESSAGES as M } from './docs-messages.js';
import { MARKER_HINT, SYSTEM_ID_SOURCE } from './marker-block.js';

/** One `<!-- modelgov:start S -->` … `<!-- modelgov:end S -->` pair found in a document. */
export interface MarkerPair {
  system: string;
  /** 1-based line of the start marker. */
  startLine: number;
  /** 1-based line of the end marker. */
  endLine: number;
  /**
   * Offset in the source string (BOM included) of the line ending that ends the start-marker
   * line. The replaced range `[contentStart, contentEnd)` therefore starts with that line ending.
   */
  contentStart: number;
  /**
   * Offset of the first character of the end-marker line (its indentation, if any, is kept).
   * `source.slice(contentStart, contentEnd)` is everything between the two marker lines,
   * including the line ending after the start marker and the one before the end marker.
   */
  contentEnd: number;
}

interface FoundMarker {
  kind: 'start' | 'end';
  system: string;
  line: number;
  parent: Parents;
  /** Offsets of the html node in the source (BOM included). */
  from: number;
  to: number;
}

const BOM = '\uFEFF';
/** Where a marker comment begins; the rest of the comment is checked by MARKER_COMMENT. */
const MARKER_OPEN = /<!--\s*modelgov:(start|end)\b/g;
const MARKER_COMMENT = new RegExp(`^<!--\\s*modelgov:(start|end)\\s+(${SYSTEM_ID_SOURCE})\\s*-->$`);

type Parse = (text: string) => Root;
/** `full`: CommonMark + GFM as remark parses it. `flow`: the same block structure, no inline parsing. */
interface Parsers {
  full: Parse;
  flow: Parse;
}
let parser: Promise<Parsers> | undefined;

/**
 * The inline (text-level) constructs of CommonMark and GFM, by their micromark names. Disabled,
 * micromark still finds every block — html, code, lists, quotes, tables, footnote definitions,
 * paragraphs — because block structure is decided line by line before any paragraph's text is
 * tokenized; only what happens inside paragraphs, headings and table cells is skipped (no
 * emphasis, links, code spans or inline HTML). Character escapes and references stay enabled:
 * they are also used inside fence info strings and definitions.
 */
const INLINE_CONSTRUCTS = [
  'attention',
  'autolink',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelStartImage',
  'labelStartLink',
  'labelEnd',
  'strikethrough',
  'wwwAutolink',
  'protocolAutolink',
  'emailAutolink',
  'gfmFootnoteCall',
  'gfmPotentialFootnoteCall',
  'tasklistCheck',
];

/**
 * unified plugin (after remark-parse and remark-gfm): block structure only. Also drops the mdast
 * tree transforms — GFM's only one turns literal URLs in text nodes into links, never into html
 * or code, and with inline parsing off its text nodes are whole paragraphs.
 */
function flowOnly(this: Processor): undefined {
  const data = this.data();
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), { disable: { null: INLINE_CONSTRUCTS } }];
  const noTransforms = (e: FromMarkdownExtensions[number]): FromMarkdownExtensions[number] =>
    Array.isArray(e) ? e.map((x) => ({ ...x, transforms: [] })) : { ...e, transforms: [] };
  data.fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map(noTransforms);
  return undefined;
}
type FromMarkdownExtensions = NonNullable<Data['fromMarkdownExtensions']>;

/**
 * unified + remark are loaded on first use only: importing this module must stay cheap for
 * the pre-commit hook, and most files it looks at contain no marker at all.
 */
function loadParser(): Promise<Parsers> {
  parser ??= (async () => {
    const [{ unified }, { default: remarkParse }, { default: remarkGfm }] = await Promise.all([
      import('unified'),
      import('remark-parse'),
      import('remark-gfm'),
    ]);
    const full = unified().use(remarkParse).use(remarkGfm);
    const flow = unified().use(remarkParse).use(remarkGfm).use(flowOnly);
    return { full: (text: string) => full.parse(text), flow: (text: string) => flow.parse(text) };
  })().catch((error: unknown) => {
    parser = undefined;
    throw new ModelgovError('INTERNAL', 'could not load the markdown parser (unified, remark-parse, remark-gfm)', {
      cause: error,
      fix: 'Reinstall modelgov (`npm ci`); its dependencies are incomplete.',
    });
  });
  return parser;
}

/**
 * Finds the modelgov marker pairs of a markdown document, in document order.
 *
 * A marker is an HTML comment `<!-- modelgov:start <system> -->` / `<!-- modelgov:end <system> -->`
 * (any whitespace inside the comment) that remark parses as an `html` node: text inside fenced or
 * indented code and inline code is never a marker. Markers must sit on lines of their own at the
 * top level of the document, and a comment that only mentions `modelgov:` elsewhere is ignored.
 *
 * Returns `[]` without loading the parser when the source does not contain `modelgov:`.
 * A document without markers is not an error here; the caller decides what to say.
 *
 * Only a prefix of the document is parsed, and usually without inline parsing (see markersIn);
 * the result, errors included, is the same as from a full parse of the whole document.
 *
 * @param source the document as read (a leading BOM is allowed; offsets include it)
 * @param file   the path used in error messages
 * @throws ModelgovError('MARKERS_INVALID') naming `file:line` for a missing end, an end without
 *   start, duplicate or nested markers, markers that are not siblings or not at the top level,
 *   a marker sharing its HTML block with other content, and malformed or unclosed marker comments.
 */
export async function findMarkers(source: string, file: string, opts: FindMarkersOptions = {}): Promise<MarkerPair[]> {
  if (!source.includes(MARKER_HINT)) return [];
  return markersIn(source, file, await loadParser(), Math.max(1, opts.chunkBytes ?? CHUNK_BYTES));
}

export interface FindMarkersOptions {
  /**
   * The parsed prefix is parsed in pieces of about this many characters, cut where the parser
   * has nothing open (see cleanCut). Any value gives the same result; small pieces keep the
   * work linear in the size of the document and the memory bounded (one piece's syntax tree).
   */
  chunkBytes?: number;
}

/**
 * 64 KB: micromark's cost per paragraph and the syntax tree's memory grow faster than the text
 * (a 1 MB document parsed at once took seconds and hundreds of MB); pieces this size parse in
 * tens of milliseconds, and a typical CLAUDE.md is a single piece.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * The marker pairs in one CommonMark + GFM syntax tree (remark-parse + remark-gfm) of `source`,
 * parsed from after a leading BOM to the end or to a line boundary after the last `modelgov:`
 * (step 3 of markersIn). Errors as findMarkers.
 */
export function markerPairsOfTree(tree: Root, source: string, file: string): MarkerPair[] {
  const shift = source.startsWith(BOM) ? 1 : 0;
  return pairUp(markersOf(tree, source, shift, 1, file, tree), source, file);
}

/**
 * The marker pairs, from the html nodes that hold `modelgov:` — read from as little parsing as
 * gives the same answer as a full parse of the whole document:
 *
 * 1. Only the prefix up to `prefixEnd` is parsed: it holds every mention of `modelgov:`, so every
 *    html node that could be a marker starts inside it. CommonMark decides block structure line
 *    by line: whether a line opens, continues or closes a container (block quote, list item,
 *    footnote definition) or a leaf (html, fenced or indented code, paragraph…) depends on that
 *    line and on the blocks the lines before it left open — never on a later line. So each line
 *    of the prefix lies in the same blocks, under the same parents, as in the whole document.
 *    Later lines can only
 *    - extend the blocks still open where the prefix ends (an unclosed fence or `<pre>` runs to
 *      the end of the prefix as it runs to the end of the document — its lines are code or
 *      HTML either way; prefixEnd explains why an html node cut there reads the same);
 *    - change paragraphs: a setext underline turns one into a heading, a delimiter row its last
 *      line into a table, a lazy continuation line extends it (only paragraphs continue lazily;
 *      an html line interrupts one), a definition further down turns `[a][b]` in it into a link.
 *      Never an html node: those are what step 2 relies on; step 3 deals with paragraphs.
 *    The prefix ends on a line boundary (after `\r\n`, `\n` or `\r`, never between `\r` and
 *    `\n`) or at the end of a last line without line ending. Offsets are the source's: micromark
 *    drops a leading BOM, so its offsets are one short (`shift`).
 * 2. The prefix is parsed with block constructs only (`flow`: no emphasis, links, code spans or
 *    inline HTML), 1.5–2× faster on prose. That tree has the same html and code blocks as the
 *    full parse. If every `modelgov:` of the document lies inside one of them, no inline HTML can
 *    hold one — inline HTML lies inside a paragraph, heading or table cell, which never overlaps
 *    an html or code block — so the markers are exactly that tree's html nodes.
 * 3. Otherwise some mention sits in a paragraph, heading, table or definition, where it may be
 *    inline HTML (an error: not at the top level) or not (inline code). Then the full parser
 *    runs on a prefix extended by `inlineEnd` — past a blank line, which closes every paragraph
 *    and table, so no later line can change their kind or text — or on the whole document when
 *    a definition (`]:`) follows that could turn a reference inside them into a link.
 */
function markersIn(source: string, file: string, parse: Parsers, chunkBytes: number): MarkerPair[] {
  const shift = source.startsWith(BOM) ? 1 : 0;
  const end = prefixEnd(source);
  // Every piece's top-level nodes share one parent: in the whole document they are all children of its root.
  const root: Root = { type: 'root', children: [] };
  const pieces = pieceParse(source, shift, end, parse, chunkBytes);
  const inline = pieces.filter((p) => !mentionsInCodeOrHtml(p.tree, source, p.from, p.to));
  if (inline.length === 0) return pairUp(pieces.flatMap((p) => markersOf(p.tree, source, p.from, p.line, file, root)), source, file);
  // Step 3. A definition anywhere can change how brackets around a mention parse: then the
  // reference's way, one full parse (rare: a mention in prose and a `]:` in the same document).
  if (source.includes(']:')) return markerPairsOfTree(parse.full(source.slice(shift, inlineEnd(source, end))), source, file);
  const found = pieces.flatMap((p) => {
    if (!inline.includes(p)) return markersOf(p.tree, source, p.from, p.line, file, root);
    // A piece before the last ends after a blank line (every paragraph closed); the last one is
    // extended past one, as the whole prefix would be.
    const to = p.to === end ? inlineEnd(source, end) : p.to;
    return markersOf(parse.full(source.slice(p.from, to)), source, p.from, p.line, file, root);
  });
  return pairUp(found, source, file);
}

/** One parsed piece of the prefix: `[from, to)` of the source, its first line, its block tree. */
interface Piece {
  from: number;
  to: number;
  line: number;
  tree: Root;
}

/**
 * A blank line, then a line starting with a letter in its first column: where cleanCut looks.
 * The match ends at the letter's line.
 */
const CUT_CANDIDATE = /(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)(?=[A-Za-z])/g;

/**
 * Parses `[shift, end)` with the block parser in pieces of about `chunkBytes`, each starting
 * where the whole-document parse has nothing open, so each piece parses exactly as that part of
 * the whole document does (block structure is decided line by line from what is open, see
 * markersIn) — in time linear in the size, with one piece's tree in memory at a time.
 *
 * A cut at line L is clean when the line before L is blank and L starts with a letter in its
 * first column, and L begins a top-level paragraph when the piece is parsed up to and including
 * line L. Then nothing is open before L: a blank line closes paragraphs, tables and HTML blocks
 * of kinds 6–7; a line in the first column after a blank line continues no list item, block
 * quote or footnote definition (and so closes what they held, fences included) and no indented
 * code; and what could still be open — a top-level fence or an HTML block of kinds 1–5 (comment,
 * `<pre>`, `<script>`…) — would hold line L, which then would not begin a paragraph. A candidate
 * that is not clean (inside a long fence, say) is skipped, and the next try looks twice as far,
 * so failed tries cost at most as much parsing again as the successful ones.
 */
function pieceParse(source: string, shift: number, end: number, parse: Parsers, chunkBytes: number): Piece[] {
  const pieces: Piece[] = [];
  let from = shift;
  let line = 1;
  let reach = chunkBytes;
  for (;;) {
    let cut: number | undefined;
    let tree: Root | undefined;
    CUT_CANDIDATE.lastIndex = Math.min(from + reach, end);
    // Back up one line ending, so a candidate whose blank line starts right at the bound is seen.
    CUT_CANDIDATE.lastIndex = Math.max(from, CUT_CANDIDATE.lastIndex - 2);
    const m = CUT_CANDIDATE.exec(source);
    if (m !== null && m.index + m[0].length < end) {
      const at = m.index + m[0].length;
      const probe = parse.flow(source.slice(from, afterLine(source, at)));
      const last = probe.children[probe.children.length - 1];
      if (last?.type === 'paragraph' && last.position?.start.offset === at - from) {
        cut = at;
        // The probe's tree holds the nodes of [from, cut) exactly; the paragraph of line L is dropped.
        tree = { ...probe, children: probe.children.slice(0, -1) };
      } else {
        reach *= 2;
        if (from + reach < end) continue;
      }
    }
    if (cut === undefined || tree === undefined) {
      pieces.push({ from, to: end, line, tree: parse.flow(source.slice(from, end)) });
      return pieces;
    }
    pieces.push({ from, to: cut, line, tree });
    line += countLineBreaks(source.slice(from, cut));
    from = cut;
    reach = chunkBytes;
  }
}

function markersOf(tree: Root, source: string, shift: number, line: number, file: string, root: Root): FoundMarker[] {
  const found: FoundMarker[] = [];
  for (const child of tree.children) collect(child, root, source, shift, line, file, found);
  return found.sort((a, b) => a.from - b.from);
}

/**
 * Where the parsed prefix ends: after the line ending of the line that holds the last
 * `modelgov:` — or, when that mention may be inside an HTML comment that closes on a later
 * line (`<!--` before it and no `-->` between), of the line with the first `-->` after it.
 *
 * Why that is enough for the html nodes (step 1 of markersIn): a node cut short by the prefix
 * is one still open at its last line. An HTML comment block (`<!--`, the only kind a marker can
 * be alone in) closes at the first `-->` after its start; one holding the last mention starts
 * before it, and so closes at the latest on the line of the first `-->` after it, which the
 * prefix includes: it is never cut. Any other html block (`<div>`, `<pre>`…) starts with other
 * text than the comment, so a marker in it is "shares its HTML block" in both parses; the checks
 * before that (unclosed or malformed comment) look from each `<!-- modelgov:` to the next `-->`,
 * which the prefix includes too. Code blocks hold no markers, cut or not.
 * The prefix ends on a line boundary (never between `\r` and `\n`), or at the end of the source
 * (a last line without line ending).
 */
export function prefixEnd(source: string): number {
  const last = source.lastIndexOf(MARKER_HINT);
  let anchor = last;
  const open = source.lastIndexOf('<!--', last);
  if (open !== -1) {
    // `-->` overlapping the `<!--` (`<!-->`) is not looked for: that only extends the prefix.
    const close = source.indexOf('-->', open + 4);
    if (close > last) anchor = close;
  }
  return afterLine(source, anchor);
}

/**
 * Step 3 of markersIn: `from` (a line start) extended to the end of the first blank line at or
 * after it — or the whole document when there is none, or when `]:` (a link or footnote
 * definition) follows, since definitions anywhere change how a paragraph's brackets parse.
 */
function inlineEnd(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    let j = i;
    while (source[j] === ' ' || source[j] === '\t') j++;
    const next = afterLine(source, j);
    if (j < source.length && (source[j] === '\n' || source[j] === '\r')) {
      return source.includes(']:', next) ? source.length : next;
    }
    i = next;
  }
  return source.length;
}

/** Offset after the line ending of the line holding offset `at` (`\r\n`, `\n` or `\r`), or the end. */
function afterLine(source: string, at: number): number {
  for (let i = at; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return source.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return source.length;
}

/** True when every `modelgov:` in `[shift, end)` lies inside an html or code node of `tree` (parsed from `shift`). */
function mentionsInCodeOrHtml(tree: Root, source: string, shift: number, end: number): boolean {
  const blocks: [number, number][] = [];
  const gather = (node: Nodes): void => {
    if (node.type === 'html' || node.type === 'code') {
      const from = node.position?.start.offset;
      const to = node.position?.end.offset;
      if (from !== undefined && to !== undefined) blocks.push([from + shift, to + shift]);
      return;
    }
    if ('children' in node) for (const child of node.children) gather(child);
  };
  gather(tree);
  let b = 0;
  for (let at = source.indexOf(MARKER_HINT, shift); at !== -1 && at < end; at = source.indexOf(MARKER_HINT, at + MARKER_HINT.length)) {
    while (b < blocks.length && blocks[b][1] < at + MARKER_HINT.length) b++;
    if (b === blocks.length || blocks[b][0] > at) return false;
  }
  return true;
}

/** `line`: the source line on which the parsed text starts (its positions count from 1). */
function collect(node: Nodes, parent: Parents, source: string, shift: number, line: number, file: string, out: FoundMarker[]): void {
  if (node.type === 'html') {
    readMarkers(node, parent, source, shift, line, file, out);
    return;
  }
  if ('children' in node) for (const child of node.children) collect(child, node, source, shift, line, file, out);
}

function readMarkers(node: Html, parent: Parents, source: string, shift: number, lineBase: number, file: string, out: FoundMarker[]): void {
  const start = node.position?.start;
  const end = node.position?.end;
  if (start?.offset === undefined || end?.offset === undefined) {
    throw new ModelgovError('INTERNAL', `${file}: the markdown parser returned an html node without offsets`);
  }
  const from = start.offset + shift;
  const to = end.offset + shift;
  // The raw source, not node.value: in a block quote the value has its `>` prefixes removed.
  const raw = source.slice(from, to);
  if (!raw.includes(MARKER_HINT)) return;
  for (const match of raw.matchAll(MARKER_OPEN)) {
    const at = match.index;
    const line = lineBase - 1 + start.line + countLineBreaks(raw.slice(0, at));
    const close = raw.indexOf('-->', at + match[0].length);
    const reopened = raw.indexOf('<!--', at + 4);
    // `<!-- modelgov:start x` followed by the end marker is one comment to HTML: say what is missing.
    if (close === -1 || (reopened !== -1 && reopened < close)) throw M.unterminated(file, line);
    const comment = raw.slice(at, close + 3);
    const parsed = MARKER_COMMENT.exec(comment);
    if (parsed === null) throw M.malformed(file, line, comment);
    // A comment followed by other HTML on its line, or inside a <details> block, would make the
    // replaced range ambiguous: reject instead of guessing which bytes belong to the section.
    if (raw.trim() !== comment) throw M.sharesBlock(file, line, comment);
    out.push({ kind: parsed[1] as 'start' | 'end', system: parsed[2], line, parent, from, to });
  }
}

function pairUp(found: FoundMarker[], source: string, file: string): MarkerPair[] {
  const pairs: MarkerPair[] = [];
  const done = new Map<string, MarkerPair>();
  let open: FoundMarker | undefined;
  for (const marker of found) {
    if (marker.kind === 'start') {
      if (open !== undefined) {
        if (open.system === marker.system) throw M.startWhileOpen(file, marker.line, marker.system, open.line);
        throw M.nested(file, marker.line, marker.system, open.system, open.line);
      }
      const previous = done.get(marker.system);
      if (previous !== undefined) {
        throw M.duplicate(file, marker.line, marker.system, previous.startLine, previous.endLine);
      }
      open = marker;
      continue;
    }
    if (open === undefined) throw M.endWithoutStart(file, marker.line, marker.system);
    if (open.system !== marker.system) throw M.mismatchedEnd(file, marker.line, marker.system, open.system, open.line);
    if (open.parent !== marker.parent) {
      throw M.notSiblings(file, marker.line, marker.system, open.line, open.parent.type, marker.parent.type);
    }
    // Splicing a block into a quote or list would need its prefixes and indentation: not supported.
    if (marker.parent.type !== 'root') throw M.notTopLevel(file, open.line, marker.system, marker.parent.type);
    const pair: MarkerPair = {
      system: marker.system,
      startLine: open.line,
      endLine: marker.line,
      contentStart: lineEndAfter(source, open, file),
      contentEnd: lineStartBefore(source, marker, file),
    };
    pairs.push(pair);
    done.set(marker.system, pair);
    open = undefined;
  }
  if (open !== undefined) throw M.missingEnd(file, open.line, open.system);
  return pairs;
}

/** Offset of the line ending after a top-level marker (only blanks may sit in between). */
function lineEndAfter(source: string, marker: FoundMarker, file: string): number {
  let i = marker.to;
  while (source[i] === ' ' || source[i] === '\t') i++;
  if (source[i] !== '\n' && source[i] !== '\r') throw M.sharesBlock(file, marker.line, `for "${marker.system}"`);
  return i;
}

/** Offset of the first character of a top-level marker's line (only blanks may precede it). */
function lineStartBefore(source: string, marker: FoundMarker, file: string): number {
  let i = marker.from;
  while (i > 0 && (source[i - 1] === ' ' || source[i - 1] === '\t')) i--;
  const before = source[i - 1];
  if (i > 0 && before !== '\n' && before !== '\r' && !(i === 1 && before === BOM)) {
    throw M.sharesBlock(file, marker.line, `for "${marker.system}"`);
  }
  return i;
}

/** Line breaks as CommonMark counts them: CRLF, LF and a lone CR each end a line. */
export function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}
