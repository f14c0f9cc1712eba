import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/types.js';
import { isModelgovError } from '../../errors.js';
import type { IndexEntry } from '../../git/index-blob.js';
import { signatureOf, type FileSignature } from '../../util/atomic-write.js';
import { decodeUtf8Text, readRegularFile } from '../../util/text-file.js';
import type { IndexSnapshot, Side } from './read-sides.js';
import { isRemote, type PreCommitPlan } from './plan.js';

type DocsModule = typeof import('../../docs/index.js');

/** One pending write, planned before anything is written. */
export type Write =
  | { side: 'staged'; file: string; entry: IndexEntry; text: string }
  | { side: 'working tree'; file: string; abs: string; signature: FileSignature; text: string };

function mentionsSystem(text: string, system: string): boolean {
  return new RegExp(`modelgov:start\\s+${system.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_.-])`).test(text);
}

/** The body between each pair of markers, by system. */
async function sectionBodies(docs: DocsModule, text: string, label: string): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  for (const p of await docs.findMarkers(text, label)) bodies.set(p.system, text.slice(p.contentStart, p.contentEnd));
  return bodies;
}

/**
 * Step 3, render: the new text of each docs file on each side, the staged blob from the staged
 * manifests and the working file from the working ones. Every file and both sides are planned
 * before the first write, so a broken marker anywhere writes nothing.
 *
 * A working section that matches no generated version (not the one committed or staged, not the
 * one rendered from either side's manifest) was edited by hand: it is left as it is with one
 * warning, since those bytes exist nowhere else. The staged side is regenerated regardless: the
 * commit must not carry a section that disagrees with its manifest.
 */
export async function renderDocs(
  loaded: LoadedConfig,
  plan: PreCommitPlan,
  docsList: Map<string, string[]>,
  index: IndexSnapshot,
  sides: { staged: Side; working: Side },
  docs: DocsModule,
  sectionInputs: (side: Side) => Map<string, import('../../docs/index.js').SectionInput>,
): Promise<{ writes: Write[]; warnings: string[] }> {
  const systems = loaded.config.systems;
  const warnings: string[] = [];
  const memo = new Map<string, ReturnType<DocsModule['updateDocs']>>();
  const regenerate = async (text: string, label: string, side: Side): Promise<string | undefined> => {
    const absent = systems.filter((s) => side.missing.has(s.id) && mentionsSystem(text, s.id));
    if (absent.length > 0) {
      if (!isRemote(absent[0].manifest)) warnings.push(`left ${label} alone: ${absent.map((s) => side.missing.get(s.id)).join('; ')}.`);
      return undefined;
    }
    // Usually the staged and the working file and manifests are the same bytes: parse and
    // render once for both sides (each updateDocs parses the document twice).
    const key = `${text}\0${side.manifests.map((m) => `${m.system}\0${m.text}`).join('\0')}\0${side.inputsKey}`;
    let pending = memo.get(key);
    if (!pending) {
      pending = docs.updateDocs(text, label, sectionInputs(side));
      memo.set(key, pending);
    }
    const update = await pending;
    if (!update.hasMarkers) {
      warnings.push(`${label} has no modelgov markers, so nothing was generated there. Run \`modelgov init\` or add the markers (and stage them).`);
      return undefined;
    }
    return update.changed ? update.text : undefined;
  };

  const writes: Write[] = [];
  for (const file of docsList.keys()) {
    const path = plan.toRepo(file);
    const entry = path === undefined ? undefined : index.entries.get(path);
    // Versions of the section that modelgov (or the commit being amended) wrote: staged before and after.
    const generated: string[] = [];
    if (entry && entry.stage > 0) warnings.push(`left ${file} (staged) alone: it has an unresolved merge conflict.`);
    else if (entry) {
      // Not exact UTF-8 (or UTF-16, binary): exit 2 naming the first bad byte, nothing written.
      const text = decodeUtf8Text(index.blobs.get(entry.sha) ?? Buffer.alloc(0), `${file} (staged)`);
      const next = await regenerate(text, `${file} (staged)`, sides.staged);
      if (next !== undefined) writes.push({ side: 'staged', file, entry, text: next });
      generated.push(text, next ?? text);
    }
    const abs = resolve(loaded.root, file);
    let before: Buffer;
    try {
      // The same checks as every docs reader (see readDocsFile): a regular file, exact UTF-8.
      before = readRegularFile(abs, file);
    } catch (e) {
      if (isModelgovError(e)) throw e;
      continue; // deleted in the work tree (or never there): nothing to splice
    }
    const signature = signatureOf(abs, before);
    const text = decodeUtf8Text(before, file);
    const next = await regenerate(text, file, sides.working);
    if (next === undefined) continue;
    const edited = await handEditedSections(docs, text, next, generated, file);
    if (edited.length > 0) {
      warnings.push(
        `left ${file} alone: its ${edited.join(', ')} section was edited by hand (the edit is not staged, so it would be lost). ` +
          'Move the change into the manifest or the docs template, then run `modelgov docs` to regenerate the section.',
      );
      continue;
    }
    writes.push({ side: 'working tree', file, abs, signature, text: next });
  }
  return { writes, warnings };
}

/** Systems whose working section equals none of the generated versions of it. */
async function handEditedSections(docs: DocsModule, text: string, next: string, generated: string[], file: string): Promise<string[]> {
  const current = await sectionBodies(docs, text, file);
  const known = await Promise.all([next, ...generated].map((t) => sectionBodies(docs, t, file).catch(() => new Map<string, string>())));
  const edited: string[] = [];
  for (const [system, body] of current) {
    // An empty section (fresh markers) holds nothing to lose.
    if (body.trim() === '') continue;
    if (!known.some((k) => k.get(system) === body)) edited.push(system);
  }
  return edited;
}
