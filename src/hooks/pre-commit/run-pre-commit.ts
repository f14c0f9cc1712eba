import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { docsFiles } from '../../config/docs-files.js';
import type { LoadedConfig } from '../../config/types.js';
import { stagedChanges, type StagedChange } from '../../git/index-blob.js';
import { locateRepo, type RepoInfo } from '../../git/locate-repo.js';
import { nearestConfigs } from '../find-configs.js';
import { freshnessKey, readFreshnessKey, writeFreshnessKey, type KeyInput } from '../freshness-key.js';
import { hookGuard, isSkipped, type GuardIO } from '../guard.js';
import { checkStagedHistory } from './check-history.js';
import { loadModelFiles } from '../../config/model-files.js';
import { FRESHNESS_REASON, isRemote, planPreCommit, type PreCommitPlan } from './plan.js';
import { manifestParser, readIndex, readRemoteManifests, readStagedSide, readWorkingSide, sectionSources } from './read-sides.js';
import { renderDocs } from './render.js';
import { watchedPathspecs, writeWatchedList } from '../watched-list.js';
import { checkWorkingTargets, followRealIndex, writeStagedBlob, writeWorkingFile } from './write.js';

/**
 * The pre-commit hook (`hook pre-commit`) and `docs --staged`, as the steps lint-staged's
 * gitWorkflow would name them: guard → plan → read both sides → render → write the blob →
 * write the working file. It returns a report; the CLI prints it.
 *
 * Fast path (an unrelated commit): the repository is found on the file system (no git call),
 * then ONE `git diff --cached --name-status -z` runs while the config loads. When no watched file
 * (config, local manifest, docs file, template) and no model file is staged, the only remaining
 * work is comparing stat signatures of the watched working files with the freshness key of the
 * last successful check. Nothing else is imported: the markdown parser, the docs layer, the naming
 * rules, the manifest validator and every adapter load with `import()` only on the slow path.
 *
 * Slow path: the staged blob of each docs file is regenerated from the STAGED manifest and the
 * working file from the WORKING manifest, each spliced on its own, so whatever the user has not
 * staged stays unstaged, in place, byte for byte.
 */

export interface PreCommitOptions {
  /** Also lint staged model file names (`hook pre-commit`); `docs --staged` does not. */
  lint: boolean;
  /** The config when the caller already loaded it. */
  loaded?: LoadedConfig;
}

/** What the hook did; `outcome` is 'failed' only for bad model file names. */
export interface PreCommitReport {
  outcome: 'ok' | 'failed';
  /** Why nothing was checked (MODELGOV_SKIP, not a repository, no config), with its notice line. */
  skipped?: string;
  notice?: string;
  regenerated: { file: string; side: 'staged' | 'working tree'; because?: string }[];
  warnings: string[];
  violations: { path: string; reason: string; expected?: string }[];
}

function keyInputs(loaded: LoadedConfig, plan: PreCommitPlan): KeyInput[] {
  return plan.watched.map((w) => ({ kind: w.kind, path: w.path, abs: resolve(loaded.root, w.file) }));
}

/** Runs the pre-commit hook; never fails outside a repository or without a config. */
export async function runPreCommit(io: GuardIO, opts: PreCommitOptions): Promise<PreCommitReport> {
  const report: PreCommitReport = { outcome: 'ok', regenerated: [], warnings: [], violations: [] };
  let changesP: Promise<StagedChange[]> | undefined;
  const scope = await hookGuard(io, {
    loaded: opts.loaded,
    onRepo: (repo: RepoInfo) => {
      // The one git call of the fast path runs while the config loads.
      changesP = stagedChanges(repo.root);
      changesP.catch(() => {}); // awaited below; this only keeps an early config error from leaving it unhandled
    },
  });
  if (isSkipped(scope) && scope.skipped !== 'no config') return { ...report, skipped: scope.skipped, notice: scope.notice };
  if (!isSkipped(scope)) {
    const { repo, loaded } = scope;
    const plan = await runForConfig(io, repo, loaded, await (changesP ?? stagedChanges(repo.root)), opts, report);
    writeWatchedList(repo, watchedPathspecs(plan.watched, loaded.config.systems));
    return report;
  }
  // No config above the cwd (git starts hooks at the top level): a monorepo keeps it beside the
  // models, so look beside the staged files.
  const repo = await locateRepo(io.cwd, io.env);
  if (!repo || !changesP) return { ...report, skipped: scope.skipped, notice: scope.notice };
  const changes = await changesP;
  const configs = nearestConfigs(
    changes.map((c) => c.path),
    (p) => existsSync(join(repo.root, ...p.split('/'))),
  );
  // No list here: with no config above the top level, the hook script must start node for every
  // commit to look beside the staged files.
  writeWatchedList(repo, []);
  if (configs.length === 0) return { ...report, skipped: scope.skipped, notice: scope.notice };
  const { loadConfig } = await import('../../config/load-config.js');
  for (const c of configs) {
    await runForConfig(io, repo, loadConfig({ cwd: repo.root, configPath: c }), changes, opts, report);
    if (report.outcome === 'failed') break;
  }
  return report;
}

/** Plan, then (when needed) the slow path, for one config. */
async function runForConfig(
  io: GuardIO,
  repo: RepoInfo,
  loaded: LoadedConfig,
  changes: StagedChange[],
  opts: PreCommitOptions,
  report: PreCommitReport,
): Promise<PreCommitPlan> {
  const files = await loadModelFiles(loaded.config.systems, { only: changes.map((c) => c.path) });
  const plan = planPreCommit(loaded, repo, changes, files);
  await checkStagedHistory(plan);
  const configKey = plan.toRepo(relative(loaded.root, loaded.file)) ?? 'modelgov.config.json';
  if (plan.docsReasons.length === 0 && plan.watched.some((w) => w.kind === 'docs')) {
    // Nothing docs-related is staged: the staged docs can still be stale (a manifest committed
    // with --no-verify, pulled, or a hand-edited section). Check again only if a watched working
    // file changed since the last successful check.
    if (freshnessKey(keyInputs(loaded, plan)) !== readFreshnessKey(repo, configKey)) {
      plan.docsReasons.push(FRESHNESS_REASON);
      plan.freshnessOnly = true;
    }
  }
  if (plan.docsReasons.length === 0 && (!opts.lint || plan.modelFiles.length === 0)) return plan;

  await runSlowPath(io, loaded, plan, opts, report);
  if (report.outcome === 'ok' && plan.docsReasons.length > 0) writeFreshnessKey(repo, configKey, freshnessKey(keyInputs(loaded, plan)));
  return plan;
}

/**
 * Loads the docs layer and the markdown parser (~100 ms of module loading) while the git calls
 * of the slow path run in their own processes, instead of after them.
 */
function warmUpDocs(): Promise<typeof import('../../docs/index.js')> {
  const docs = import('../../docs/index.js');
  docs.then((d) => d.findMarkers('<!-- modelgov:start warm -->\n<!-- modelgov:end warm -->\n', '(warm-up)')).catch(() => {
    // the real call reports any problem
  });
  return docs;
}

/** Slow path: only reached when something the docs or names depend on is staged (or changed). */
async function runSlowPath(io: GuardIO, loaded: LoadedConfig, plan: PreCommitPlan, opts: PreCommitOptions, report: PreCommitReport): Promise<void> {
  const doDocs = plan.docsReasons.length > 0;
  const systems = loaded.config.systems;
  const local = systems.filter((s) => !isRemote(s.manifest));
  const docsList = doDocs ? docsFiles(systems) : new Map<string, string[]>();

  // The index is read while the validator and the docs layer load.
  // History files and templates too: the staged section is made from what the commit holds.
  const sources = doDocs ? sectionSources(systems) : [];
  const indexP = readIndex(plan, [...local.map((s) => s.manifest), ...docsList.keys(), ...sources]);
  indexP.catch(() => {}); // awaited below
  const docsModule = doDocs ? warmUpDocs() : undefined;
  const parse = await manifestParser(loaded);
  const index = await indexP;
  const staged = await readStagedSide(plan, local, index, parse, sources);

  if (opts.lint && plan.modelFiles.length > 0) {
    const { lintNames } = await import('../../naming/index.js');
    // The plan already chose the model files (the one owner, loadModelFiles): judge every one.
    const result = lintNames(plan.modelFiles, { systems, manifests: new Map(staged.manifests.map((m) => [m.system, m.manifest])), isModelFile: () => true });
    if (result.violations.length > 0) {
      report.violations.push(...result.violations);
      report.outcome = 'failed';
      return;
    }
  }
  if (!doDocs) return;

  const working = await readWorkingSide(loaded, local, parse, sources);
  const inDocs = new Set([...docsList.values()].flat());
  report.warnings.push(...(await readRemoteManifests(loaded, io.env, systems.filter((s) => inDocs.has(s.id)), [staged, working], parse)));

  const docs = await (docsModule ?? import('../../docs/index.js'));
  const { sectionInputs } = await import('../../app/docs.js');
  const { writes, warnings } = await renderDocs(loaded, plan, docsList, index, { staged, working }, docs, (side) => sectionInputs(loaded, side.manifests, side.read && { read: side.read }));
  report.warnings.push(...warnings);

  if (plan.freshnessOnly && !writes.some((w) => w.side === 'staged')) return;

  const why = plan.docsReasons.join(', ');
  // plan.repo.root is git's top level (symlinks resolved): where a symlinked docs file may point.
  await checkWorkingTargets(writes, plan.repo.root);
  for (const w of writes) {
    if (w.side === 'staged') {
      const sha = await writeStagedBlob(plan.repo.root, w);
      const warning = await followRealIndex(plan.repo, io.env, w, sha);
      if (warning) report.warnings.push(warning);
      report.regenerated.push({ file: plan.toRepo(w.file) ?? w.file, side: w.side, because: plan.freshnessOnly ? 'the committed section was stale' : why });
    } else if (await writeWorkingFile(w, plan.repo.root)) {
      report.regenerated.push({ file: plan.toRepo(w.file) ?? w.file, side: w.side });
    } else {
      report.warnings.push(`left ${w.file} alone: it changed while modelgov was working; run \`modelgov docs\` to regenerate it.`);
    }
  }
}
