import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadedConfig, SystemConfig } from '../../config/types.js';
import { isModelgovError } from '../../errors.js';
import { indexEntries, readBlobs, type IndexEntry } from '../../git/index-blob.js';
import { historyFileOf } from '../../history/history-file.js';
import type { ManifestView } from '../../manifest/types.js';
import { readTextFile } from '../../util/text-file.js';
import { isRemote, type PreCommitPlan } from './plan.js';

/** The manifests one side (the index or the work tree) has, and why the others are missing. */
export interface Side {
  manifests: ManifestView[];
  missing: Map<string, string>;
  /**
   * Reads a config-relative file the section is made from besides the manifest (a history file,
   * a docs template) as this side holds it: the index for the staged side, so the committed
   * section is made from committed files only. Undefined: the work tree.
   */
  read?: (file: string) => string | undefined;
  /** What this side's history files and templates hold: equal keys render the same section. */
  inputsKey: string;
}

/** The index entries and blobs of every local manifest and docs file. */
export interface IndexSnapshot {
  entries: Map<string, IndexEntry>;
  blobs: Map<string, Buffer>;
}

/** Parses one manifest file's text and splits it among the systems that share it. */
export type ParseManifest = (text: string, group: SystemConfig[], meta: { location: string; version: string; label?: string }) => ManifestView[];

/** The parser for this config (loaded on the slow path only): extra statuses, shared manifests. */
export async function manifestParser(loaded: LoadedConfig): Promise<ParseManifest> {
  const [{ loadSystemViews }, { manifestRules }] = await Promise.all([import('../../manifest/system-models.js'), import('../../app/load-manifests.js')]);
  const all = loaded.config.systems.map((s) => s.id);
  const rules = manifestRules(loaded.config);
  return (text, group, meta) => loadSystemViews(text, meta, group, all, rules);
}

/** The systems grouped by the manifest file they share (the split needs every system of a file). */
async function groupsOf(systems: SystemConfig[]): Promise<SystemConfig[][]> {
  const { manifestGroups } = await import('../../app/load-manifests.js');
  return [...manifestGroups(systems).values()];
}

/** One ls-files and one cat-file --batch for every staged manifest and docs blob. */
export async function readIndex(plan: PreCommitPlan, locations: string[]): Promise<IndexSnapshot> {
  const paths = locations.map((l) => plan.toRepo(l)).filter((p): p is string => p !== undefined);
  const entries = await indexEntries(plan.repo.root, paths);
  const blobs = await readBlobs(plan.repo.root, [...entries.values()].filter((e) => e.stage === 0).map((e) => e.sha));
  return { entries, blobs };
}

/**
 * The files a system's section is made from besides its manifest: its history file (promotions
 * in `{{timeline}}`) and its docs template. Config-relative, as configured.
 */
export function sectionSources(systems: SystemConfig[]): string[] {
  return [...new Set(systems.flatMap((s) => [historyFileOf(s), s.docsTemplate].filter((f): f is string => f !== undefined)))];
}

/** Step 2a, read the staged side: each local manifest, history file and template as the index holds it. */
export async function readStagedSide(plan: PreCommitPlan, local: SystemConfig[], index: IndexSnapshot, parse: ParseManifest, sources: string[]): Promise<Side> {
  const read = (file: string): string | undefined => {
    const path = plan.toRepo(file);
    const e = path === undefined ? undefined : index.entries.get(path);
    return e === undefined || e.stage > 0 ? undefined : (index.blobs.get(e.sha) ?? Buffer.alloc(0)).toString('utf8');
  };
  const side: Side = { manifests: [], missing: new Map(), read, inputsKey: sources.map((f) => `${f}\0${read(f) ?? '\u0000absent'}`).join('\0') };
  for (const group of await groupsOf(local)) {
    const s = group[0];
    const path = plan.toRepo(s.manifest);
    const e = path === undefined ? undefined : index.entries.get(path);
    const why = !e ? `${s.manifest} is not staged (not in the index)` : e.stage > 0 ? `${s.manifest} has an unresolved merge conflict` : undefined;
    if (e === undefined || why !== undefined) {
      for (const g of group) side.missing.set(g.id, why ?? '');
    } else {
      const text = (index.blobs.get(e.sha) ?? Buffer.alloc(0)).toString('utf8');
      side.manifests.push(...parse(text, group, { location: s.manifest, version: e.sha, label: `${s.manifest} (staged)` }));
    }
  }
  return side;
}

/**
 * Step 2b, read the working side: each local manifest as the work tree holds it. A broken working
 * copy is named as such: the staged one may be fine, and the user must know which copy to fix.
 */
export async function readWorkingSide(loaded: LoadedConfig, local: SystemConfig[], parse: ParseManifest, sources: string[]): Promise<Side> {
  const working = (file: string): string | undefined => {
    try {
      return readFileSync(resolve(loaded.root, file), 'utf8');
    } catch {
      return undefined; // absent or unreadable: the section's own read reports what matters
    }
  };
  const side: Side = { manifests: [], missing: new Map(), inputsKey: sources.map((f) => `${f}\0${working(f) ?? '\u0000absent'}`).join('\0') };
  for (const group of await groupsOf(local)) {
    const s = group[0];
    let text: string;
    try {
      text = readTextFile(resolve(loaded.root, s.manifest), s.manifest);
    } catch (e) {
      if (isModelgovError(e)) throw e; // a FIFO, a directory, not UTF-8: say so, never guess
      for (const g of group) side.missing.set(g.id, `${s.manifest} does not exist yet`);
      continue;
    }
    side.manifests.push(...parse(text, group, { location: s.manifest, version: '', label: `the working copy of ${s.manifest} (not staged)` }));
  }
  return side;
}

/**
 * Remote manifests are read once and serve both sides; an unreachable one means "leave its
 * section alone" (returned as warnings).
 */
export async function readRemoteManifests(loaded: LoadedConfig, env: NodeJS.ProcessEnv, systems: SystemConfig[], sides: Side[], parse: ParseManifest): Promise<string[]> {
  // Whole groups: a file shared with a system that has no docs must still be split among all.
  const wanted = new Set(systems.map((s) => s.id));
  const remote = (await groupsOf(loaded.config.systems.filter((s) => isRemote(s.manifest)))).filter((g) => g.some((s) => wanted.has(s.id)));
  if (remote.length === 0) return [];
  const warnings: string[] = [];
  const { adapterOptions, openManifestStore } = await import('../../adapters/index.js');
  const aopts = adapterOptions(loaded, env);
  await Promise.all(
    remote.map(async (group) => {
      const s = group[0];
      try {
        const store = await openManifestStore(s.manifest, aopts);
        const { text, version } = await store.read();
        const m = parse(text, group, { location: s.manifest, version });
        for (const side of sides) side.manifests.push(...m);
      } catch (e) {
        if (!isModelgovError(e) || e.code === 'MANIFEST_INVALID') throw e;
        const why = `${s.manifest} could not be read (${e.message})`;
        for (const side of sides) for (const g of group) side.missing.set(g.id, why);
        const ids = group.map((g) => g.id).join(', ');
        warnings.push(`${why}; the ${ids} section${group.length > 1 ? 's are left as they are' : ' is left as it is'} (the pre-push drift check will report it if it is stale).`);
      }
    }),
  );
  return warnings;
}
