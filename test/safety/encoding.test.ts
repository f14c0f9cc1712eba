import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8Text, firstInvalidUtf8 } from '../../src/util/text-file.js';
import { run } from '../helpers/cli.js';
import { EXAMPLE_MANIFEST, runGit } from '../helpers/example.js';
import { editManifestMae, exampleWithHook } from '../hooks/helpers.js';
import { exampleWithDocs } from './helpers.js';

/**
 * Item: a docs file that is not exact UTF-8 (a Latin-1 byte, UTF-16, NUL bytes, binary) is never
 * decoded lossily: exit 2 naming the file and the first bad byte offset, nothing written — in
 * `docs`, `docs --check`, the pre-commit hook (working file and staged blob) and drift.
 */
describe('non-UTF-8 docs files', { timeout: 180_000 }, () => {
  /** The example's CLAUDE.md (section stale) with `bytes` spliced in after its first line. */
  function withBytes(bytes: Buffer): { dir: string; file: string; before: Buffer; offset: number } {
    const dir = exampleWithDocs();
    const file = join(dir, 'CLAUDE.md');
    const text = readFileSync(file);
    const offset = text.indexOf(0x0a) + 1;
    const before = Buffer.concat([text.subarray(0, offset), bytes, text.subarray(offset)]);
    writeFileSync(file, before);
    return { dir, file, before, offset };
  }

  it('a Latin-1 byte outside the markers: docs exits 2 naming the file, the byte and its offset; nothing written', async () => {
    const { dir, file, before, offset } = withBytes(Buffer.from('Caf\xe9 notes\n', 'latin1'));
    for (const args of [['docs'], ['docs', '--check']]) {
      const r = await run(dir, args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`CLAUDE.md: not UTF-8 text: invalid byte 0xE9 at byte offset ${offset + 3} (line 2)`);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });

  it('UTF-16 (with its byte order mark) and NUL bytes are refused the same way', async () => {
    const utf16 = exampleWithDocs();
    const file = join(utf16, 'CLAUDE.md');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(file, 'utf8'), 'utf16le')]);
    writeFileSync(file, bytes);
    const r = await run(utf16, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a UTF-16 byte order mark (0xFF 0xFE) at byte offset 0');
    expect(readFileSync(file).equals(bytes)).toBe(true);

    const { dir, file: f2, before, offset } = withBytes(Buffer.from([0x62, 0x00, 0x01, 0x0a]));
    const nul = await run(dir, ['docs']);
    expect(nul.code).toBe(2);
    expect(nul.stderr).toContain(`a NUL byte (binary data?) at byte offset ${offset + 1}`);
    expect(readFileSync(f2).equals(before)).toBe(true);
  });

  it('drift reports the docs file as unreadable (exit 2), naming the offset', async () => {
    const { dir, offset } = withBytes(Buffer.from([0xc3, 0x28, 0x0a]));
    const r = await run(dir, ['drift']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid byte 0xC3 at byte offset ${offset}`);
  });

  it('hook pre-commit: a non-UTF-8 working CLAUDE.md or staged blob blocks the commit (exit 2); nothing is written or staged', async () => {
    const dir = exampleWithHook();
    const file = join(dir, 'CLAUDE.md');
    editManifestMae(dir, 4.1);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const staged = runGit(dir, 'rev-parse', ':CLAUDE.md');
    const before = Buffer.concat([readFileSync(file), Buffer.from('Stra\xdfe\n', 'latin1')]);
    writeFileSync(file, before);
    const working = await run(dir, ['hook', 'pre-commit']);
    expect(working.code, working.stderr).toBe(2);
    expect(working.stderr).toContain('CLAUDE.md: not UTF-8 text: invalid byte 0xDF');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(staged);

    // The same bytes staged, the working file fixed: the staged blob is named.
    runGit(dir, 'add', 'CLAUDE.md');
    const blob = runGit(dir, 'rev-parse', ':CLAUDE.md');
    writeFileSync(file, before.toString('latin1').replace('Stra\xdfe', 'Strasse'));
    const r = await run(dir, ['hook', 'pre-commit']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('CLAUDE.md (staged): not UTF-8 text: invalid byte 0xDF');
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(blob);
  });

  it('the decoder: exact UTF-8 in (BOM kept), the first bad offset out', () => {
    expect(decodeUtf8Text(Buffer.from('\uFEFFh\u00e9 \u{1F600}\r\n'), 'x.md')).toBe('\uFEFFh\u00e9 \u{1F600}\r\n');
    // overlong, surrogate, beyond U+10FFFF, truncated sequence, stray continuation byte
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from('ok \u00e9\u{1F600}'))).toBe(-1);
  });
});
