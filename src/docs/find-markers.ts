import type { Html, Nodes, Parents, Root } from 'mdast';
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
let parser: Promise<Parse> | undefined;

/**
 * unified + remark are loaded on first use only: importing this module must stay cheap for
 * the pre-commit hook, and most files it looks at contain no marker at all.
 */
function loadParser(): Promise<Parse> {
  parser ??= (async () => {
    const [{ unified }, { default: remarkParse }, { default: remarkGfm }] = await Promise.all([
      import('unified'),
      import('remark-parse'),
      import('remark-gfm'),
    ]);
    const processor = unified().use(remarkParse).use(remarkGfm);
    return (text: string) => processor.parse(text);
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
 * @param source the document as read (a leading BOM is allowed; offsets include it)
 * @param file   the path used in error messages
 * @throws ModelgovError('MARKERS_INVALID') naming `file:line` for a missing end, an end without
 *   start, duplicate or nested markers, markers that are not siblings or not at the top level,
 *   a marker sharing its HTML block with other content, and malformed or unclosed marker comments.
 */
export async function findMarkers(source: string, file: string): Promise<MarkerPair[]> {
  if (!source.includes(MARKER_HINT)) return [];
  const parse = await loadParser();
  // micromark drops a leading BOM, so its offsets are one short of the source's.
  const shift = source.startsWith(BOM) ? 1 : 0;
  const tree = parse(shift === 1 ? source.slice(1) : source);
  const found: FoundMarker[] = [];
  collect(tree, tree, source, shift, file, found);
  found.sort((a, b) => a.from - b.from);
  return pairUp(found, source, file);
}

function collect(node: Nodes, parent: Parents, source: string, shift: number, file: string, out: FoundMarker[]): void {
  if (node.type === 'html') {
    readMarkers(node, parent, source, shift, file, out);
    return;
  }
  if ('children' in node) for (const child of node.children) collect(child, node, source, shift, file, out);
}

function readMarkers(node: Html, parent: Parents, source: string, shift: number, file: string, out: FoundMarker[]): void {
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
    const line = start.line + countLineBreaks(raw.slice(0, at));
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
