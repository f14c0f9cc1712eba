import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { docsDiff, updateDocs } from '../../src/docs/index.js';
import { SYSTEM, realInput, sectionsOf } from './helpers.js';

const before = `# CLAUDE.md\n\n<!-- modelgov:start ${SYSTEM} -->\n| MAE | 4.12 |\n<!-- modelgov:end ${SYSTEM} -->\n\ntail\n`;

describe('docsDiff', () => {
  it('is empty when nothing changed', () => {
    expect(docsDiff('CLAUDE.md', before, before)).toBe('');
  });

  it('is a unified diff from the current to the regenerated text, labelled with the file', async () => {
    const { text: after } = await updateDocs(before, 'CLAUDE.md', sectionsOf(realInput()));
    const patch = docsDiff('CLAUDE.md', before, after);
    const lines = patch.split('\n');
    expect(lines).toContain('--- CLAUDE.md\tcurrent');
    expect(lines).toContain('+++ CLAUDE.md\tregenerated');
    expect(lines).toContain('-| MAE | 4.12 |');
    expect(lines).toContain('+| MAE | 4.82 |');
    expect(lines).toContain(' <!-- modelgov:end catboost_v9 -->');
    expect(lines.filter((l) => /^@@ /.test(l))).toHaveLength(1);
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('round-trips CRLF documents', async () => {
    const crlf = before.replace(/\n/g, '\r\n');
    const { text: after } = await updateDocs(crlf, 'CLAUDE.md', sectionsOf(realInput()));
    expect(applyPatch(crlf, docsDiff('CLAUDE.md', crlf, after))).toBe(after);
  });
});
