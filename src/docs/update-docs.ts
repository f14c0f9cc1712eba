import { DOCS_MESSAGES as M } from './docs-messages.js';
import { findMarkers, type MarkerPair } from './find-markers.js';
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

  await verify(text, file, pairs, bodies, sections);
  return { text, changed: true, systems: pairs.map((p) => p.system), hasMarkers: true };
}

/** The exact bytes that go between the two marker lines. */
function sectionBody(source: string, pair: MarkerPair, input: SectionInput): string {
  const eol = source.startsWith('\r\n', pair.contentStart) ? '\r\n' : source[pair.contentStart];
  const section = renderSection(input);
  return eol + (eol === '\n' ? section : section.replace(/\n/g, eol)) + eol;
}

/**
 * Parses the result again: the same markers must be found with exactly the new bodies between
 * them. This catches a section that would hide the end marker in a code fence or HTML block, or
 * add a marker, before anything is written, and it is what makes a second run a no-op.
 */
async function verify(
  text: string,
  file: string,
  pairs: MarkerPair[],
  bodies: string[],
  sections: Map<string, SectionInput>,
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
    if (!ok) {
      const input = sections.get(pairs[i].system) as SectionInput;
      throw M.breaksMarkers(input.template?.file ?? DEFAULT_TEMPLATE_FILE, pairs[i].system, file);
    }
  }
}
