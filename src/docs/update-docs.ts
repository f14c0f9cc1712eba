import { DOCS_MESSAGES as M } from './docs-messages.js';
import { findMarkers, type MarkerPair } from './find-markers.js';
import { MARKER_HINT } from './marker-block.js';
import { DEFAULT_TEMPLATE_FILE, renderSection, type SectionInput } from './render-section.js';

/** Result of regenerating the marked sections of one document. */
export interface DocsUpdate {
  /** The new document text (the source itself when nothing changed). */
  text: string;
  /** `text !== source`. */
  changed: boolean;
  /** Systems whose markers were found, in document order. */
  systems: string[];
  /** False when the document has no modelgov markers (tell the user to run `modelgov init`). */
  hasMarkers: boolean;
}

/**
 * Regenerates every marked section of a markdown document, splicing by offset into the source
 * string. The document is never re-serialised: every byte outside the replaced ranges is kept.
 *
 * For each pair, the bytes from the end of the start-marker line to the start of the end-marker
 * line (see MarkerPair) become `EOL + section + EOL`, where `section` is renderSection's output with
 * its line breaks converted to EOL, and EOL is the line ending that ended the start-marker line in
 * the source (`\r\n`, `\n` or `\r`). The marker lines themselves (indentation, spacing inside the
 * comment, trailing blanks) are kept as written. Running it again on its output changes nothing.
 *
 * @param sections the systems this file may contain, by system id
 * @throws ModelgovError('MARKERS_INVALID') for invalid markers (see findMarkers) and for markers of
 *   a system not in `sections`; nothing is returned then.
 * @throws ModelgovError('TEMPLATE_INVALID') for a template error, or when a rendered section would
 *   change where the markers are found (e.g. it opens a code fence it never closes).
 */
export async function updateDocs(
  source: string,
  file: string,
  sections: Map<string, SectionInput>,
): Promise<DocsUpdate> {
  const pairs = await findMarkers(source, file);
  if (pairs.length === 0) return { text: source, changed: false, systems: [], hasMarkers: false };
  const known = [...sections.keys()].sort();
  for (const pair of pairs) {
    if (!sections.has(pair.system)) throw M.unknownSystem(file, pair.startLine, pair.system, known);
  }

  let text = '';
  let cursor = 0;
  const bodies: string[] = [];
  for (const pair of pairs) {
    const body = sectionBody(source, pair, sections.get(pair.system) as SectionInput);
    bodies.push(body);
    text += source.slice(cursor, pair.contentStart) + body;
    cursor = pair.contentEnd;
  }
  text += source.slice(cursor);
  if (text === source) return { text: source, changed: false, systems: pairs.map((p) => p.system), hasMarkers: true };

  await verify(source, text, file, pairs, bodies, sections);
  return { text, changed: true, systems: pairs.map((p) => p.system), hasMarkers: true };
}

/** The exact bytes that go between the two marker lines. */
function sectionBody(source: string, pair: MarkerPair, input: SectionInput): string {
  const eol = source.startsWith('\r\n', pair.contentStart) ? '\r\n' : source[pair.contentStart];
  const section = renderSection(input);
  return eol + (eol === '\n' ? section : section.replace(/\n/g, eol)) + eol;
}

/**
 * Checks the result before anything is written: findMarkers on `text` must find the same markers
 * with exactly the new bodies between them. This catches a section that would hide the end
 * marker in a code fence or HTML block, pull it into a list, or add a marker, and it is what
 * makes a second run a no-op.
 *
 * Without parsing all of `text` again: for each pair, only a window is parsed — the start-marker
 * comment, the new body and the end-marker line(s). That gives the same answer because
 * - the first parse found each marker to be a top-level HTML comment block alone on its line(s);
 *   such a block ends on its `-->` line and leaves nothing open (no container, no paragraph a
 *   later line could continue), so the lines after it parse as they would at the very start of
 *   a document — which is how the window starts (at the `<!--`: indentation of up to 3 spaces or
 *   a BOM before it do not change the block);
 * - block structure is decided line by line (see markersIn in find-markers.ts), so the bytes up to
 *   the end of the first start-marker line, unchanged, parse as before; each body parses as in
 *   its window; and if the window shows the end marker as a top-level comment block again, the
 *   unchanged bytes after it up to the next start marker parse from the same clean state as
 *   before, and so on — every mention of `modelgov:` outside the bodies reads as it did;
 * - the only thing CommonMark carries across blocks is the set of link and footnote definitions
 *   (`[a]: …`), which decides how brackets inside paragraphs parse — and so whether a
 *   `<!-- modelgov:… -->` there is inline HTML. When a new body or the text it replaces holds a
 *   definition (the set may change), or a new body mentions `modelgov:` while the document holds
 *   one (its window lacks it), the whole text is parsed instead.
 * A section that breaks the markers is named by its own window; the whole-text parse can only
 * name the first pair when the markers are not found at all.
 */
async function verify(
  source: string,
  text: string,
  file: string,
  pairs: MarkerPair[],
  bodies: string[],
  sections: Map<string, SectionInput>,
): Promise<void> {
  const fail = (pair: MarkerPair) => {
    const input = sections.get(pair.system) as SectionInput;
    return M.breaksMarkers(input.template?.file ?? DEFAULT_TEMPLATE_FILE, pair.system, file);
  };
  const definitions =
    bodies.some((body) => body.includes(']:')) ||
    pairs.some((pair) => source.slice(pair.contentStart, pair.contentEnd).includes(']:')) ||
    (bodies.some((body) => body.includes(MARKER_HINT)) && text.includes(']:'));
  if (definitions) {
    await verifyWhole(text, file, pairs, bodies, fail);
    return;
  }
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    // The marker comments hold no `<!--` or `-->` besides their own (MARKER_COMMENT).
    const from = source.lastIndexOf('<!--', pair.contentStart);
    const to = lineEnd(source, source.indexOf('-->', pair.contentEnd) + 3);
    const window = source.slice(from, pair.contentStart) + bodies[i] + source.slice(pair.contentEnd, to);
    const head = pair.contentStart - from;
    let again: MarkerPair[] | undefined;
    try {
      again = await findMarkers(window, file);
    } catch {
      again = undefined;
    }
    const ok =
      again?.length === 1 &&
      again[0].system === pair.system &&
      again[0].contentStart === head &&
      again[0].contentEnd === head + bodies[i].length;
    if (!ok) throw fail(pair);
  }
}

/** Offset of the line ending (or the end of the source) at or after `at`. */
function lineEnd(source: string, at: number): number {
  let i = at;
  while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
  return i;
}

/** verify by parsing the whole result (the first failing pair is named; any error names the first). */
async function verifyWhole(
  text: string,
  file: string,
  pairs: MarkerPair[],
  bodies: string[],
  fail: (pair: MarkerPair) => Error,
): Promise<void> {
  let again: MarkerPair[] | undefined;
  try {
    again = await findMarkers(text, file);
  } catch {
    again = undefined;
  }
  for (let i = 0; i < pairs.length; i++) {
    const found = again?.[i];
    const ok =
      again !== undefined &&
      again.length === pairs.length &&
      found?.system === pairs[i].system &&
      text.slice(found.contentStart, found.contentEnd) === bodies[i];
    if (!ok) throw fail(pairs[i]);
  }
}
