import { describe, expect, it } from 'vitest';
import { markerBlock, renderSection, updateDocs } from '../../src/docs/index.js';
import { SYSTEM, realInput, sectionsOf } from './helpers.js';

const START = `<!-- modelgov:start ${SYSTEM} -->`;
const END = `<!-- modelgov:end ${SYSTEM} -->`;
const SECTION = renderSection(realInput());
const SECTIONS = sectionsOf(realInput());
const withTemplate = (text: string) => sectionsOf(realInput({ template: { text, file: 'docs/section.tpl.md' } }));

describe('updateDocs', () => {
  it('returns the source itself and hasMarkers=false for a file without markers', async () => {
    const source = '# README\r\n\r\nNothing here. modelgov: is mentioned though.\r\n';
    expect(await updateDocs(source, 'README.md', SECTIONS)).toEqual({
      text: source,
      changed: false,
      systems: [],
      hasMarkers: false,
    });
  });

  it('replaces everything between the marker lines with EOL + section + EOL', async () => {
    const source = `a\n${START}\nstale 1\n\nstale 2\n${END}\nz`;
    const result = await updateDocs(source, 'CLAUDE.md', SECTIONS);
    expect(result).toEqual({
      text: `a\n${START}\n${SECTION}\n${END}\nz`,
      changed: true,
      systems: [SYSTEM],
      hasMarkers: true,
    });
  });

  it('uses the line ending of the start-marker line (CRLF, LF or CR) and keeps the others', async () => {
    const mixed = `lf\n${START}\r\nold\n${END}\nlf\r\n`;
    const result = await updateDocs(mixed, 'x.md', SECTIONS);
    expect(result.text).toBe(`lf\n${START}\r\n${SECTION.replace(/\n/g, '\r\n')}\r\n${END}\nlf\r\n`);

    const cr = `# old mac\r${START}\r${END}\r`;
    expect((await updateDocs(cr, 'x.md', SECTIONS)).text).toBe(`# old mac\r${START}\r${SECTION.replace(/\n/g, '\r')}\r${END}\r`);
  });

  it('works with an end marker indented by up to three spaces', async () => {
    for (const indent of [' ', '  ', '   ']) {
      const source = `${START}\nold\n${indent}${END}\n`;
      const result = await updateDocs(source, 'x.md', SECTIONS);
      expect(result.text).toBe(`${START}\n${SECTION}\n${indent}${END}\n`);
      expect((await updateDocs(result.text, 'x.md', SECTIONS)).changed).toBe(false);
    }
  });

  it('works inside <details> when blank lines separate the markers from the HTML tags', async () => {
    const source = `<details>\n<summary>Model</summary>\n\n${START}\n${END}\n\n</details>\n`;
    const result = await updateDocs(source, 'x.md', SECTIONS);
    expect(result.text).toBe(`<details>\n<summary>Model</summary>\n\n${START}\n${SECTION}\n${END}\n\n</details>\n`);
  });

  it('ignores configured systems that have no markers in this file', async () => {
    const sections = sectionsOf(realInput(), realInput({ system: 'other_system' }));
    const result = await updateDocs(`${START}\n${END}\n`, 'x.md', sections);
    expect(result.systems).toEqual([SYSTEM]);
  });

  it('throws MARKERS_INVALID for a system that is not configured', async () => {
    await expect(updateDocs(`x\n\n${START}\n${END}\n`, 'docs/CLAUDE.md', new Map())).rejects.toMatchObject({
      code: 'MARKERS_INVALID',
      file: 'docs/CLAUDE.md',
      message: 'docs/CLAUDE.md:3: marker for unknown system "catboost_v9" (configured: none)',
    });
  });

  it('passes template errors through as TEMPLATE_INVALID', async () => {
    await expect(updateDocs(`${START}\n${END}\n`, 'x.md', withTemplate('{{production.nope}}'))).rejects.toMatchObject({
      code: 'TEMPLATE_INVALID',
      message: 'docs/section.tpl.md:1: unknown field "production.nope" in {{production.nope}}',
    });
  });

  it.each([
    ['opens a fence it never closes', '```\n{{production.id}}'],
    ['opens an HTML block that swallows the end marker', '<pre>\n{{production.id}}'],
    ['contains a marker', `{{production.id}}\n${END}\n${START}`],
    ['ends with a list while the end marker is indented', '- {{production.id}}', '  '],
  ])('refuses a section that %s (TEMPLATE_INVALID, nothing returned)', async (_name, template, indent = '') => {
    await expect(updateDocs(`${START}\n${indent}${END}\n`, 'CLAUDE.md', withTemplate(template))).rejects.toMatchObject({
      code: 'TEMPLATE_INVALID',
      file: 'docs/section.tpl.md',
      message: expect.stringContaining('would change where the markers in CLAUDE.md are found'),
    });
  });

  it('allows a template ending with a list when the end marker is not indented', async () => {
    const result = await updateDocs(`${START}\n${END}\n`, 'x.md', withTemplate('- {{production.id}}'));
    expect(result.text).toBe(`${START}\n- catboost_v9_33features_20260201_011018\n${END}\n`);
  });

  it('an empty template leaves a blank line between the markers, stable on the next run', async () => {
    const result = await updateDocs(`${START}\nold\n${END}`, 'x.md', withTemplate(''));
    expect(result.text).toBe(`${START}\n\n${END}`);
    expect((await updateDocs(result.text, 'x.md', withTemplate(''))).changed).toBe(false);
  });
});

describe('markerBlock', () => {
  it('builds the empty marker pair with the given line ending', () => {
    expect(markerBlock(SYSTEM)).toBe(`${START}\n${END}\n`);
    expect(markerBlock(SYSTEM, '\r\n')).toBe(`${START}\r\n${END}\r\n`);
  });

  it('appended to a file, the section fills it on the next update', async () => {
    const file = '# CLAUDE.md\r\n\r\n## ML Model\r\n';
    const result = await updateDocs(file + markerBlock(SYSTEM, '\r\n'), 'CLAUDE.md', SECTIONS);
    expect(result.text).toBe(`${file}${START}\r\n${SECTION.replace(/\n/g, '\r\n')}\r\n${END}\r\n`);
  });

  it.each(['', 'has space', 'a-->b', '-leading', 'new\nline'])('rejects system id %j (USAGE)', (system) => {
    expect(() => markerBlock(system)).toThrowError(expect.objectContaining({ code: 'USAGE' }));
  });
});
