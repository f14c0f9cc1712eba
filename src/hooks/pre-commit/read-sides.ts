import { resolve } from 'node:path';
import type { LoadedConfig, SystemConfig } from '../../config/types.js';
import { isModelgovError } from '../../errors.js';
import { indexEntries, readBlobs, type IndexEntry } from '../../git/index-blob.js';
import type { LoadedManifest } from '../../manifest/types.js';
import { readTextFile } from '../../util/text-file.js';
import { isRemote, type PreCommitPlan } from './plan.js';

/** The manifests one side (the index or the work tree) has, and why the others are missing. */
export interface Side {
  manifests: LoadedManifest[];
  missing: Map<string, string>;
}

/** The index entries and blobs of every local manifest and docs file. */
export interface IndexSnapshot {
  entries: Map<string, IndexEntry>;
  blobs: Map<string, Buffer>;
}

type ParseManifest = (text: string, file: string) => LoadedManifest['manifest'];

/** One ls-files and one cat-file --batch for every staged manifest and docs blob. */
export async function readIndex(plan: PreCommitPlan, locations: string[]): Promise<IndexSnapshot> {
  const paths = locations.map((l) => plan.toRepo(l)).filter((p): p is string => p !== undefined);
  const entries = await indexEntries(plan.repo.root, paths);
  const blobs = await readBlobs(plan.repo.root, [...entries.values()].filter((e) => e.stage === 0).map((e) => e.sha));
  return { entries, blobs };
}

/** Step 2a, read the staged side: each local manifest as the index holds it. */
export function readStagedSide(plan: PreCommitPlan, local: SystemConfig[], index: IndexSnapshot, parse: ParseManifest): Side {
  const side: Side = { manifests: [], missing: new Map() };
  for (const s of local) {
    const path = plan.toRepo(s.manifest);
    const e = path === undefined ? undefined : index.entries.get(path);
    if (!e) side.missing.set(s.id, `${s.manifest} is not staged (not in the index)`);
    else if (e.stage > 0) side.missing.set(s.id, `${s.manifest} has an unresolved merge conflict`);
    else {
      const text = (index.blobs.get(e.sha) ?? Buffer.alloc(0)).toString('utf8');
      side.manifests.push({ system: s.id, location: s.manifest, manifest: parse(text, `${s.manifest} (staged)`), text, version: e.sha });
    }
  }
  return side;
}

/**
 * Step 2b, read the working side: each local manifest as the work tree holds it. A broken working
 * copy is named as such: the staged one may be fine, and the user must know which copy to fix.
 */
export function readWorkingSide(loaded: LoadedConfig, local: SystemConfig[], parse: ParseManifest): Side {
  const side: Side = { manifests: [], missing: new Map() };
  for (const s of local) {
    let text: string;
    try {
      text = readTextFile(resolve(loaded.root, s.manifest), s.manifest);
    } catch (e) {
      if (isModelgovError(e)) throw e; // a FIFO, a directory, not UTF-8: say so, never guess
      side.missing.set(s.id, `${s.manifest} does not exist yet`);
      continue;
    }
    side.manifests.push({ system: s.id, location: s.manifest, manifest: parse(text, `the working copy of ${s.manifest} (not staged)`), text, version: '' });
  }
  return side;
}

/**
 * Remote manifests are read once and serve both sides; an unreachable one means "leave its
 * section alone" (returned as warnings).
 */
export async function readRemoteManifests(loaded: LoadedConfig, env: NodeJS.ProcessEnv, systems: SystemConfig[], sides: Side[], parse: ParseManifest): Promise<string[]> {
  const remote = systems.filter((s) => isRemote(s.manifest));
  if (remote.length === 0) return [];
  const warnings: string[] = [];
  const { adapterOptions, openManifestStore } = await import('../../adapters/index.js');
  const aopts = adapterOptions(loaded, env);
  await Promise.all(
    remote.map(async (s) => {
      try {
        const store = await openManifestStore(s.manifest, aopts);
        const { text, version } = await store.read();
        const m = { system: s.id, location: s.manifest, manifest: parse(text, s.manifest), text, version };
        for (const side of sides) side.manifests.push(m);
      } catch (e) {
        if (!isModelgovError(e) || e.code === 'MANIFEST_INVALID') throw e;
        const why = `${s.manifest} could not be read (${e.message})`;
        for (const side of sides) side.missing.set(s.id, why);
        warnings.push(`${why}; the ${s.id} section is left as it is (the pre-push drift check will report it if it is stale).`);
      }
    }),
  );
  return warnings;
}
