import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findMarkers } from '../../src/docs/find-markers.js';
import { markerBlock } from '../../src/docs/index.js';
import { isModelgovError } from '../../src/errors.js';
import { CORPUS, FIXTURES, SYSTEM, read } from '../docs/helpers.js';
import { REPO_ROOT } from '../helpers/example.js';
import { findMarkersByFullParse } from '../helpers/find-markers-by-full-parse.js';

/**
 * Item: large docs files. findMarkers parses the document in pieces cut where nothing is open,
 * so time grows linearly and memory stays bounded. Whatever the pieces, the answer must be the
 * one full parse gives; `chunkBytes: 1` cuts at every possible place, the hardest case.
 */
const FILE = 'CLAUDE.md';
const START = `<!-- modelgov:start ${SYSTEM} -->`;
const END = `<!-- modelgov:end ${SYSTEM} -->`;

type Outcome = { pairs: unknown } | { error: string };
async function outcome(find: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { pairs: await find() };
  } catch (error) {
    return { error: isModelgovError(error) ? `${error.code} ${error.message}` : String(error) };
  }
}
async function expectSameInPieces(source: string): Promise<void> {
  const reference = await outcome(() => findMarkersByFullParse(source, FILE));
  for (const chunkBytes of [1, 7, 200]) {
    expect(await outcome(() => findMarkers(source, FILE, { chunkBytes })), `${chunkBytes}: ${JSON.stringify(source)}`).toEqual(reference);
  }
}

describe('findMarkers in pieces equals one full parse', { timeout: 300_000 }, () => {
  it('every fixture, every corpus file with a marker pair and a mention after each blank line', async () => {
    const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'errors')
      .map((d) => read(join(FIXTURES, d.name, 'input.md')));
    const errors = readdirSync(join(FIXTURES, 'errors')).map((e) => read(join(FIXTURES, 'errors', e, 'input.md')));
    for (const source of [...fixtures, ...errors]) await expectSameInPieces(source);
    for (const name of readdirSync(CORPUS).filter((f) => f.endsWith('.md'))) {
      const lines = read(join(CORPUS, name)).split(/(?<=\n)/);
      const first = Math.max(0, lines.findIndex((l) => l.startsWith('#')));
      const withPair = [...lines.slice(0, first), markerBlock(SYSTEM), '\n', ...lines.slice(first)];
      await expectSameInPieces(withPair.join(''));
      for (let at = 1; at < withPair.length; at++) {
        if (withPair[at - 1].trim() !== '') continue;
        const mention = [`Run \`modelgov: docs\`.\n`, `${END}\n`, `Model ${START}\n`, '<!--\n modelgov: x\n\n'][at % 4];
        await expectSameInPieces([...withPair.slice(0, at), mention, ...withPair.slice(at)].join(''));
      }
    }
  });

  it('property: random documents of blocks, mentions and markers', async () => {
    const vocabulary = [
      '', '', '  ', 'text', 'Text *em* `code`', 'para [r]', '===', '---', '```', '~~~', '    indented', '- item', '  continued',
      '1. first', '> quote', '| a | b |', '| - | - |', '[^n]: note', '<div>', '</div>', '<pre>', '</pre>', '<!--', '-->',
      `\`${START}\``, 'run modelgov: docs', `    ${END}`, `Model ${START} text`, START, END, `  ${START}`, `> ${END}`, `- ${START}`,
      `<!-- modelgov:end ${SYSTEM}`,
    ];
    const eol = fc.constantFrom('\n', '\n', '\r\n');
    const doc = fc.record({
      bom: fc.boolean(),
      lines: fc.array(fc.tuple(fc.constantFrom(...vocabulary), eol), { maxLength: 40 }),
    });
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        await expectSameInPieces((d.bom ? '\uFEFF' : '') + d.lines.map(([l, e]) => l + e).join(''));
      }),
      { numRuns: Number(process.env.DOCS_FC_RUNS ?? 150) },
    );
  });
});

describe('memory on a large docs file', { timeout: 600_000 }, () => {
  it('5 MB of blank-separated paragraphs with the markers at the end: under 500 MB resident', () => {
    // A child process, so the figure is the parse's own (the test runner's heap is not counted).
    const script = `
      const { findMarkers } = await import(${JSON.stringify(join(REPO_ROOT, 'dist', 'index.js'))});
      const para = 'Some prose of the notes, a paragraph on its own line.\\n\\n';
      const text = para.repeat(Math.ceil(5e6 / para.length)) + '${START}\\nold\\n${END}\\n';
      const pairs = await findMarkers(text, 'CLAUDE.md');
      console.log(JSON.stringify({ pairs: pairs.length, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 540_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pairs).toBe(1);
    expect(out.maxRssMB).toBeLessThan(500);
  });
});
