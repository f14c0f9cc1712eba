import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { markerPairsOfTree, type MarkerPair } from '../../src/docs/find-markers.js';
import { MARKER_HINT } from '../../src/docs/marker-block.js';

const full = unified().use(remarkParse).use(remarkGfm);

/**
 * The reference findMarkers is tested against: one full CommonMark + GFM parse of the whole
 * document (what findMarkers did before it learned to parse only a prefix, mostly without inline
 * parsing). Same signature as findMarkers, so a test can run both on one input.
 */
export async function findMarkersByFullParse(source: string, file: string): Promise<MarkerPair[]> {
  if (!source.includes(MARKER_HINT)) return [];
  return markerPairsOfTree(full.parse(source.startsWith('\uFEFF') ? source.slice(1) : source), source, file);
}
