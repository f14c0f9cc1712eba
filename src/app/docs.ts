import { historyFileOf, mergeEvents, parseHistoryText, readHistoryText } from '../history/history-file.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { docsFiles } from '../config/docs-files.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { isModelgovError, ModelgovError } from '../errors.js';
import type { ManifestView } from '../manifest/types.js';
import type { HistoryEvent, Snapshot } from '../ports.js';
import { atomicWriteFile, signatureOf, writeTarget, type FileSignature } from '../util/atomic-write.js';
import { decodeUtf8Text, readRegularFile, readTextFile } from '../util/text-file.js';
import { workTreeOf } from '../util/work-tree.js';
import { loadManifests } from './load-manifests.js';

/** What `docs` would do to one file. */
export interface DocsPlan {
  /** Repo-relative path as configured. */
  file: string;
  /** Absolute path. */
  path: string;
  before: string;
  after: string;
  changed: boolean;
  /** Lines that differ (added + removed), for summaries. */
  changedLines: number;
  systems: string[];
  /** The file as it was read: the write is refused if it changed since. */
  signature: FileSignature;
}


/**
 * The system's promotions for `{{timeline}}`: from its history file as the given source holds it
 * (a pushed commit), else as the work tree holds it. A system without a history file (a gs://
 * manifest) draws production periods from the manifest's dates alone.
 */
function historyEventsOf(loaded: LoadedConfig, sys: SystemConfig, source?: Pick<Snapshot, 'read'>): HistoryEvent[] {
  const file = historyFileOf(sys);
  if (!file) return [];
  const text = source ? (source.read(file) ?? '') : readHistoryText(loaded.root, file);
  return mergeEvents(parseHistoryText(text, file).filter((e) => e.system_id === sys.id));
}

/** Section inputs for every loaded manifest, with the system's own template when configured. */
export function sectionInputs(loaded: LoadedConfig, manifests: ManifestView[], source?: Pick<Snapshot, 'read'>) {
  const inputs = new Map<string, import('../docs/index.js').SectionInput>();
  for (const m of manifests) {
    const sys = loaded.config.systems.find((s) => s.id === m.system);
    let template: { text: string; file: string } | undefined;
    if (sys?.docsTemplate) {
      const path = resolve(loaded.root, sys.docsTemplate);
      try {
        const text = source ? source.read(sys.docsTemplate) : readTextFile(path, sys.docsTemplate);
        if (text === undefined) throw new Error('not in the commit');
        template = { text, file: sys.docsTemplate };
      } catch (e) {
        if (isModelgovError(e)) throw e; // not a regular file, not UTF-8
        throw new ModelgovError('TEMPLATE_INVALID', `${sys.docsTemplate}: cannot read the docs template of ${sys.id}`, {
          file: sys.docsTemplate,
          fix: source
            ? `Commit ${sys.docsTemplate} with the docs it makes (git add ${sys.docsTemplate}), or remove docsTemplate from ${loaded.file}.`
            : `Create ${sys.docsTemplate} or remove docsTemplate from ${loaded.file}.`,
        });
      }
    }
    // Only a template that draws the timeline needs the promotions; others read no history file.
    const events = sys && template?.text.includes('timeline') ? historyEventsOf(loaded, sys, source) : undefined;
    inputs.set(m.system, { system: m.system, manifest: m.manifest, manifestLocation: m.location, template, statuses: m.statuses, events });
  }
  return inputs;
}

function countChangedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  const inA = new Map<string, number>();
  for (const l of a) inA.set(l, (inA.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of b) {
    const n = inA.get(l) ?? 0;
    if (n > 0) {
      common++;
      inA.set(l, n - 1);
    }
  }
  return a.length - common + (b.length - common);
}

/** The pure docs update for `text` (a working file or a staged blob) of one docs file. */
export async function regenerateText(loaded: LoadedConfig, manifests: ManifestView[], file: string, text: string, source?: Pick<Snapshot, 'read'>) {
  const { updateDocs } = await import('../docs/index.js');
  const update = await updateDocs(text, file, sectionInputs(loaded, manifests, source));
  if (!update.hasMarkers) {
    throw new ModelgovError('MARKERS_INVALID', `${file}: no modelgov markers found`, {
      file,
      fix: `Run \`modelgov init\` to add them, or add \`<!-- modelgov:start <system> -->\` and \`<!-- modelgov:end <system> -->\` lines to ${file} (or remove it from docs in ${loaded.file}).`,
    });
  }
  return update;
}

/**
 * Computes the regenerated text of every docs file of `systems` (default: all) without
 * writing anything. Throws MARKERS_INVALID / TEMPLATE_INVALID before any file is touched.
 */
export async function planDocs(
  loaded: LoadedConfig,
  manifests: ManifestView[],
  opts: { systems?: SystemConfig[]; read?: Snapshot } = {},
): Promise<DocsPlan[]> {
  const plans: DocsPlan[] = [];
  for (const [file, systems] of docsFiles(opts.systems ?? loaded.config.systems)) {
    const path = resolve(loaded.root, file);
    let before: string | undefined;
    let signature: FileSignature;
    if (opts.read) {
      // A commit's copy (the pre-push hook): compared, never written, so its signature is only a placeholder.
      before = opts.read.read(file);
      signature = { size: before === undefined ? 0 : Buffer.byteLength(before), mtimeMs: 0, sha256: '' };
    } else if (existsSync(path)) ({ text: before, signature } = readDocsFile(path, file));
    else signature = { size: 0, mtimeMs: 0, sha256: '' };
    if (before === undefined) {
      throw new ModelgovError('NOT_FOUND', `${file}: docs file does not exist${opts.read ? ` in ${opts.read.label}` : ''}`, {
        file,
        fix: `Create ${file} with the markers (\`modelgov init\` does it), or remove it from docs in ${loaded.file}.`,
      });
    }
    const update = await regenerateText(loaded, manifests, file, before, opts.read);
    plans.push({ file, path, before, after: update.text, changed: update.changed, changedLines: update.changed ? countChangedLines(before, update.text) : 0, systems, signature });
  }
  return plans;
}

/**
 * A docs file's text and signature: the one place every reader of a working docs file (`docs`,
 * `docs --check`, drift, promote, the pre-commit hook) goes through. A FIFO, device or directory
 * is refused before it is opened, and the text must be exact UTF-8 (decodeUtf8Text), so what is
 * spliced and written back is byte for byte what was read.
 */
export function readDocsFile(path: string, file: string): { bytes: Buffer; text: string; signature: FileSignature } {
  const bytes = readRegularFile(path, file);
  return { bytes, text: decodeUtf8Text(bytes, file), signature: signatureOf(path, bytes) };
}

export interface RegenerateDocsOptions {
  /** Plan and report only; write nothing. */
  check: boolean;
  /** The manifests when the caller already loaded them. */
  manifests?: ManifestView[];
  /**
   * Called for each file when its new bytes are on disk, just before the final "unchanged since
   * read" check and the rename (see atomicWriteFile). For library callers and tests.
   */
  beforeRename?: (target: string) => void;
}

/**
 * Regenerates and writes every stale docs file (atomically); with `check`, writes nothing. A file
 * edited while this ran (size, mtime or content differ from what was read) is not overwritten:
 * CONFLICT.
 */
export async function regenerateDocs(loaded: LoadedConfig, env: NodeJS.ProcessEnv, opts: RegenerateDocsOptions): Promise<{ changed: string[]; plans: DocsPlan[] }> {
  const manifests = opts.manifests ?? (await loadManifests(loaded, env));
  const plans = await planDocs(loaded, manifests);
  if (!opts.check) {
    const root = workTreeOf(loaded.root);
    const stale = plans.filter((p) => p.changed);
    // Every file is planned (and validated) before the first write, and every target checked
    // (read-only, symlink outside the work tree…): a problem anywhere writes nothing.
    for (const p of stale) writeTarget(p.path, { root });
    for (const p of stale) atomicWriteFile(p.path, p.after, { root, expect: p.signature, beforeRename: opts.beforeRename });
  }
  return { changed: plans.filter((p) => p.changed).map((p) => p.file), plans };
}
