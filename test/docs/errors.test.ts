import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isModelgovError } from '../../src/errors.js';
import { findMarkers, updateDocs } from '../../src/docs/index.js';
import { FIXTURES, loadManifest, read, realInput, sectionsOf } from './helpers.js';

const ERRORS = join(FIXTURES, 'errors');
const CASES = readdirSync(ERRORS).sort();
const FILE = 'CLAUDE.md';
const SECTIONS = sectionsOf(realInput(), {
  system: 'xgb_totals',
  manifest: loadManifest('manifest-xgb.json'),
  manifestLocation: 'gs://nba-props-platform-models/xgb/totals/manifest.json',
});

/** Runs `run`, which must throw; returns the error (and fails if anything is returned). */
async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  let returned: unknown = 'nothing';
  try {
    returned = await run();
  } catch (error) {
    return error;
  }
  throw new Error(`expected an error, got a result: ${JSON.stringify(returned)}`);
}

describe('invalid markers: MARKERS_INVALID naming file and line, nothing returned', () => {
  it('has every required case', () => {
    for (const name of ['missing-end', 'end-without-start', 'duplicate', 'nested', 'not-siblings', 'unknown-system']) {
      expect(CASES).toContain(name);
    }
  });

  describe.each(CASES)('%s', (name) => {
    const input = read(join(ERRORS, name, 'input.md'));
    const message = read(join(ERRORS, name, 'expected-error.txt')).trimEnd();

    it('updateDocs throws the expected error', async () => {
      const error = await rejection(() => updateDocs(input, FILE, SECTIONS));
      expect(isModelgovError(error)).toBe(true);
      if (!isModelgovError(error)) return;
      expect(error.code).toBe('MARKERS_INVALID');
      expect(error.message).toBe(message);
      expect(error.message).toMatch(/^CLAUDE\.md:\d+: /);
      expect(error.file).toBe(FILE);
      expect(error.fix).toMatch(/\S/);
    });

    it('the line in the message is the marker line in the file', () => {
      const line = Number(/^CLAUDE\.md:(\d+):/.exec(message)?.[1]);
      expect(input.split('\n')[line - 1]).toMatch(/modelgov:(start|end)/);
    });

    if (name !== 'unknown-system') {
      it('findMarkers throws it too (structure is checked before systems)', async () => {
        const error = await rejection(() => findMarkers(input, FILE));
        expect(isModelgovError(error) && error.message).toBe(message);
      });
    }

    it('the same error is reported for the CRLF and BOM variants (same line)', async () => {
      const variant = `\uFEFF${input.replace(/\n/g, '\r\n')}`;
      const error = await rejection(() => updateDocs(variant, FILE, SECTIONS));
      expect(isModelgovError(error) && error.message).toBe(message);
    });
  });
});
