import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsFiles } from '../config/docs-files.js';
import { loadModelFiles, type ModelFiles } from '../config/model-files.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { isModelgovError } from '../errors.js';
import { indexEntries, locateRepo, readBlobs, setIndexEntry, stagedChanges, writeBlob, type IndexEntry, type RepoInfo, type StagedChange } from '../git/index-blob.js';
import type { LoadedManifest } from '../manifest/types.js';

/**
 * The pre-commit mode of `docs` (`docs --staged`) and `hook pre-commit`.
 *
 * Fast path (an unrelated commit): the repository is found on the file system (no git call),
 * then ONE `git diff --cached --name-status -z` runs while the config loads (plain JSON and the
 * hand-written validator `main` loads anyway). When no watched file (config, local manifest,
 * docs file, template) and no model file is staged, the only remaining work is comparing stat
 * signatures of the watched working files with the key of the last successful check
 * (`<git dir>/modelgov/docs-fresh`). Nothing else is imported: the markdown parser, the docs
 * layer, the naming rules, the manifest validator and every adapter are loaded with `import()`
 * only on the slow path.
 *
 * Slow path: the staged blob of each docs file is regenerated from the STAGED manifest and written
 * with `git hash-object -w` + `git update-index --cacheinfo` (mode kept); the working file is
 * regenerated from the WORKING manifest and written atomically (mode kept). Each side is spliced on
 * its own, so whatever the user has not staged stays unstaged, in place, byte for byte.
 */
/** The one-line notice of `MODELGOV_SKIP=1`. */
export const SKIP_NOTICE = 'modelgov: skipped (MODELGOV_SKIP=1)';

/** What both hooks say in a repository without a config (they pass: nothing to check). */
export const NO_CONFIG_NOTICE = 'modelgov: no modelgov.config.json in this repository; nothing to check. Run `modelgov init` to set it up.';

/** `MODELGOV_SKIP` set to anything but empty, `0` or `false`. */
export function skipRequested(env: NodeJS.ProcessEnv): boolean {
  const v = env.MODELGOV_SKIP?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * Staged files (added, modified or type-changed) that are model files of a system (asked of
 * `ModelFiles`, the one owner): what the pre-commit hook and `lint-names` without paths judge.
 * `configDir` is the config's directory relative to the repository root ('' when they are the
 * same), since include globs are relative to the config.
 */
export function stagedModelFiles(changes: StagedChange[], files: ModelFiles, configDir = ''): string[] {
  const prefix = configDir === '' ? '' : `${configDir.split(sep).join('/')}/`;
  const rel = (p: string) => (prefix === '' ? p : p.startsWith(prefix) ? p.slice(prefix.length) : `../${p}`);
  return changes.filter((c) => 'AMT'.includes(c.status) && files.isModelFile(rel(c.path))).map((c) => c.path);
}

/** The config's directory relative to the repository root, '' when it is the root. */
export function configDirInRepo(configRoot: string, repoRoot: string): string {
  let root = configRoot;
  try {
    // git prints the top level with symlinks resolved (/tmp -> /private/tmp on macOS).
    root = realpathSync(configRoot);
  } catch {
    // keep the path as given
  }
  return relative(repoRoot, root);
}

/** The commands' outcome (structurally the CLI's `Outcome`; app code does not import the CLI). */
export type Outcome = 'ok' | 'failed';

/**
 * The IO runPreCommit needs. The CLI's CommandContext satisfies it as is; declared here so the
 * app layer does not depend on the CLI layer.
 */
export interface PreCommitIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Machine output on stdout (one JSON line) and nothing else there. */
  json: boolean;
  out(line: string): void;
  err(line: string): void;
  /** The config, loaded on first use; throws CONFIG_NOT_FOUND when there is none. */
  config(): LoadedConfig;
}

/** A file the hook watches, by role. */
interface Watched {
  kind: 'manifest' | 'config' | 'docs' | 'template';
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
  /** Staged (added/modified) files with a configured model extension, repo-relative. */
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

const FRESHNESS_REASON = 'a watched file changed since the last check';

function isRemote(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/** Works out, without reading any file but the config, what this commit needs. */
export function planPreCommit(loaded: LoadedConfig, repo: RepoInfo, changes: StagedChange[], files: ModelFiles): PreCommitPlan {
  let configRoot = loaded.root;
  try {
    // git prints the top level with symlinks resolved (/tmp -> /private/tmp on macOS).
    configRoot = realpathSync(loaded.root);
  } catch {
    // keep the path as given
  }
  const toRepo = (location: string): string | undefined => {
    const rel = relative(repo.root, resolve(configRoot, location));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  };
  const watched: Watched[] = [];
  const add = (w: Omit<Watched, 'path'>) => {
    const path = toRepo(w.file);
    if (path !== undefined && !watched.some((x) => x.kind === w.kind && x.path === path)) watched.push({ ...w, path });
  };
  add({ kind: 'config', file: relative(loaded.root, loaded.file) });
  for (const s of loaded.config.systems) {
    if (!isRemote(s.manifest)) add({ kind: 'manifest', file: s.manifest, system: s.id });
    if (s.docsTemplate) add({ kind: 'template', file: s.docsTemplate, system: s.id });
    for (const d of s.docs ?? []) add({ kind: 'docs', file: d, system: s.id });
  }
  const staged = new Set(changes.map((c) => c.path));
  const hasDocs = loaded.config.systems.some((s) => (s.docs ?? []).length > 0);
  const docsReasons = hasDocs ? watched.filter((w) => staged.has(w.path)).map((w) => `${w.path} is staged`) : [];
  const modelFiles = stagedModelFiles(changes, files, relative(repo.root, configRoot));
  return { repo, changes, watched, docsReasons, modelFiles, toRepo };
}

// ---------------------------------------------------------------------------------------------
// The freshness key: "nothing the docs depend on changed since the last successful check".

/** Stat signature of a file: any write, rename-over or replacement changes it. */
function statSig(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${Math.trunc(st.mtimeMs)}:${Math.trunc(st.ctimeMs)}:${st.ino}`;
  } catch {
    return 'absent';
  }
}

/** The running modelgov's own file: a new version may render sections differently. */
function toolStamp(): string {
  try {
    return statSig(fileURLToPath(import.meta.url));
  } catch {
    return 'unknown';
  }
}

function keyFile(repo: RepoInfo): string {
  return join(repo.gitDir, 'modelgov', 'docs-fresh');
}

/**
 * Stat signatures of the working copies of every watched file (config, local manifests, docs,
 * templates) and of modelgov itself. No git call: while none of them is staged, their index
 * entries equal HEAD's, and every way HEAD or the work tree brings in other content (an edit
 * committed with --no-verify, a pull, a checkout, a merge) rewrites the working file first.
 * Equal keys mean the staged docs were already checked against these exact inputs.
 */
function freshnessKey(loaded: LoadedConfig, plan: PreCommitPlan): string {
  const lines = [`tool ${toolStamp()}`];
  // A plain sort: localeCompare would load ICU collation data (~10 ms) on the fast path.
  for (const w of [...plan.watched].sort((a, b) => (a.kind + a.path < b.kind + b.path ? -1 : 1))) {
    lines.push(`${w.kind} ${w.path} ${statSig(resolve(loaded.root, w.file))}`);
  }
  return lines.join('\n') + '\n';
}

function readKey(repo: RepoInfo): string | undefined {
  try {
    return readFileSync(keyFile(repo), 'utf8');
  } catch {
    return undefined;
  }
}

function writeKey(repo: RepoInfo, key: string): void {
  try {
    mkdirSync(dirname(keyFile(repo)), { recursive: true });
    writeFileSync(keyFile(repo), key);
  } catch {
    // only a cache: the next commit checks again
  }
}

// ---------------------------------------------------------------------------------------------

export interface PreCommitOptions {
  /** Also lint staged model file names (`hook pre-commit`); `docs --staged` does not. */
  lint: boolean;
  /** The config when the caller already loaded it (`docs --staged`). */
  loaded?: LoadedConfig;
}

interface Report {
  regenerated: { file: string; side: 'staged' | 'working tree' }[];
  warnings: string[];
  violations: { path: string; reason: string; expected?: string }[];
  skipped?: string;
}

function finish(ctx: PreCommitIO, report: Report, outcome: Outcome): Outcome {
  if (ctx.json) ctx.out(JSON.stringify({ ok: outcome === 'ok', ...report }));
  return outcome;
}

/**
 * `hook pre-commit` / `docs --staged`: regenerate the staged and the working docs sections
 * separately when the commit touches what they are made of, and (with `lint`) refuse staged model
 * files with bad names. Returns 'failed' only for bad names; never fails outside a repo.
 */
export async function runPreCommit(ctx: PreCommitIO, opts: PreCommitOptions): Promise<Outcome> {
  const report: Report = { regenerated: [], warnings: [], violations: [] };
  if (skipRequested(ctx.env)) {
    ctx.err(SKIP_NOTICE);
    return finish(ctx, { ...report, skipped: 'MODELGOV_SKIP' }, 'ok');
  }
  // The repository is found on the file system; the one git call runs while the config loads.
  const repo = await locateRepo(ctx.cwd, ctx.env);
  if (!repo) {
    ctx.err('modelgov: not inside a git work tree; nothing to check. (Run it from a repository, or `git init` first.)');
    return finish(ctx, { ...report, skipped: 'not a git repository' }, 'ok');
  }
  const changesP = stagedChanges(repo.root);
  changesP.catch(() => {}); // awaited below; this only keeps an early config error from leaving it unhandled
  let loaded = opts.loaded;
  if (!loaded) {
    try {
      loaded = ctx.config();
    } catch (e) {
      if (!isModelgovError(e) || e.code !== 'CONFIG_NOT_FOUND') throw e;
      ctx.err(NO_CONFIG_NOTICE);
      return finish(ctx, { ...report, skipped: 'no config' }, 'ok');
    }
  }
  const [changes, files] = await Promise.all([changesP, loadModelFiles(loaded.config.systems)]);
  const plan = planPreCommit(loaded, repo, changes, files);
  if (plan.docsReasons.length === 0 && plan.watched.some((w) => w.kind === 'docs')) {
    // Nothing docs-related is staged: the staged docs can still be stale (a manifest committed
    // with --no-verify, pulled, or a hand-edited section). Check again only if a watched working
    // file changed since the last successful check.
    if (freshnessKey(loaded, plan) !== readKey(repo)) {
      plan.docsReasons.push(FRESHNESS_REASON);
      plan.freshnessOnly = true;
    }
  }
  if (plan.docsReasons.length === 0 && (!opts.lint || plan.modelFiles.length === 0)) return finish(ctx, report, 'ok');

  const outcome = await runSlowPath(ctx, loaded, plan, opts, report);
  if (outcome === 'ok' && plan.docsReasons.length > 0) writeKey(repo, freshnessKey(loaded, plan));
  return finish(ctx, report, outcome);
}


// ---------------------------------------------------------------------------------------------
// Slow path: only reached when something the docs or names depend on is staged (or changed).

/** The manifests one side (the index or the work tree) has, and why the others are missing. */
interface Side {
  manifests: LoadedManifest[];
  missing: Map<string, string>;
}

/** One pending write, planned before anything is written. */
type Write =
  | { side: 'staged'; file: string; entry: IndexEntry; text: string }
  | { side: 'working tree'; file: string; abs: string; before: Buffer; text: string };

/** UTF-8 text of `buf`, or undefined when decoding would not give the same bytes back. */
function decodeExact(buf: Buffer): string | undefined {
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : undefined;
}


function mentionsSystem(text: string, system: string): boolean {
  return new RegExp(`modelgov:start\\s+${system.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_.-])`).test(text);
}

/**
 * Loads the docs layer and the markdown parser (~100 ms of module loading) while the git calls
 * of the slow path run in their own processes, instead of after them.
 */
function warmUpDocs(): Promise<typeof import('../docs/index.js')> {
  const docs = import('../docs/index.js');
  docs.then((d) => d.findMarkers('<!-- modelgov:start warm -->\n<!-- modelgov:end warm -->\n', '(warm-up)')).catch(() => {
    // the real call reports any problem
  });
  return docs;
}

async function runSlowPath(ctx: PreCommitIO, loaded: LoadedConfig, plan: PreCommitPlan, opts: PreCommitOptions, report: Report): Promise<Outcome> {
  const doDocs = plan.docsReasons.length > 0;
  const root = plan.repo.root;
  const systems = loaded.config.systems;
  const local = systems.filter((s) => !isRemote(s.manifest));
  const docsList = doDocs ? docsFiles(systems) : new Map<string, string[]>();
  const warn = (line: string) => {
    report.warnings.push(line);
    ctx.err(`modelgov: warning: ${line}`);
  };

  // One ls-files and one cat-file --batch for every staged manifest and docs blob; they run while
  // the validator and the docs layer load.
  const paths = [...local.map((s) => plan.toRepo(s.manifest)), ...[...docsList.keys()].map((f) => plan.toRepo(f))].filter(
    (p): p is string => p !== undefined,
  );
  const indexP = indexEntries(root, paths).then(async (entries) => ({
    entries,
    blobs: await readBlobs(root, [...entries.values()].filter((e) => e.stage === 0).map((e) => e.sha)),
  }));
  indexP.catch(() => {}); // awaited below
  const docsModule = doDocs ? warmUpDocs() : undefined;
  const { loadSystemViews } = await import('../manifest/system-models.js');
  const { manifestGroups, manifestRules } = await import('./load-manifests.js');
  const { entries, blobs } = await indexP;
  // A manifest several systems share is parsed once per side and split among all of them.
  const allIds = systems.map((s) => s.id);
  const rules = manifestRules(loaded.config);
  const localGroups = [...manifestGroups(local).values()];
  const views = (text: string, group: SystemConfig[], version: string, label?: string) =>
    loadSystemViews(text, { location: group[0].manifest, version, label }, group, allIds, rules);

  const staged: Side = { manifests: [], missing: new Map() };
  for (const group of localGroups) {
    const s = group[0];
    const path = plan.toRepo(s.manifest);
    const e = path === undefined ? undefined : entries.get(path);
    const why = !e ? `${s.manifest} is not staged (not in the index)` : e.stage > 0 ? `${s.manifest} has an unresolved merge conflict` : undefined;
    if (why !== undefined || e === undefined) {
      for (const g of group) staged.missing.set(g.id, why ?? '');
    } else {
      const text = (blobs.get(e.sha) ?? Buffer.alloc(0)).toString('utf8');
      staged.manifests.push(...views(text, group, e.sha, `${s.manifest} (staged)`));
    }
  }

  if (opts.lint && plan.modelFiles.length > 0) {
    const { lintNames } = await import('../naming/index.js');
    // The hook already chose the model files (plan.modelFiles); lintNames judges every one.
    const result = lintNames(plan.modelFiles, { systems, manifests: new Map(staged.manifests.map((m) => [m.system, m.manifest])), isModelFile: () => true });
    if (result.violations.length > 0) {
      for (const v of result.violations) {
        report.violations.push(v);
        ctx.err(`modelgov: bad model file name: ${v.path}`);
        ctx.err(`  ${v.reason}`);
      }
      ctx.err(
        `modelgov: commit refused: ${result.violations.length} staged model file name(s) break the convention. ` +
          'Rename them (`git mv old new`), or commit anyway on purpose with `git commit --no-verify` or `MODELGOV_SKIP=1 git commit`.',
      );
      return 'failed';
    }
  }
  if (!doDocs) return 'ok';

  const working: Side = { manifests: [], missing: new Map() };
  for (const group of localGroups) {
    const s = group[0];
    let text: string;
    try {
      text = readFileSync(resolve(loaded.root, s.manifest), 'utf8');
    } catch {
      for (const g of group) working.missing.set(g.id, `${s.manifest} does not exist yet`);
      continue;
    }
    working.manifests.push(...views(text, group, ''));
  }
  // A remote manifest is read once and serves both sides; unreachable means "leave it alone".
  const inDocs = new Set([...docsList.values()].flat());
  const remote = [...manifestGroups(systems.filter((s) => isRemote(s.manifest))).values()].filter((g) => g.some((s) => inDocs.has(s.id)));
  if (remote.length > 0) {
    const { adapterOptions, openManifestStore } = await import('../adapters/index.js');
    const aopts = adapterOptions(loaded, ctx.env);
    await Promise.all(
      remote.map(async (group) => {
        const s = group[0];
        try {
          const store = await openManifestStore(s.manifest, aopts);
          const { text, version } = await store.read();
          const m = views(text, group, version);
          staged.manifests.push(...m);
          working.manifests.push(...m);
        } catch (e) {
          if (!isModelgovError(e) || e.code === 'MANIFEST_INVALID') throw e;
          const why = `${s.manifest} could not be read (${e.message})`;
          for (const g of group) {
            staged.missing.set(g.id, why);
            working.missing.set(g.id, why);
          }
          const ids = group.map((g) => g.id).join(', ');
          warn(`${why}; the ${ids} section${group.length > 1 ? 's are left as they are' : ' is left as it is'} (the pre-push drift check will report it if it is stale).`);
        }
      }),
    );
  }

  const { updateDocs } = await (docsModule ?? import('../docs/index.js'));
  const { sectionInputs } = await import('./docs.js');
  const memo = new Map<string, ReturnType<typeof updateDocs>>();
  const regenerate = async (text: string, label: string, side: Side): Promise<string | undefined> => {
    const absent = systems.filter((s) => side.missing.has(s.id) && mentionsSystem(text, s.id));
    if (absent.length > 0) {
      if (!isRemote(absent[0].manifest)) warn(`left ${label} alone: ${absent.map((s) => side.missing.get(s.id)).join('; ')}.`);
      return undefined;
    }
    // Usually the staged and the working file and manifests are the same bytes: parse and
    // render once for both sides (each updateDocs parses the document twice).
    const key = `${text}\0${side.manifests.map((m) => `${m.system}\0${m.text}`).join('\0')}`;
    let pending = memo.get(key);
    if (!pending) {
      pending = updateDocs(text, label, sectionInputs(loaded, side.manifests));
      memo.set(key, pending);
    }
    const update = await pending;
    if (!update.hasMarkers) {
      warn(`${label} has no modelgov markers, so nothing was generated there. Run \`modelgov init\` or add the markers (and stage them).`);
      return undefined;
    }
    return update.changed ? update.text : undefined;
  };

  // Plan every file and both sides before the first write: a broken marker anywhere writes nothing.
  const writes: Write[] = [];
  for (const file of docsList.keys()) {
    const path = plan.toRepo(file);
    const entry = path === undefined ? undefined : entries.get(path);
    if (entry && entry.stage > 0) warn(`left ${file} (staged) alone: it has an unresolved merge conflict.`);
    else if (entry) {
      const text = decodeExact(blobs.get(entry.sha) ?? Buffer.alloc(0));
      if (text === undefined) warn(`left ${file} (staged) alone: it is not valid UTF-8.`);
      else {
        const next = await regenerate(text, `${file} (staged)`, staged);
        if (next !== undefined) writes.push({ side: 'staged', file, entry, text: next });
      }
    }
    const abs = resolve(loaded.root, file);
    let before: Buffer;
    try {
      before = readFileSync(abs);
    } catch {
      continue; // deleted in the work tree (or never there): nothing to splice
    }
    const text = decodeExact(before);
    if (text === undefined) warn(`left ${file} alone: it is not valid UTF-8.`);
    else {
      const next = await regenerate(text, file, working);
      if (next !== undefined) writes.push({ side: 'working tree', file, abs, before, text: next });
    }
  }

  if (plan.freshnessOnly && !writes.some((w) => w.side === 'staged')) return 'ok';

  const { atomicWriteFile } = await import('../util/atomic-write.js');
  const why = plan.docsReasons.join(', ');
  for (const w of writes) {
    if (w.side === 'staged') {
      const sha = await writeBlob(root, w.text);
      await setIndexEntry(root, { mode: w.entry.mode, sha, path: w.entry.path });
    } else {
      // The user may be editing the file right now: never replace bytes we did not read.
      let now: Buffer | undefined;
      try {
        now = readFileSync(w.abs);
      } catch {
        now = undefined;
      }
      if (!now || !now.equals(w.before)) {
        warn(`left ${w.file} alone: it changed while modelgov was working; run \`modelgov docs\` to regenerate it.`);
        continue;
      }
      atomicWriteFile(w.abs, w.text);
    }
    report.regenerated.push({ file: w.file, side: w.side });
    ctx.err(`modelgov: regenerated ${w.file} (${w.side})${w.side === 'staged' ? ` because ${plan.freshnessOnly ? 'the committed section was stale' : why}` : ''}`);
  }
  return 'ok';
}

