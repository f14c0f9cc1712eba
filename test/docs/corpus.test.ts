import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { findMarkers, markerBlock, renderSection, updateDocs } from '../../src/docs/index.js';
import { CORPUS, SYSTEM, loadManifest, read, realInput, sectionsOf } from './helpers.js';

/**
 * Real-world-like markdown (CLAUDE.md, AGENTS.md, READMEs with doctoc / all-contributors /
 * terraform-docs blocks, front matter, model cards), each in LF, CRLF, BOM+LF and BOM+CRLF:
 * insert markers where `modelgov init` or a user would, update, and require every other byte
 * to be identical.
 */
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .sort();

const VARIANTS = [
  { name: 'LF', eol: '\n', bom: '' },
  { name: 'CRLF', eol: '\r\n', bom: '' },
  { name: 'BOM+LF', eol: '\n', bom: '\uFEFF' },
  { name: 'BOM+CRLF', eol: '\r\n', bom: '\uFEFF' },
] as const;

const XGB = {
  system: 'xgb_totals',
  manifest: loadManifest('manifest-xgb.json'),
  manifestLocation: 'gs://nba-props-platform-models/xgb/totals/manifest.json',
};
const SECTIONS = sectionsOf(realInput(), XGB);
const SECTION = renderSection(realInput());
const SECTION_XGB = renderSection(XGB);

/** 1-based lines where a top-level heading starts: places a user would put a section. */
function headingLines(lf: string): number[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(lf) as Root;
  return tree.children.filter((n) => n.type === 'heading').map((n) => n.position?.start.line ?? 0);
}

/** Offset of the start of each line of `text`. */
function lineStarts(text: string): number[] {
  const starts = [text.startsWith('\uFEFF') ? 1 : 0];
  for (const m of text.matchAll(/\r\n|\n/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** The section exactly as it must appear between the markers. */
function filled(system: string, section: string, eol: string): string {
  return `<!-- modelgov:start ${system} -->${eol}${section.replace(/\n/g, eol)}${eol}<!-- modelgov:end ${system} -->${eol}`;
}

describe('corpus', () => {
  it('has files with other tools\u2019 markers, front matter and modelgov examples in code', () => {
    const all = FILES.map((f) => read(join(CORPUS, f))).join('\n');
    expect(FILES.length).toBeGreaterThanOrEqual(8);
    for (const needle of [
      '<!-- START doctoc',
      '<!-- ALL-CONTRIBUTORS-LIST:START',
      '<!-- BEGIN_TF_DOCS -->',
      '\n---\n',
      '```markdown\n## ML Model',
      '\t\n',
      '   \n',
    ]) {
      expect(all).toContain(needle);
    }
  });

  describe.each(FILES)('%s', (fileName) => {
    const lf = read(join(CORPUS, fileName));
    const lines = headingLines(lf);
    const picks = [...new Set([lines[0], lines[Math.floor(lines.length / 2)], lines.at(-1)])].filter(
      (l): l is number => l !== undefined,
    );

    it('is stored with LF line endings and has headings to insert before', () => {
      expect(lf).not.toContain('\r');
      expect(lf.endsWith('\n')).toBe(true);
      expect(picks.length).toBeGreaterThan(0);
    });

    describe.each(VARIANTS)('$name', ({ eol, bom }) => {
      const source = bom + lf.replace(/\n/g, eol);
      const starts = lineStarts(source);

      it('has no markers of its own and is left alone', async () => {
        expect(await findMarkers(source, fileName)).toEqual([]);
        const result = await updateDocs(source, fileName, SECTIONS);
        expect(result).toEqual({ text: source, changed: false, systems: [], hasMarkers: false });
      });

      it.each(picks)('markers inserted before the heading on line %i: only the section changes', async (line) => {
        const at = starts[line - 1];
        const withMarkers = source.slice(0, at) + markerBlock(SYSTEM, eol) + eol + source.slice(at);
        const result = await updateDocs(withMarkers, fileName, SECTIONS);
        expect(result.text).toBe(source.slice(0, at) + filled(SYSTEM, SECTION, eol) + eol + source.slice(at));
        expect(result.changed).toBe(true);
        const again = await updateDocs(result.text, fileName, SECTIONS);
        expect(again.changed).toBe(false);
      });

      it('markers appended at the end (as `init` does) and a second system before the first heading', async () => {
        const at = starts[picks[0] - 1];
        const withMarkers =
          source.slice(0, at) + markerBlock(XGB.system, eol) + eol + source.slice(at) + markerBlock(SYSTEM, eol);
        const result = await updateDocs(withMarkers, fileName, SECTIONS);
        expect(result.systems).toEqual([XGB.system, SYSTEM]);
        expect(result.text).toBe(
          source.slice(0, at) +
            filled(XGB.system, SECTION_XGB, eol) +
            eol +
            source.slice(at) +
            filled(SYSTEM, SECTION, eol),
        );
        expect((await updateDocs(result.text, fileName, SECTIONS)).changed).toBe(false);
      });
    });
  });
});
