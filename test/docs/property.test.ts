import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSection, updateDocs } from '../../src/docs/index.js';
import { SYSTEM, loadManifest, realInput, sectionsOf } from './helpers.js';

/**
 * Random markdown around (and between) the markers: whatever surrounds them is kept byte for
 * byte, the section uses the line ending of the start-marker line, and a second run is a no-op.
 *
 * The generator avoids only what legitimately changes where markers are (an unclosed fence,
 * an unclosed HTML block, a list item that takes in an indented marker); everything else is fair
 * game, including code that contains marker text, other tools' comments, tabs, trailing blanks,
 * CRLF/LF mixes and non-ASCII text.
 */
/** More runs on demand: DOCS_FC_RUNS=5000 npx vitest run test/docs/property.test.ts */
const RUNS = Number(process.env.DOCS_FC_RUNS ?? 200);
const XGB = {
  system: 'xgb_totals',
  manifest: loadManifest('manifest-xgb.json'),
  manifestLocation: 'gs://nba-props-platform-models/xgb/totals/manifest.json',
};
const SECTIONS = sectionsOf(realInput(), XGB);
const RENDERED = new Map([
  [SYSTEM, renderSection(realInput())],
  [XGB.system, renderSection(XGB)],
]);

const eol = fc.constantFrom('\n', '\r\n');
// No `<` (HTML starts), no backtick or tilde (fences), no line breaks (added by the structure).
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '7', ' ', ' ', '\t', '.', ',', ':') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('*', '_', '#', '-', '+', '=', '|', '>', '[', ']', '(', ')', '!', '\\', '&', '"', "'", '/'),
  },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', 'Ω', '中', '文', 'ع', '😀', '👨‍👩‍👧', '\u00A0', '\u200B', '→', '—') },
  { weight: 1, arbitrary: fc.constantFrom('modelgov:', 'modelgov:start', '-->', '{{x}}') },
);
const text = fc.array(char, { maxLength: 30 }).map((cs) => cs.join(''));
const MARKER_TEXT = fc.constantFrom(
  `<!-- modelgov:start ${SYSTEM} -->`,
  `<!-- modelgov:end ${SYSTEM} -->`,
  '<!-- modelgov:start other -->',
);

/** A block as a list of lines (joined later with random line endings). */
const block: fc.Arbitrary<string[]> = fc.oneof(
  fc.array(text, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `x${l}`)),
  fc.tuple(fc.integer({ min: 1, max: 6 }), text).map(([n, t]) => [`${'#'.repeat(n)} ${t}`]),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l, i) => `${i % 2 ? '  ' : ''}- ${l}`)),
  fc
    .tuple(fc.constantFrom('```', '~~~', '````'), fc.array(fc.oneof(text, MARKER_TEXT), { maxLength: 4 }))
    .map(([fence, body]) => [`${fence}md`, ...body, fence]),
  fc.tuple(text, MARKER_TEXT).map(([t, m]) => [`see \`${m}\` ${t}`]),
  // Indented code holds no marker text: after a list, indented lines continue the list item, and
  // a marker there is a real (misplaced) marker. The fixtures cover markers in indented code.
  fc.array(text, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `    ${l}`)),
  fc.tuple(text, text).map(([a, b]) => [`| ${a} | b |`, '| --- | --- |', `| ${b} | 2 |`]),
  fc.tuple(text, text).map(([a, b]) => [`> ${a}`, `> ${b}`]),
  fc.constantFrom<string[]>(
    ['<!-- START doctoc generated TOC please keep comment here to allow auto update -->', '- [A](#a)', '<!-- END doctoc generated TOC please keep comment here to allow auto update -->'],
    ['<!-- ALL-CONTRIBUTORS-LIST:START - Do not remove or modify this section -->', '<!-- ALL-CONTRIBUTORS-LIST:END -->'],
    ['<!-- BEGIN_TF_DOCS -->', '## Requirements', '<!-- END_TF_DOCS -->'],
    ['<details>', '<summary>more</summary>', '</details>'],
    ['***'],
    ['---', 'title: x', '---'],
  ),
);

/** Blocks, each line ended by a random EOL, with a blank line after each block. */
const blocks = fc.array(fc.tuple(block, fc.array(eol, { minLength: 8, maxLength: 8 })), { maxLength: 5 }).map((bs) =>
  bs
    .map(([lines, eols]) => lines.map((l, i) => l + eols[i % eols.length]).join('') + eols[7])
    .join(''),
);

const markerLine = (kind: 'start' | 'end', system: string) =>
  fc
    .tuple(fc.constantFrom('', ' '), fc.constantFrom(' ', '  ', '\t'), fc.constantFrom('', ' ', '\t', '  \t'))
    .map(([indent, space, trailing]) => `${indent}<!--${space}modelgov:${kind} ${system}${space}-->${trailing}`);

const section = (system: string) =>
  fc.record({ start: markerLine('start', system), eol, middle: blocks, end: markerLine('end', system) });

const doc = fc.record({
  bom: fc.boolean(),
  before: blocks,
  first: section(SYSTEM),
  between: fc.tuple(eol, blocks),
  second: fc.option(section(XGB.system), { nil: undefined }),
  after: fc.option(fc.tuple(eol, blocks), { nil: undefined }),
});

type Doc = typeof doc extends fc.Arbitrary<infer T> ? T : never;

/** The input document and the exact text updateDocs must produce for it. */
function build(d: Doc): { input: string; expected: string } {
  let input = (d.bom ? '\uFEFF' : '') + d.before;
  let expected = input;
  const add = (system: string, s: NonNullable<Doc['second']>, tail: string) => {
    input += `${s.start}${s.eol}${s.middle}${s.end}${tail}`;
    const body = (RENDERED.get(system) as string).replace(/\n/g, s.eol);
    expected += `${s.start}${s.eol}${body}${s.eol}${s.end}${tail}`;
  };
  if (d.second === undefined) {
    add(SYSTEM, d.first, d.after === undefined ? '' : d.after.join(''));
  } else {
    add(SYSTEM, d.first, d.between.join(''));
    add(XGB.system, d.second, d.after === undefined ? '' : d.after.join(''));
  }
  return { input, expected };
}

// Hundreds of generated documents: on a busy 2-core machine (many sessions) this takes over 30 s.
describe('property: bytes outside the markers are preserved, and a second run changes nothing', { timeout: 180_000 }, () => {
  it('holds for random documents', async () => {
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        const { input, expected } = build(d);
        const result = await updateDocs(input, 'random.md', SECTIONS);
        expect(result.text).toBe(expected);
        expect(result.systems).toEqual(d.second === undefined ? [SYSTEM] : [SYSTEM, XGB.system]);
        const again = await updateDocs(result.text, 'random.md', SECTIONS);
        expect(again.changed).toBe(false);
        expect(again.text).toBe(result.text);
      }),
      { numRuns: RUNS },
    );
  });

  it('documents without markers come back untouched (same string)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), blocks, async (bom, body) => {
        const input = (bom ? '\uFEFF' : '') + body.replace(new RegExp(`modelgov:(start|end) ${SYSTEM}`, 'g'), 'x');
        const result = await updateDocs(input, 'random.md', SECTIONS);
        expect(result.text).toBe(input);
        expect(result.changed).toBe(false);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
