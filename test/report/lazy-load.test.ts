import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { copyExample } from '../helpers/example.js';
import { TRACE } from '../hooks/helpers.js';

/** Every module a CLI run loaded (the test-only import tracer), with the text of the files. */
function traced(dir: string, args: string[]): { url: string; text: string }[] {
  const file = join(mkdtempSync(join(tmpdir(), 'modelgov-trace-')), 'modules.txt');
  const r = cli(dir, args, { NODE_OPTIONS: `--import=${TRACE}`, MODELGOV_TRACE_IMPORTS: file });
  expect(r.code, r.stderr).toBeLessThan(2);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => ({ url, text: url.startsWith('file:') ? readFileSync(new URL(url), 'utf8') : '' }));
}

const vega = (mods: { url: string; text: string }[]) => mods.filter((m) => /node_modules\/vega/.test(m.url) || /function renderTimelineSvg\(/.test(m.text));

describe('the charting libraries load only for `modelgov report`', { timeout: 120_000 }, () => {
  it('docs (with the timeline in the template) and drift load no Vega; report does', () => {
    const dir = copyExample();
    const docs = traced(dir, ['docs']);
    expect(docs.some((m) => /function renderSection\(/.test(m.text))).toBe(true); // the trace works
    expect(vega(docs)).toEqual([]);
    expect(vega(traced(dir, ['drift', '--offline', 'warn']))).toEqual([]);
    expect(vega(traced(dir, ['report', '--out', 'r.html'])).length).toBeGreaterThan(0);
  });
});
