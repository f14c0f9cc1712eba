import { createHash } from 'node:crypto';
import { adapterOptions, openManifestStore, openRegistry } from '../adapters/index.js';
import type { LoadedConfig } from '../config/types.js';
import { historyFiles, parseHistoryText, readHistoryText } from '../history/history-file.js';
import { loadSystemViews } from '../manifest/system-models.js';
import type { AdapterOptions, CacheContent, CacheSources, Registry } from '../ports.js';
import { manifestToRows } from '../sync/to-rows.js';
import { manifestGroups, manifestKey, manifestRules } from './load-manifests.js';
import { assertUniqueModelIds } from './sync.js';
import { locationKind } from '../config/location.js';

/** Bumped when what a cache row holds changes, so every existing cache rebuilds once. */
const CACHE_FORMAT = 1;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** True for registries modelgov can rebuild from the repository (and so never reports as drifted). */
export function isCacheRegistry(location: string): boolean {
  return locationKind(location) === 'duckdb';
}

/**
 * What a DuckDB registry is derived from: every configured manifest and history file. The
 * fingerprint is a hash of their bytes (plus the layout), computed on every open; the parse
 * into rows happens only when the fingerprint moved or a sync asks for the plan.
 */
export function cacheSources(loaded: LoadedConfig, env: NodeJS.ProcessEnv, ctx: { by?: string | null; commit?: string | null; now?: string } = {}): () => Promise<CacheSources> {
  return async () => {
    const opts = adapterOptions(loaded, env);
    const systems = loaded.config.systems;
    const reads = await Promise.all(systems.map(async (s) => ({ system: s, ...(await (await openManifestStore(s.manifest, opts)).read()) })));
    const files = historyFiles(loaded).map((f) => ({ ...f, text: readHistoryText(loaded.root, f.file) }));
    const fingerprint = sha(
      JSON.stringify([
        CACHE_FORMAT,
        loaded.config.registry,
        reads.map((r) => [r.system.id, r.system.manifest, sha(r.text)]),
        files.map((f) => [f.file, f.systems, sha(f.text)]),
      ]),
    );
    let content: CacheContent | undefined;
    return {
      fingerprint,
      load() {
        if (content) return content;
        // A manifest several systems share gives each system its own view (the one splitting rule).
        const groups = manifestGroups(loaded.config.systems);
        const all = loaded.config.systems.map((s) => s.id);
        const rules = manifestRules(loaded.config);
        const manifests = reads.map((r) => {
          const views = loadSystemViews(r.text, { location: r.system.manifest, version: r.version }, groups.get(manifestKey(r.system.manifest)) ?? [r.system], all, rules);
          return views.find((v) => v.system === r.system.id)!;
        });
        assertUniqueModelIds(manifests);
        content = {
          rows: manifests.flatMap((m) => manifestToRows(m.system, m.manifest)),
          events: files.flatMap((f) => parseHistoryText(f.text, f.file).filter((e) => f.systems.includes(e.system_id))),
          historySystems: files.flatMap((f) => f.systems),
          systems: systems.map((s) => s.id),
          versions: Object.fromEntries(manifests.map((m) => [m.system, m.version])),
          now: ctx.now ?? new Date().toISOString(),
          by: ctx.by ?? null,
          commit: ctx.commit ?? null,
        };
        return content;
      },
    };
  };
}

/**
 * Opens the configured registry the way every command should: a DuckDB registry is a cache that
 * checks its fingerprint (and rebuilds) on first use; a BigQuery registry is used as it is.
 */
export async function openConfiguredRegistry(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  extra: Pick<AdapterOptions, 'warn' | 'afterCommit'> & { by?: string | null; commit?: string | null; now?: string } = {},
): Promise<Registry> {
  const location = loaded.config.registry;
  const opts: AdapterOptions = { ...adapterOptions(loaded, env), warn: extra.warn, afterCommit: extra.afterCommit };
  if (isCacheRegistry(location)) opts.cache = cacheSources(loaded, env, extra);
  return openRegistry(location, opts);
}
