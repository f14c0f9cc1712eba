import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isModelgovError } from '../../src/errors.js';
import { findMarkersByFullParse } from '../helpers/find-markers-by-full-parse.js';
import { renderSection, type SectionInput, updateDocs } from '../../src/docs/index.js';
import { SYSTEM, loadManifest, realInput, sectionsOf } from './helpers.js';

/**
 * updateDocs verifies its result by parsing a window around each section (the start marker, the
 * new body, the end-marker line) instead of the whole result. It must accept and refuse exactly
 * what a full parse of the whole result accepts and refuses: the same markers with exactly the
 * new bodies between them.
 */
const FILE = 'CLAUDE.md';
const XGB_SYSTEM = 'xgb_totals';
const START = `<!-- modelgov:start ${SYSTEM} -->`;
const END = `<!-- modelgov:end ${SYSTEM} -->`;
const XGB = {
  system: XGB_SYSTEM,
  manifest: loadManifest('manifest-xgb.json'),
  manifestLocation: 'gs://nba-props-platform-models/xgb/totals/manifest.json',
};
const withTemplates = (main?: string, xgb?: string) =>
  sectionsOf(
    realInput(main === undefined ? {} : { template: { text: main, file: 'main.tpl.md' } }),
    { ...XGB, ...(xgb === undefined ? {} : { template: { text: xgb, file: 'xgb.tpl.md' } }) },
  );

type Verdict = { ok: string } | { breaks: true } | { none: true } | { error: string };

/** What the old updateDocs decided: splice, then one full parse of the whole result. */
async function reference(source: string, sections: Map<string, SectionInput>): Promise<Verdict> {
  let pairs;
  try {
    pairs = await findMarkersByFullParse(source, FILE);
  } catch (error) {
    return { error: isModelgovError(error) ? error.message : String(error) };
  }
  if (pairs.length === 0) return { none: true };
  let text = '';
  let cursor = 0;
  const bodies: string[] = [];
  for (const pair of pairs) {
    const eol = source.startsWith('\r\n', pair.contentStart) ? '\r\n' : source[pair.contentStart];
    const body = eol + renderSection(sections.get(pair.system) as SectionInput).replace(/\n/g, eol) + eol;
    bodies.push(body);
    text += source.slice(cursor, pair.contentStart) + body;
    cursor = pair.contentEnd;
  }
  text += source.slice(cursor);
  if (text === source) return { ok: text };
  try {
    const again = await findMarkersByFullParse(text, FILE);
    const same =
      again.length === pairs.length &&
      again.every((p, i) => p.system === pairs[i].system && text.slice(p.contentStart, p.contentEnd) === bodies[i]);
    return same ? { ok: text } : { breaks: true };
  } catch {
    return { breaks: true };
  }
}

async function actual(source: string, sections: Map<string, SectionInput>): Promise<Verdict> {
  try {
    const result = await updateDocs(source, FILE, sections);
    return result.hasMarkers ? { ok: result.text } : { none: true };
  } catch (error) {
    if (isModelgovError(error) && error.code === 'TEMPLATE_INVALID' && error.message.includes('would change where the markers')) {
      return { breaks: true };
    }
    return { error: isModelgovError(error) ? error.message : String(error) };
  }
}

async function expectSameVerdict(source: string, sections: Map<string, SectionInput>): Promise<Verdict> {
  const expected = await reference(source, sections);
  expect(await actual(source, sections), JSON.stringify(source)).toEqual(expected);
  return expected;
}

describe('verification of the result by windows', () => {
  it('names the system whose section breaks the markers, also when it is not the first', async () => {
    const source = `${START}\n${END}\n\n<!-- modelgov:start ${XGB_SYSTEM} -->\n<!-- modelgov:end ${XGB_SYSTEM} -->\n`;
    await expect(updateDocs(source, FILE, withTemplates(undefined, '```\n{{production.id}}'))).rejects.toMatchObject({
      code: 'TEMPLATE_INVALID',
      file: 'xgb.tpl.md',
      message: expect.stringContaining(`rendered for "${XGB_SYSTEM}" would change where the markers in ${FILE} are found`),
    });
    await expect(updateDocs(source, FILE, withTemplates('<div>\n{{production.id}}'))).rejects.toMatchObject({
      file: 'main.tpl.md',
      message: expect.stringContaining(`rendered for "${SYSTEM}"`),
    });
  });

  const cases: [string, string, string, string?][] = [
    ['a fence closed by a fence after the end marker', '```', `${START}\n${END}\n\n\`\`\`\n`],
    ['an HTML block running into the end marker', '<div>\n{{production.id}}', `${START}\n${END}\n`],
    ['an HTML comment left open', '<!-- {{production.id}}', `${START}\n${END}\n\n-->\n`],
    ['a list taking in an indented end marker (CRLF)', '- {{production.id}}', `${START}\r\n   ${END}\r\n`],
    ['a block quote before the end marker', '> {{production.id}}', `${START}\n${END}\n`],
    ['a table before the end marker', '| a |\n| - |\n| {{production.id}} |', `${START}\n${END}\n`],
    ['a paragraph before the end marker, multi-line markers', 'text {{production.id}}', `<!--\nmodelgov:start ${SYSTEM}\n-->\nold\n<!--\n  modelgov:end ${SYSTEM}\n-->`],
    ['an inline marker in the section', `Model ${END}`, `${START}\n${END}\n`],
    ['a marker in inline code in the section', `Model \`${END}\``, `${START}\n${END}\n`],
    ['a marker in a closed fence in the section', `\`\`\`\n${END}\n\`\`\``, `${START}\n${END}\n`],
    ['a definition in the section (whole-text path)', '[r]: https://example.com\n\n[x][r]', `${START}\n${END}\n\n[y ${END}][r]\n`],
    ['a definition in the replaced text (whole-text path)', 'text', `${START}\n[r]: https://example.com\n${END}\n\n[y][r]\n`],
    ['a mention in the section and a definition elsewhere', 'modelgov: {{production.id}}', `${START}\n${END}\n\n[r]: /u\n`],
    ['a definition in the replaced text that hid an inline marker', 'text', `${START}\n[<!-- modelgov:start zz -->]: /u\n${END}\n\n[y][<!-- modelgov:start zz -->]\n`],
    ['a reference in the section to a definition elsewhere', '[x][<!-- modelgov:start zz -->]', `${START}\n${END}\n\n[<!-- modelgov:start zz -->]: /u\n`],
    ['a setext underline after the end marker', 'text', `${START}\n${END}\n===\n`],
    ['a lone CR document', 'a\n\nb', `# T\r${START}\r${END}\r`],
    ['a BOM and an end marker on the last line', '{{production.id}}', `\uFEFF${START}\r\nold\r\n${END}`],
  ];

  it.each(cases)('%s: same verdict as parsing the whole result', async (_name, template, source) => {
    await expectSameVerdict(source, withTemplates(template, template));
  });

  it('the cases above include accepted and refused sections', async () => {
    const verdicts = await Promise.all(cases.map(([, template, source]) => reference(source, withTemplates(template, template))));
    expect(verdicts.filter((v) => 'ok' in v).length).toBeGreaterThan(3);
    expect(verdicts.filter((v) => 'breaks' in v).length).toBeGreaterThan(3);
  });
});

/** More runs on demand: DOCS_FC_RUNS=5000 npx vitest run test/docs/verify-window.test.ts */
const RUNS = Number(process.env.DOCS_FC_RUNS ?? 200);

describe('property: windowed verification decides like a full parse of the result', () => {
  const TEMPLATE_LINES = [
    'text {{production.id}}',
    '',
    '```',
    '~~~',
    '<pre>',
    '</pre>',
    '<div>',
    '</div>',
    '<!--',
    '-->',
    '- item {{production.id}}',
    '  - nested',
    '1. one',
    '> quote',
    '| a |',
    '| - |',
    '===',
    '    code',
    START,
    END,
    `<!-- modelgov:start ${XGB_SYSTEM} -->`,
    '[r]: https://example.com',
    '[x][r]',
    'modelgov: mention',
    `\`${END}\``,
    `Model ${END}`,
    `<!-- modelgov:end ${SYSTEM}`,
    '<details>',
    '[^n]: note',
    '<!-- note modelgov: x -->',
  ];
  const FILLER_LINES = [
    '',
    'text *em* [link][r]',
    '# heading',
    '===',
    '```',
    '```md',
    '    indented',
    '- item',
    '  continued',
    '> quote',
    '| a | b |',
    '| - | - |',
    '[r]: https://example.com',
    '<div>',
    '</div>',
    '<!-- other tool -->',
    `\`${START}\``,
    'run modelgov: docs',
    `[x ${END}][r]`,
  ];
  const eol = fc.constantFrom('\n', '\r\n');
  const template = fc.array(fc.constantFrom(...TEMPLATE_LINES), { maxLength: 5 }).map((ls) => ls.join('\n'));
  const filler = fc
    .array(fc.tuple(fc.constantFrom(...FILLER_LINES), eol), { maxLength: 5 })
    .map((ls) => ls.map(([l, e]) => l + e).join(''));
  const pair = (system: string) =>
    fc
      .record({ indent: fc.constantFrom('', ' ', '   '), eol, middle: filler })
      .map((p) => `<!-- modelgov:start ${system} -->${p.eol}${p.middle}${p.indent}<!-- modelgov:end ${system} -->`);
  const doc = fc.record({
    bom: fc.boolean(),
    before: filler,
    first: pair(SYSTEM),
    between: fc.tuple(eol, filler),
    second: fc.option(pair(XGB_SYSTEM), { nil: undefined }),
    after: fc.option(fc.tuple(eol, filler), { nil: undefined }),
    templates: fc.tuple(template, fc.option(template, { nil: undefined })),
  });

  it('accepts and refuses the same sections, with the same result text', async () => {
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        const source =
          (d.bom ? '\uFEFF' : '') +
          d.before +
          d.first +
          (d.second === undefined ? '' : d.between.join('') + d.second) +
          (d.after?.join('') ?? '');
        await expectSameVerdict(source, withTemplates(...d.templates));
      }),
      { numRuns: RUNS },
    );
  });
});
