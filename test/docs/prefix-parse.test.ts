import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isModelgovError } from '../../src/errors.js';
import { findMarkers, prefixEnd } from '../../src/docs/find-markers.js';
import { findMarkersByFullParse } from '../helpers/find-markers-by-full-parse.js';
import { markerBlock } from '../../src/docs/index.js';
import { CORPUS, FIXTURES, SYSTEM, read } from './helpers.js';

/**
 * findMarkers parses only a prefix of the document, usually without inline parsing. Whatever it
 * returns or throws must be exactly what one full parse of the whole document gives
 * (findMarkersByFullParse, the old implementation): same pairs and offsets, same error message.
 */
const FILE = 'CLAUDE.md';
const START = `<!-- modelgov:start ${SYSTEM} -->`;
const END = `<!-- modelgov:end ${SYSTEM} -->`;

type Outcome = { pairs: unknown } | { error: string };

async function outcome(find: typeof findMarkers, source: string): Promise<Outcome> {
  try {
    return { pairs: await find(source, FILE) };
  } catch (error) {
    return { error: isModelgovError(error) ? `${error.code} ${error.message}` : String(error) };
  }
}

async function expectSameAsFullParse(source: string): Promise<Outcome> {
  const reference = await outcome(findMarkersByFullParse, source);
  expect(await outcome(findMarkers, source), JSON.stringify(source)).toEqual(reference);
  return reference;
}

const variants = (lf: string) => [
  lf,
  lf.replace(/\n/g, '\r\n'),
  `\uFEFF${lf}`,
  `\uFEFF${lf.replace(/\n/g, '\r\n')}`,
];

describe('prefixEnd: where the parsed prefix ends', () => {
  it('after the line ending of the line with the last modelgov: (LF, CRLF, CR)', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const head = `a${eol}${START}${eol}${END}${eol}`;
      expect(prefixEnd(`${head}tail${eol}more${eol}`)).toBe(head.length);
    }
  });

  it('at the end of a last line without line ending', () => {
    const source = `a\n${START}\n${END}`;
    expect(prefixEnd(source)).toBe(source.length);
  });

  it('never between \\r and \\n, also with a BOM', () => {
    const source = `\uFEFF${START}\r\n${END}\r\n\r\nafter\r\n`;
    expect(source.slice(0, prefixEnd(source))).toBe(`\uFEFF${START}\r\n${END}\r\n`);
  });

  it('includes the line closing a comment that is still open at the last mention', () => {
    const source = `${START}\n<!--\n  modelgov:end ${SYSTEM}\n\n-->\nafter\n`;
    expect(source.slice(0, prefixEnd(source))).toBe(`${START}\n<!--\n  modelgov:end ${SYSTEM}\n\n-->\n`);
  });

  it('does not look for a later --> when the last comment before the mention is closed', () => {
    const source = `${START}\n${END}\n\`modelgov: x\`\n\nlater <!-- y -->\n`;
    expect(source.slice(0, prefixEnd(source))).toBe(`${START}\n${END}\n\`modelgov: x\`\n`);
  });
});

describe('findMarkers on a prefix equals a full parse of the whole document', () => {
  const cases: [string, string][] = [
    ['an unclosed fence before the markers', `# T\n\n\`\`\`md\n${START}\n${END}\n`],
    ['an unclosed fence between the markers', `${START}\n\`\`\`\n${END}\n`],
    ['a fence closed after the last mention', `\`\`\`\n${START}\n${END}\n\nlots\nof\ncode\n\`\`\`\n\n# after\n`],
    ['a marker as the last line without line ending', `# T\n\n${START}\nold\n${END}`],
    ['a marker as the last line without line ending (CRLF + BOM)', `\uFEFF# T\r\n\r\n${START}\r\nold\r\n${END}`],
    ['lone CR line endings', `# T\r${START}\rold\r${END}\r\`\`\`\r${START}\r\`\`\`\r`],
    ['modelgov: in a code block after the markers', `${START}\n${END}\n\n\`\`\`md\n${START}\n${END}\n\`\`\`\n\n## More\n`],
    ['modelgov: in indented code after the markers', `${START}\n${END}\n\n    ${START}\n\ntext\n`],
    ['modelgov: in inline code after the markers', `${START}\n${END}\n\nUse \`${START}\`\nand more\n\n# after\n`],
    ['modelgov: in prose after the markers, a lazy line and a setext underline', `${START}\n${END}\n\n> run modelgov: docs\nlazy\n===\n`],
    ['a setext underline turning an inline marker into a heading', `# T\n\nModel ${START} ${END}\n===\n\nafter\n`],
    ['a setext underline after a lazy line', `> Model ${START} ${END}\nlazy\n---\n`],
    ['a setext underline three lines after an inline marker', `Model ${START} ${END}\nmore\ntext\n===\n`],
    ['a delimiter row two lines after an inline marker', `Model ${START} ${END}\n| a |\n| - |\n`],
    ['a table delimiter row after an inline marker', `| ${START} ${END} |\n| --- |\n| x |\n`],
    ['a reference definition after an inline marker', `[x ${START} ${END}][r]\n\ntext\n\n[r]: https://example.com\n`],
    ['a footnote definition after an inline marker', `Model ${START} ${END} [^n]\n\ntext\n\n[^n]: note\n`],
    ['an inline comment spanning lines', `Model <!-- modelgov:start ${SYSTEM}\n-->\n\n${END}\n`],
    ['a multi-line marker comment last', `<!--\n\tmodelgov:start a\n-->\n<!--\n\tmodelgov:end   a\n-->\nafter\n`],
    ['a multi-line marker comment with a blank line inside', `${START}\n<!-- modelgov:end ${SYSTEM}\n\n-->\n\n# after\n`],
    ['an unterminated marker comment at the end', `# T\n\n${START}\n<!-- modelgov:end ${SYSTEM}\n\nrest of the file\n`],
    ['a comment mentioning modelgov: that closes much later', `${START}\n${END}\n<!-- note modelgov: keep\n\nthis\n\n-->\n# after\n`],
    ['markers in a <pre> block closed after them', `<pre>\n${START}\n${END}\n\n</pre>\n`],
    ['markers in a <div> block running past them', `<div>\n${START}\n${END}\ntext\n</div>\n`],
    ['an end marker in a list item that continues', `${START}\n- item\n\n  ${END}\n\n  more item\n`],
    ['an end marker in a block quote that continues lazily', `${START}\n> ${END}\nlazy\n`],
    ['markers in a footnote definition', `[^1]: note\n\n    ${START}\n    ${END}\n\n    more\n`],
    ['a marker interrupting a paragraph, then a lazy-looking line', `para\n${START}\n${END}\nnext\n===\n`],
    ['a quote closed by the marker line (not lazy)', `> quote\n${START}\n${END}\n`],
    ['a BOM, CRLF and a mention in code at the end', `\uFEFF${START}\r\n${END}\r\n\r\n~~~\r\n${END}\r\n`],
    ['nothing but a mention', 'modelgov:'],
  ];

  it.each(cases)('%s', async (_name, source) => {
    await expectSameAsFullParse(source);
  });

  it('the cases above include results and errors of every kind', async () => {
    const outcomes = await Promise.all(cases.map(([, source]) => outcome(findMarkersByFullParse, source)));
    expect(outcomes.some((o) => 'pairs' in o && (o.pairs as unknown[]).length > 0)).toBe(true);
    expect(outcomes.some((o) => 'pairs' in o && (o.pairs as unknown[]).length === 0)).toBe(true);
    for (const kind of ['inside a heading', 'inside a table', 'inside a link', 'not closed', 'shares its HTML block', 'not siblings']) {
      expect(outcomes.some((o) => 'error' in o && o.error.includes(kind)), kind).toBe(true);
    }
  });

  it('for every fixture and error fixture, in LF, CRLF, BOM and BOM+CRLF', async () => {
    const inputs = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        d.name === 'errors'
          ? readdirSync(join(FIXTURES, 'errors')).map((e) => join(FIXTURES, 'errors', e, 'input.md'))
          : [join(FIXTURES, d.name, 'input.md')],
      );
    expect(inputs.length).toBeGreaterThanOrEqual(25);
    for (const input of inputs) {
      const lf = read(input).replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
      for (const source of variants(lf)) await expectSameAsFullParse(source);
    }
  });

  /**
   * Every corpus file with a marker pair before its first heading and, at every line in turn,
   * one more mention — a marker pair, a lone marker, an inline marker, a multi-line comment, a
   * mention in code or prose — so the prefix ends at every line, inside lists, tables, fences,
   * HTML blocks and front matter alike.
   */
  const SNIPPETS = [
    markerBlock('xgb_totals'),
    `<!-- modelgov:start xgb_totals -->\n`,
    `Model: <!-- modelgov:end ${SYSTEM} -->\n`,
    `<!--\n  modelgov:end xgb_totals\n-->\n`,
    `Run \`modelgov: docs\` to refresh.\n`,
    `\`\`\`\n${END}\n`,
    `   ${END}\n`,
    `<!-- modelgov:end xgb_totals\n`,
  ];

  describe.each(readdirSync(CORPUS).filter((f) => f.endsWith('.md')).sort())('corpus %s', (name) => {
    const lf = read(join(CORPUS, name));
    const lines = lf.split(/(?<=\n)/);
    const first = Math.max(0, lines.findIndex((l) => l.startsWith('#')));
    const withPair = [...lines.slice(0, first), markerBlock(SYSTEM), '\n', ...lines.slice(first)];

    it('as is and with a marker pair, in every variant', async () => {
      for (const source of [...variants(lf), ...variants(withPair.join(''))]) await expectSameAsFullParse(source);
    });

    it('with one more mention at every line (LF), and at every 5th line (BOM+CRLF; 5 and the 8 snippets are coprime)', async () => {
      for (let at = 0; at <= withPair.length; at++) {
        const snippet = SNIPPETS[at % SNIPPETS.length];
        const doc = [...withPair.slice(0, at), snippet, ...withPair.slice(at)].join('');
        await expectSameAsFullParse(doc);
        if (at % 5 === 0) await expectSameAsFullParse(`\uFEFF${doc.replace(/\n/g, '\r\n')}`);
      }
    });
  });
});

/** More runs on demand: DOCS_FC_RUNS=5000 npx vitest run test/docs/prefix-parse.test.ts */
const RUNS = Number(process.env.DOCS_FC_RUNS ?? 200);

describe('property: findMarkers equals a full parse for random documents', () => {
  // Lines that open, continue or close every kind of block.
  const BLOCK_LINES = [
    '',
    '  ',
    'text',
    'text *em* and [link][r] and `code`',
    '===',
    '---',
    '```',
    '~~~',
    '    indented',
    '- item',
    '  - nested',
    '  continued',
    '1. first',
    '> quote',
    '>',
    '| a | b |',
    '| - | - |',
    '[r]: https://example.com',
    '[^n]: note',
    '<div>',
    '</div>',
    '<pre>',
    '</pre>',
    '<!--',
    '-->',
    '<!-- other tool -->',
    '<details>',
  ];
  // Mentions that are never markers where they stand, or only depending on the lines around them.
  const MENTIONS = [
    `\`${START}\``,
    'run modelgov: docs',
    '<!-- note: modelgov: keeps this -->',
    `    ${END}`,
    `[x ${END}][r]`,
    `Model ${START} text`,
  ];
  // Markers in every position, good and bad.
  const MARKERS = [
    START,
    END,
    `  ${START}`,
    `   ${END}`,
    `\t${END}`,
    `> ${END}`,
    `- ${START}`,
    '<!-- modelgov:start other -->',
    '<!-- modelgov:end other -->',
    `<!-- modelgov:end ${SYSTEM}`,
    `modelgov:end ${SYSTEM} -->`,
    '<!-- modelgov:start -->',
    `${START} <br>`,
  ];
  const eol = fc.constantFrom('\n', '\r\n', '\r');
  const lines = (vocabulary: string[], maxLength: number) =>
    fc
      .array(fc.tuple(fc.constantFrom(...vocabulary), eol), { maxLength })
      .map((ls) => ls.map(([l, e]) => l + e).join(''));
  const text = (s: { bom: boolean; body: string; last?: string }) => (s.bom ? '\uFEFF' : '') + s.body + (s.last ?? '');

  it('anything: same pairs or the same error', async () => {
    const any = [...BLOCK_LINES, ...MENTIONS, ...MARKERS];
    const doc = fc.record({
      bom: fc.boolean(),
      body: lines(any, 24),
      last: fc.option(fc.constantFrom(...any), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        await expectSameAsFullParse(text(d));
      }),
      { numRuns: RUNS },
    );
  });

  it('a marker pair among random blocks and mentions: same pairs or the same error', async () => {
    const filler = lines([...BLOCK_LINES, ...MENTIONS], 8);
    const doc = fc.record({
      bom: fc.boolean(),
      before: filler,
      start: fc.constantFrom(START, `  ${START}`, `<!--\n modelgov:start ${SYSTEM}\n-->`),
      middle: filler,
      end: fc.constantFrom(END, `   ${END}`, `<!--modelgov:end ${SYSTEM}-->`, `<!-- modelgov:end ${SYSTEM}\n\n-->`),
      after: filler,
      eols: fc.tuple(eol, eol),
      last: fc.option(fc.constantFrom(...BLOCK_LINES, ...MENTIONS), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        const body = d.before + d.start + d.eols[0] + d.middle + d.end + d.eols[1] + d.after;
        await expectSameAsFullParse(text({ bom: d.bom, body, last: d.last }));
      }),
      { numRuns: RUNS },
    );
  });
});
