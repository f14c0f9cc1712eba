import { DOCS_MESSAGES } from './docs-messages.js';

/** Characters a system id may use inside a marker (same set the markers are parsed with). */
export const SYSTEM_ID_SOURCE = '[A-Za-z0-9][A-Za-z0-9_.-]*';

/**
 * The text every marker contains. A document without it has no markers, so callers can skip
 * loading the markdown parser entirely (the pre-commit fast path).
 */
export const MARKER_HINT = 'modelgov:';

/**
 * An empty marker pair for `modelgov init` to add to a docs file:
 * `<!-- modelgov:start S -->` EOL `<!-- modelgov:end S -->` EOL.
 *
 * The block ends with `eol` so it can be appended to a file that ends with a line break;
 * `updateDocs` then fills the section. Pass the file's own line ending (`'\r\n'` for CRLF files).
 *
 * @throws ModelgovError('USAGE') when `system` cannot appear in a marker.
 */
export function markerBlock(system: string, eol = '\n'): string {
  if (!new RegExp(`^${SYSTEM_ID_SOURCE}$`).test(system)) throw DOCS_MESSAGES.badSystemId(system);
  return `<!-- modelgov:start ${system} -->${eol}<!-- modelgov:end ${system} -->${eol}`;
}
