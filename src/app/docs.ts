import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { docsFiles } from '../config/docs-files.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import type { LoadedManifest } from '../manifest/types.js';
import { atomicWriteFile } from '../util/atomic-write.js';
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
}


/** Section inputs for every loaded manifest, with the system's own template when configured. */
export function sectionInputs(loaded: LoadedConfig, manifests: LoadedManifest[]) {
  const inputs = new Map<string, import('../docs/index.js').SectionInput>();
  for (const m of manifests) {
    const sys = loaded.config.systems.find((s) => s.id === m.system);
    let template: { text: string; file: string } | undefined;
    if (sys?.docsTemplate) {
      const path = resolve(loaded.root, sys.docsTemplate);
      try {
        template = { text: readFileSync(path, 'utf8'), file: sys.docsTemplate };
      } catch {
        throw new ModelgovError('TEMPLATE_INVALID', `${sys.docsTemplate}: cannot read the docs template of ${sys.id}`, {
          file: sys.docsTemplate,
          fix: `Create ${sys.docsTemplate} or remove docsTemplate from ${loaded.file}.`,
        });
      }
    }
    inputs.set(m.system, { system: m.system, manifest: m.manifest, manifestLocation: m.location, template, statuses: m.statuses });
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
export async function regenerateText(loaded: LoadedConfig, manifests: LoadedManifest[], file: string, text: string) {
  const { updateDocs } = await import('../docs/index.js');
  const update = await updateDocs(text, file, sectionInputs(loaded, manifests));
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
export async function planDocs(loaded: LoadedConfig, manifests: LoadedManifest[], opts: { systems?: SystemConfig[] } = {}): Promise<DocsPlan[]> {
  const plans: DocsPlan[] = [];
  for (const [file, systems] of docsFiles(opts.systems ?? loaded.config.systems)) {
    const path = resolve(loaded.root, file);
    if (!existsSync(path)) {
      throw new ModelgovError('NOT_FOUND', `${file}: docs file does not exist`, {
        file,
        fix: `Create ${file} with the markers (\`modelgov init\` does it), or remove it from docs in ${loaded.file}.`,
      });
    }
    const before = readFileSync(path, 'utf8');
    const update = await regenerateText(loaded, manifests, file, before);
    plans.push({ file, path, before, after: update.text, changed: update.changed, changedLines: update.changed ? countChangedLines(before, update.text) : 0, systems });
  }
  return plans;
}

/** Regenerates and writes every stale docs file (atomically); with `check`, writes nothing. */
export async function regenerateDocs(loaded: LoadedConfig, env: NodeJS.ProcessEnv, opts: { check: boolean; manifests?: LoadedManifest[] }): Promise<{ changed: string[]; plans: DocsPlan[] }> {
  const manifests = opts.manifests ?? (await loadManifests(loaded, env));
  const plans = await planDocs(loaded, manifests);
  // Every file is planned (and validated) before the first write: a broken marker anywhere writes nothing.
  if (!opts.check) for (const p of plans) if (p.changed) atomicWriteFile(p.path, p.after);
  return { changed: plans.filter((p) => p.changed).map((p) => p.file), plans };
}

export { docsFiles };
