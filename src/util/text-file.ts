import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { ModelgovError } from '../errors.js';

/**
 * Reading the files modelgov is asked to look at (docs files, manifests, the config, templates)
 * without ever blocking or guessing: the file must be a regular file (a FIFO would block the
 * open or the read forever, a device can be endless, a directory is a mistake), and text must be
 * UTF-8 exactly (a lossy decode would turn a Latin-1 byte outside the markers into U+FFFD and
 * write that back). Kept free of heavy imports: the pre-commit hook loads it.
 */

/** What kind of thing `st` is, for messages ("a FIFO", "a directory"…). */
export function fileKind(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The error for something other than a regular file where one is expected. */
export function notARegularFile(label: string, st: Stats): ModelgovError {
  return new ModelgovError('IO', `${label} is ${fileKind(st)}, not a regular file; nothing was read or written`, {
    file: label,
    fix: `Replace ${label} with a regular file (or point the config at one).`,
  });
}

/**
 * The bytes of the regular file `path`. The type is checked with stat before the open, and
 * again with fstat on a non-blocking descriptor (the path could be swapped in between): a FIFO
 * is never waited on. Errors of the file system (ENOENT, EACCES…) are thrown as they are, for
 * the caller to word; a wrong file type is an IO ModelgovError naming `label`.
 */
export function readRegularFile(path: string, label: string): Buffer {
  const st = statSync(path);
  if (!st.isFile()) throw notARegularFile(label, st);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const again = fstatSync(fd);
    if (!again.isFile()) throw notARegularFile(label, again);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or -1. Only run once the strict decoder has refused.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * `bytes` as UTF-8 text, exactly (a leading UTF-8 BOM is kept in the string, so offsets and the
 * bytes written back match). UTF-16 (either byte order mark), a NUL byte (binary data) or any
 * invalid UTF-8 is an ENCODING error naming `label`, the byte and its offset — never a lossy
 * decode.
 */
export function decodeUtf8Text(bytes: Uint8Array, label: string): string {
  const fail = (offset: number, what: string) =>
    new ModelgovError('ENCODING', `${label}: not UTF-8 text: ${what} at byte offset ${offset} (line ${lineOf(bytes, offset)}); nothing was written`, {
      file: label,
      fix: `Save ${label} as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`, or your editor's "save with encoding"), then run the command again.`,
    });
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw fail(0, `a UTF-16 byte order mark (${hex(bytes[0])} ${hex(bytes[1])})`);
  }
  const nul = bytes.indexOf(0);
  let text: string | undefined;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  const bad = text === undefined ? firstInvalidUtf8(bytes) : -1;
  // Whichever comes first names the problem: binary data usually shows a NUL before anything else.
  if (nul !== -1 && (bad === -1 || nul < bad)) throw fail(nul, 'a NUL byte (binary data?)');
  if (text === undefined) throw fail(bad === -1 ? 0 : bad, `invalid byte ${hex(bytes[bad === -1 ? 0 : bad])}`);
  return text;
}

/** A regular file's text, strictly UTF-8 (see readRegularFile and decodeUtf8Text). */
export function readTextFile(path: string, label: string): string {
  return decodeUtf8Text(readRegularFile(path, label), label);
}
