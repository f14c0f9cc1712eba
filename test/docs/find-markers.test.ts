import { describe, expect, it } from 'vitest';
import { findMarkers } from '../../src/docs/index.js';

const START = '<!-- modelgov:start catboost_v9 -->';
const END = '<!-- modelgov:end catboost_v9 -->';

describe('findMarkers', () => {
  it('returns [] for a document that does not mention modelgov:', async () => {
    expect(await findMarkers('# Title\n\nNo markers here.\n', 'README.md')).toEqual([]);
    expect(await findMarkers('', 'empty.md')).toEqual([]);
  });

  it('reports lines and the content range between the marker lines (LF)', async () => {
    const source = `# T\n\n${START}\nold\ncontent\n${END}\nafter\n`;
    const [pair, ...rest] = await findMarkers(source, 'CLAUDE.md');
    expect(rest).toEqual([]);
    expect(pair).toMatchObject({ system: 'catboost_v9', startLine: 3, endLine: 6 });
    expect(pair.contentStart).toBe(source.indexOf(START) + START.length);
    expect(source.slice(pair.contentStart, pair.contentEnd)).toBe('\nold\ncontent\n');
    expect(source.slice(pair.contentEnd)).toBe(`${END}\nafter\n`);
  });

  it('counts offsets in the original string with a BOM and CRLF', async () => {
    const source = `\uFEFF${START}\r\nold\r\n${END}`;
    const [pair] = await findMarkers(source, 'CLAUDE.md');
    expect(pair).toMatchObject({ startLine: 1, endLine: 3 });
    expect(source.slice(0, pair.contentStart)).toBe(`\uFEFF${START}`);
    expect(source.slice(pair.contentStart, pair.contentEnd)).toBe('\r\nold\r\n');
    expect(source.slice(pair.contentEnd)).toBe(END);
  });

  it('keeps indentation and trailing blanks of the marker lines outside the range', async () => {
    const source = `   ${START} \t\n\n  ${END}\t\n`;
    const [pair] = await findMarkers(source, 'x.md');
    expect(source.slice(0, pair.contentStart)).toBe(`   ${START} \t`);
    expect(source.slice(pair.contentStart, pair.contentEnd)).toBe('\n\n');
    expect(source.slice(pair.contentEnd)).toBe(`  ${END}\t\n`);
  });

  it('accepts any whitespace inside the comment, also across lines', async () => {
    const source = '<!--modelgov:start a-->\n<!--\n\tmodelgov:end   a\n-->\n';
    const [pair] = await findMarkers(source, 'x.md');
    expect(pair).toMatchObject({ system: 'a', startLine: 1, endLine: 2 });
    expect(source.slice(pair.contentStart, pair.contentEnd)).toBe('\n');
  });

  it('finds several systems in document order', async () => {
    const source = '<!-- modelgov:start b -->\n<!-- modelgov:end b -->\n\n<!-- modelgov:start a -->\n<!-- modelgov:end a -->\n';
    expect((await findMarkers(source, 'x.md')).map((p) => [p.system, p.startLine, p.endLine])).toEqual([
      ['b', 1, 2],
      ['a', 4, 5],
    ]);
  });

  it('ignores markers in fenced code, indented code and inline code, and comments that only mention modelgov:', async () => {
    const source = [
      '```',
      START,
      '```',
      '',
      `    ${END}`,
      '',
      `Inline \`${START}\` stays text.`,
      '<!-- modelgov: is configured in modelgov.config.json -->',
      '<!-- modelgov:started is not a marker either -->',
      '',
    ].join('\n');
    expect(await findMarkers(source, 'x.md')).toEqual([]);
  });

  it('takes markers right next to other tools\u2019 comments (separate HTML blocks)', async () => {
    const source = `<!-- END doctoc -->\n${START}\n${END}\n<!-- BEGIN_TF_DOCS -->\n`;
    const [pair] = await findMarkers(source, 'x.md');
    expect(pair).toMatchObject({ startLine: 2, endLine: 3 });
  });

  it('rejects a marker followed by other HTML on its line', async () => {
    await expect(findMarkers(`${START} <br>\n${END}\n`, 'CLAUDE.md')).rejects.toMatchObject({
      code: 'MARKERS_INVALID',
      message: `CLAUDE.md:1: marker ${START} shares its HTML block with other content`,
    });
  });

  it('rejects two markers in one comment block line', async () => {
    await expect(findMarkers(`${START}${END}\n`, 'CLAUDE.md')).rejects.toMatchObject({
      code: 'MARKERS_INVALID',
      message: expect.stringMatching(/^CLAUDE\.md:1: marker .* shares its HTML block/),
    });
  });

  it('reports the line of a marker deep inside an HTML block', async () => {
    await expect(findMarkers(`# T\n\n<div>\n\n</div>\n<div>\nx\n${START}\n`, 'CLAUDE.md')).rejects.toMatchObject({
      message: expect.stringMatching(/^CLAUDE\.md:8: /),
    });
  });

  it('rejects markers in a table cell', async () => {
    await expect(findMarkers(`| a |\n| - |\n| ${START} ${END} |\n`, 'T.md')).rejects.toMatchObject({
      code: 'MARKERS_INVALID',
      message: 'T.md:3: markers for "catboost_v9" are inside a table; they must be at the top level of the document',
    });
  });
});
