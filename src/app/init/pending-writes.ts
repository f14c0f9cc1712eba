import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { ModelgovError } from '../../errors.js';
import { atomicWriteFile } from '../../util/atomic-write.js';

/**
 * The files `init` will write, held in memory until every step has been planned. A step that
 * finds something it cannot handle throws, and because nothing was written yet the repository
 * stays byte-identical ("exit 2 before changing anything"). Steps read through this object, so
 * a later step sees an earlier step's planned content.
 */
export class PendingWrites {
  constructor(private readonly root: string) {}

  private readonly planned = new Map<string, { text: string; executable: boolean; create: boolean }>();

  /** The planned content, else the file on disk, else undefined. */
  read(file: string): string | undefined {
    const planned = this.planned.get(file);
    if (planned) return planned.text;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  exists(file: string): boolean {
    return this.planned.has(file) || existsSync(file);
  }

  /** Plans `text` for `file`; `executable` also sets the x bits (hook scripts). */
  write(file: string, text: string, opts: { executable?: boolean } = {}): void {
    const rel = relative(this.root, file);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new ModelgovError('USAGE', `${file} is outside the work tree ${this.root}; init changed nothing`, { file, fix: 'Use paths inside the repository (config, --manifest, --docs).' });
    }
    const create = this.planned.get(file)?.create ?? !existsSync(file);
    this.planned.set(file, { text, executable: opts.executable ?? this.planned.get(file)?.executable ?? false, create });
  }

  /** The planned files (absolute paths). */
  files(): string[] {
    return [...this.planned.keys()];
  }

  /** Writes every planned file: new files exclusively (never over a file that appeared meanwhile), existing ones atomically. */
  apply(): void {
    for (const [file, { text, executable, create }] of this.planned) {
      if (create) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text, { flag: 'wx', mode: executable ? 0o755 : 0o644 });
      } else if (readFileSync(file, 'utf8') !== text) {
        atomicWriteFile(file, text, { root: this.root });
      }
      if (executable) chmodSync(file, statSync(file).mode | 0o755);
    }
  }
}
