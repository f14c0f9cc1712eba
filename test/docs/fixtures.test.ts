import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateDocs } from '../../src/docs/index.js';
import { type CaseConfig, FIXTURES, SYSTEM, lineEndings, read, sectionsForCase } from './helpers.js';

const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'errors')
  .map((d) => d.name)
  .sort();

describe('docs fixtures: input.md -> expected.md, byte for byte', () => {
  it('has every required case', () => {
    for (const name of [
      'basic',
      'crlf',
      'bom',
      'bom-crlf',
      'tabs-trailing-spaces',
      'front-matter',
      'other-tools-markers',
      'marker-in-fence',
      'marker-in-inline-code',
      'two-systems',
      'idempotent',
      'empty-section',
      'custom-template',
    ]) {
      expect(CASES).toContain(name);
    }
  });

  describe.each(CASES)('%s', (name) => {
    const dir = join(FIXTURES, name);
    const configPath = join(dir, 'case.json');
    const config: CaseConfig = existsSync(configPath) ? (JSON.parse(read(configPath)) as CaseConfig) : {};
    const input = read(join(dir, 'input.md'));
    const expected = read(join(dir, 'expected.md'));
    const sections = sectionsForCase(dir, config);
    const file = `${name}/CLAUDE.md`;

    it('fixture bytes are what the case name promises (guards against line-ending normalisation)', () => {
      const endings = new Set([...lineEndings(input), ...lineEndings(expected)]);
      expect([...endings]).toEqual([name.includes('crlf') ? '\r\n' : '\n']);
      expect(input.startsWith('\uFEFF')).toBe(name.startsWith('bom'));
      expect(expected.startsWith('\uFEFF')).toBe(name.startsWith('bom'));
      if (name === 'idempotent' || name === 'markers-only-in-code') expect(input).toBe(expected);
      else expect(input).not.toBe(expected);
    });

    it('regenerates exactly expected.md', async () => {
      const result = await updateDocs(input, file, sections);
      expect(result.text).toBe(expected);
      expect(result.changed).toBe(input !== expected);
      expect(result.hasMarkers).toBe(config.expect?.hasMarkers ?? true);
      expect(result.systems).toEqual(config.expect?.systems ?? (config.systems ?? [{ id: SYSTEM }]).map((s) => s.id));
    });

    it('is idempotent: a second run changes nothing', async () => {
      const again = await updateDocs(expected, file, sections);
      expect(again.changed).toBe(false);
      expect(again.text).toBe(expected);
    });
  });
});
