import { isRemoteLocation } from '../../config/location.js';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { LoadedConfig } from '../../config/types.js';
import type { StagedChange } from '../../git/index-blob.js';
import type { RepoInfo } from '../../git/locate-repo.js';
import { historyFileOf } from '../../history/history-file.js';
import type { ModelFiles } from '../../config/model-files.js';
import { stagedModelFiles } from '../staged-model-files.js';

/** A file the hook watches, by role. */
export interface Watched {
  kind: 'manifest' | 'config' | 'docs' | 'template' | 'history';
  /** As written in the config (config-relative), or the config file's name. */
  file: string;
  /** Repo-relative, `/`-separated. */
  path: string;
  system?: string;
}

/** What the staged state asks for. */
export interface PreCommitPlan {
  repo: RepoInfo;
  changes: StagedChange[];
  watched: Watched[];
  /** Why the docs sections are regenerated (empty: they are not). */
  docsReasons: string[];
  /** Staged (added/modified) model files of a system (`loadModelFiles`), repo-relative. */
  modelFiles: string[];
  /** Repo-relative path of a config-relative location (undefined when outside the work tree). */
  toRepo(location: string): string | undefined;
  /**
   * Nothing watched is staged, only the freshness key changed: regenerate only if the STAGED
   * section is stale (then both sides); an unstaged manifest edit alone does not make an
   * unrelated commit rewrite the working CLAUDE.md.
   */
  freshnessOnly?: boolean;
}

export const FRESHNESS_REASON = 'a watched file changed since the last check';

/** A manifest location that is not a file in the repository (`gs://…`). */
export function isRemote(location: string): boolean {
  return isRemoteLocation(location);
}

/** Repo-relative, `/`-separated path of a config-relative location; undefined outside the work tree. */
export function repoPathOf(loaded: LoadedConfig, repo: RepoInfo): (location: string) => string | undefined {
  let configRoot = loaded.root;
  try {
    // git prints the top level with symlinks resolved (/tmp -> /private/tmp on macOS).
    configRoot = realpathSync(loaded.root);
  } catch {
    // keep the path as given
  }
  return (location: string) => {
    const rel = relative(repo.root, resolve(configRoot, location));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  };
}

/** The files the hook watches for a config: the config itself, local manifests, history files, templates, docs. */
export function watchedFiles(loaded: LoadedConfig, toRepo: (location: string) => string | undefined): Watched[] {
  const watched: Watched[] = [];
  const add = (w: Omit<Watched, 'path'>) => {
    const path = toRepo(w.file);
    if (path !== undefined && !watched.some((x) => x.kind === w.kind && x.path === path)) watched.push({ ...w, path });
  };
  add({ kind: 'config', file: relative(loaded.root, loaded.file) });
  for (const s of loaded.config.systems) {
    if (!isRemote(s.manifest)) add({ kind: 'manifest', file: s.manifest, system: s.id });
    const history = historyFileOf(s);
    if (history) add({ kind: 'history', file: history, system: s.id });
    if (s.docsTemplate) add({ kind: 'template', file: s.docsTemplate, system: s.id });
    for (const d of s.docs ?? []) add({ kind: 'docs', file: d, system: s.id });
  }
  return watched;
}

/** Step 1, plan: works out, without reading any file but the config, what this commit needs. */
export function planPreCommit(loaded: LoadedConfig, repo: RepoInfo, changes: StagedChange[], files: ModelFiles): PreCommitPlan {
  const toRepo = repoPathOf(loaded, repo);
  const watched = watchedFiles(loaded, toRepo);
  const staged = new Set(changes.map((c) => c.path));
  const hasDocs = loaded.config.systems.some((s) => (s.docs ?? []).length > 0);
  const docsReasons = hasDocs ? watched.filter((w) => staged.has(w.path)).map((w) => `${w.path} is staged`) : [];
  const configDir = toRepo('.') ?? '';
  const modelFiles = stagedModelFiles(changes, files, configDir);
  return { repo, changes, watched, docsReasons, modelFiles, toRepo };
}
