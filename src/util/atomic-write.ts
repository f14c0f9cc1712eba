import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelgovError } from '../errors.js';

/**
 * Writes a file atomically: a temp file in the same directory, fsync, rename over the target.
 * Readers see the old or the new bytes, never a half-written file; the file mode is kept.
 */
export function atomicWriteFile(file: string, data: string | Uint8Array): void {
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    // new file: default mode
  }
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // temp file was never created or already renamed
    }
    throw new ModelgovError('IO', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
      fix: 'Check that the directory exists and is writable; nothing was changed.',
      cause: e,
    });
  }
}
