import type { Heading, Root } from 'mdast';

/** A top-level heading of a markdown document and the section it opens. */
export interface DocHeading {
  depth: number;
  /** The heading's text as written (without `#`s or a setext underline). */
  text: string;
  /** 1-based line of the heading. */
  line: number;
  /** Offset (BOM included) where its section ends: the next heading of the same or a higher level, else the end. */
  sectionEnd: number;
}

/**
 * The top-level headings of `source` (ATX and setext), found with remark so that a `#` line in a
 * code block is not a heading. Pure; remark is imported on first use.
 */
export async function findHeadings(source: string): Promise<DocHeading[]> {
  const [{ unified }, { default: remarkParse }] = await Promise.all([import('unified'), import('remark-parse')]);
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  const tree = unified().use(remarkParse).parse(source.slice(bom)) as Root;
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading' && n.position?.start.offset !== undefined);
  return headings.map((h, i) => {
    const from = h.position!.start.offset! + bom;
    const raw = source.slice(from, h.position!.end.offset! + bom).split(/\r?\n|\r/)[0];
    const text = raw.replace(/^\s*#{1,6}\s*/, '').replace(/\s+#+\s*$/, '').trim();
    const next = headings.slice(i + 1).find((n) => n.depth <= h.depth);
    return { depth: h.depth, text, line: h.position!.start.line, sectionEnd: next ? next.position!.start.offset! + bom : source.length };
  });
}

/** Letters and digits only, lower case: `CatBoost V9` and `catboost_v9` compare equal. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The heading a system's generated section belongs under: one that names the system
 * (`## ML Model - CatBoost V9` for `catboost_v9`), else the first that mentions models.
 */
export function matchHeading(headings: DocHeading[], system: string): DocHeading | undefined {
  const id = squash(system);
  return headings.find((h) => squash(h.text).includes(id)) ?? headings.find((h) => /\bmodels?\b/i.test(h.text));
}
