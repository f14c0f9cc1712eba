import { createHash, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { ModelgovError } from '../errors.js';
import { notARegularFile, readRegularFile } from './text-file.js';

/** What a file looked like when it was read: re-checked just before it is replaced. */
export interface FileSignature {
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes (size and mtime alone miss an edit within the clock's resolution). */
  sha256: string;
}

/** The signature of `bytes` just read from `path` (stat after the read: a later edit moves it). */
export function signatureOf(path: string, bytes: Uint8Array): FileSignature {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export interface AtomicWriteOptions {
  /**
   * The git work tree: when `file` is a symlink, its target must resolve inside it (else IO
   * error, nothing written). Without it, inside the link's own directory.
   */
  root?: string;
  /** The target as it was read: if its size, mtime or content differ just before the rename, CONFLICT. */
  expect?: FileSignature;
  /**
   * Called when the new bytes are complete on disk, right before the final check and the
   * rename. Library callers and tests use it to act in exactly that window (e.g. edit the
   * target to see the write refused); it is never set by the CLI.
   */
  beforeRename?: (target: string) => void;
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file size limit is exceeded (`ulimit -f`)',
  EIO: 'an I/O error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

function ioError(file: string, e: unknown): ModelgovError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = (code && REASONS[code]) ?? (e as Error).message;
  return new ModelgovError('IO', `cannot write ${file}: ${reason}${code ? ` (${code})` : ''}; the file was left as it was`, {
    file,
    fix: code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' ? 'Free space (or raise the limit) and run the command again.' : 'Check that the directory is writable and the disk healthy, then run the command again.',
    cause: e,
  });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The file a write to `file` must replace: `file` itself, or — for a symlink — the file it
 * points to (the link stays a link; replacing it by a regular file would leave its target
 * stale). Refuses, before anything is written, what cannot be replaced safely: a target outside
 * the work tree, a dangling link, something other than a regular file, a read-only file
 * (mode without owner write permission: root could replace it, but the mode says "do not").
 */
export function writeTarget(file: string, opts: { root?: string } = {}): string {
  let lst;
  try {
    lst = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return file; // a new file
    throw ioError(file, e);
  }
  let target = file;
  if (lst.isSymbolicLink()) {
    try {
      target = realpathSync(file);
    } catch {
      throw new ModelgovError('IO', `${file} is a symbolic link to a missing file; nothing was written`, {
        file,
        fix: `Create the file the link points to, or replace the link ${file} by a regular file.`,
      });
    }
    const root = realpathSync(opts.root ?? dirname(file));
    if (!isInside(root, target)) {
      throw new ModelgovError('IO', `${file} is a symbolic link to ${target}, outside the repository (${root}); nothing was written`, {
        file,
        fix: `Point the link at a file inside the repository, or replace ${file} by a regular file.`,
      });
    }
  }
  const st = statSync(target);
  if (!st.isFile()) throw notARegularFile(file, st);
  let writable = (st.mode & 0o200) !== 0;
  if (writable) {
    try {
      accessSync(target, constants.W_OK);
    } catch {
      writable = false;
    }
  }
  if (!writable) {
    throw new ModelgovError('IO', `${file} is read-only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); nothing was written`, {
      file,
      fix: `Make it writable (\`chmod u+w ${file}\`) if modelgov should update it, then run the command again.`,
    });
  }
  return target;
}

/** Writes all of `buf` to `fd`: write(2) may write fewer bytes than asked (full disk, file size limit). */
function writeAll(fd: number, buf: Uint8Array): void {
  let offset = 0;
  while (offset < buf.length) {
    const n = writeSync(fd, buf, offset, buf.length - offset);
    if (n <= 0) throw Object.assign(new Error('write(2) wrote no bytes'), { code: 'ENOSPC' });
    offset += n;
  }
}

/**
 * Writes a file atomically: the complete new bytes go to a temp file beside the target, are
 * fsynced, and only then renamed over it; the directory is fsynced after the rename so the
 * rename itself survives a crash. Readers see the old or the new bytes, never a part. On any
 * failure (ENOSPC, EFBIG under `ulimit -f`, EIO, EDQUOT…) the temp file is removed and an IO
 * error thrown: the target is byte-identical to before. The file mode is kept; a symlink is
 * written through to its target (see writeTarget for what is refused).
 */
export function atomicWriteFile(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const target = writeTarget(file, opts);
  let mode = 0o644;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    // new file: default mode
  }
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    try {
      const fd = openSync(tmp, 'wx', mode);
      created = true;
      try {
        writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw ioError(file, e);
    }
    opts.beforeRename?.(target);
    if (opts.expect) assertUnchanged(file, target, opts.expect);
    try {
      renameSync(tmp, target);
    } catch (e) {
      throw ioError(file, e);
    }
    created = false;
  } finally {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
  syncDirectory(dir);
}

/** CONFLICT unless `target` still has the size, mtime and content it had when it was read. */
function assertUnchanged(file: string, target: string, expect: FileSignature): void {
  let now: FileSignature | undefined;
  try {
    now = signatureOf(target, readRegularFile(target, file));
  } catch {
    now = undefined;
  }
  if (!now || now.size !== expect.size || now.mtimeMs !== expect.mtimeMs || now.sha256 !== expect.sha256) {
    throw new ModelgovError('CONFLICT', `${file} changed while modelgov was working; nothing was written`, {
      file,
      fix: 'Someone (an editor, another command) changed the file at the same time. Run the command again to act on the new version.',
    });
  }
}

/** fsync of the directory, so the rename is on disk; file systems that cannot (EINVAL) are fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // The new file is complete and renamed; a directory fsync that the file system refuses
    // leaves only the crash-durability of the rename to the file system's own journal.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
