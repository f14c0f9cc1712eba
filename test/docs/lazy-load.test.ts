import { afterEach, describe, expect, it, vi } from 'vitest';

// Importing the docs layer, and looking at files without markers, must not load unified/remark:
// that keeps the pre-commit hook fast. A throwing mock proves it is never imported.
describe('lazy loading of the markdown parser', () => {
  afterEach(() => {
    vi.doUnmock('unified');
    vi.resetModules();
  });

  it('does not load unified on import or for documents without "modelgov:"', async () => {
    vi.resetModules();
    vi.doMock('unified', () => {
      throw new Error('unified was loaded');
    });
    const docs = await import('../../src/docs/index.js');
    await expect(docs.findMarkers('# README\n\nNothing to see.\n', 'README.md')).resolves.toEqual([]);
    await expect(docs.updateDocs('# README\n', 'README.md', new Map())).resolves.toEqual({
      text: '# README\n',
      changed: false,
      systems: [],
      hasMarkers: false,
    });
    // …while a document that mentions markers does need it (so the mock above was effective).
    await expect(docs.findMarkers('<!-- modelgov:start a -->\n', 'CLAUDE.md')).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('markdown parser'),
    });
  });

  it('retries loading after a failed load', async () => {
    vi.resetModules();
    vi.doMock('unified', () => {
      throw new Error('temporarily broken');
    });
    const docs = await import('../../src/docs/index.js');
    await expect(docs.findMarkers('<!-- modelgov:start a -->\n', 'x.md')).rejects.toMatchObject({ code: 'INTERNAL' });
    vi.doUnmock('unified');
    const source = '<!-- modelgov:start a -->\n<!-- modelgov:end a -->\n';
    await expect(docs.findMarkers(source, 'x.md')).resolves.toHaveLength(1);
  });
});
