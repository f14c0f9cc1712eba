import { basename, resolve } from 'node:path';
import { adapterOptions, openDeploymentReader, openManifestStore, openRegistry } from '../adapters/index.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { compareDeploymentCode, compareDeploymentModel, type CodeFacts } from '../drift/compare-deployment.js';
import { compareRegistry } from '../drift/compare-registry.js';
import { DRIFT_KINDS, type Finding } from '../drift/types.js';
import { isModelgovError, ModelgovError } from '../errors.js';
import { git, resolveCommitId } from '../git/git.js';
import { instantToIso } from '../util/instant.js';
import { manifestViews, splitManifestText } from '../manifest/system-models.js';
import { manifestGroups, manifestKey, manifestRules } from './load-manifests.js';
import type { ManifestView } from '../manifest/types.js';
import type { AdapterOptions, RegistryRow, Snapshot } from '../ports.js';
import { withTimeout } from '../util/with-timeout.js';
import { planDocs } from './docs.js';
import { locationKind } from '../config/location.js';

export interface UnreachableSource {
  system: string | null;
  source: string;
  message: string;
  fix?: string;
}

export interface DriftReport {
  findings: Finding[];
  /** Sources that could not be read (offline, timeout, lock, bad credentials, malformed file). */
  unreachable: UnreachableSource[];
  /** Places compared, for the summary line. */
  checked: string[];
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Judge a commit instead of the working tree (the pre-push hook): local files come from the
 * commit's snapshot and the service code is compared up to that commit, not HEAD.
 */
export interface DriftAt {
  commit: string;
  snapshot: Snapshot;
}

/**
 * Reads every place in parallel (each with its own bound, so the total is about the slowest
 * source, not the sum) and hands them to the pure comparators.
 */
export async function runDrift(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  systems: SystemConfig[] = loaded.config.systems,
  at?: DriftAt,
): Promise<DriftReport> {
  const timeoutMs = loaded.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const opts: AdapterOptions = { ...adapterOptions(loaded, env), snapshot: at?.snapshot };
  const report: DriftReport = { findings: [], unreachable: [], checked: [] };
  const unreachable = (system: string | null, source: string, e: unknown) => {
    if (!isModelgovError(e)) throw e;
    report.unreachable.push({ system, source, message: e.message, fix: e.fix });
  };

  // The registry is one read for all systems; it overlaps with the per-system reads below. A
  // DuckDB registry is a cache rebuilt from the manifests by whichever command reads it, so it
  // cannot drift: only a shared registry (BigQuery) is compared.
  const shared = locationKind(loaded.config.registry) !== 'duckdb'; // as isCacheRegistry says; that module is not imported, drift stays light
  const registryRead = shared
    ? withTimeout(
        (async () => {
          const registry = await openRegistry(loaded.config.registry, opts);
          try {
            return await registry.list();
          } finally {
            await registry.close();
          }
        })(),
        timeoutMs,
        loaded.config.registry,
        'Check that the registry is reachable, or run with --offline warn.',
      ).then(
        (rows) => rows,
        (e) => {
          unreachable(null, loaded.config.registry, e);
          return undefined;
        },
      )
    : Promise.resolve(undefined);

  // A manifest several systems share is read once; each system takes its view of it.
  const groups = manifestGroups(loaded.config.systems);
  const reads = new Map<string, Promise<Map<string, ManifestView> | undefined>>();
  const manifestOf = (sys: SystemConfig): Promise<ManifestView | undefined> => {
    const key = manifestKey(sys.manifest);
    let read = reads.get(key);
    if (!read) {
      read = readManifest(groups.get(key)!, loaded, opts, timeoutMs, report, unreachable);
      reads.set(key, read);
    }
    return read.then((views) => views?.get(sys.id));
  };

  await Promise.all(
    systems.map(async (sys) => {
      // The deployment read does not need the manifest: start it first so it overlaps the
      // manifest read (with cloud sources the reads would otherwise queue up behind each other).
      const dep = sys.deployment;
      const deploymentRead = dep
        ? withTimeout(
            openDeploymentReader(dep.service, opts).then((r) => r.read(dep.env)),
            timeoutMs,
            dep.service,
            'Check that the service is reachable, or run with --offline warn.',
          ).then(
            (state) => ({ ok: true as const, state }),
            (error: unknown) => ({ ok: false as const, error }),
          )
        : undefined;
      report.checked.push(`${sys.id}: manifest`);
      const manifest = await manifestOf(sys);
      const tasks: Promise<void>[] = [];
      if (manifest) {
        if (shared) report.checked.push(`${sys.id}: registry`);
        tasks.push(
          registryRead.then((rows: RegistryRow[] | undefined) => {
            if (rows) report.findings.push(...compareRegistry(sys.id, manifest.manifest, rows, loaded.config.registry));
          }),
        );
        if (sys.docs?.length) {
          report.checked.push(`${sys.id}: docs`);
          tasks.push(
            planDocs(loaded, [manifest], { systems: [sys], read: at?.snapshot }).then(
              (plans) => {
                for (const p of plans) {
                  if (!p.changed) continue;
                  report.findings.push({
                    kind: 'docs',
                    system: sys.id,
                    subject: p.file,
                    expected: `section generated from ${sys.manifest}`,
                    actual: `stale (${p.changedLines} line(s) differ)`,
                    fix: 'modelgov docs',
                  });
                }
              },
              (e) => {
                // Broken markers are a docs problem the user must fix, not an unreachable source.
                if (isModelgovError(e) && (e.code === 'MARKERS_INVALID' || e.code === 'TEMPLATE_INVALID' || e.code === 'NOT_FOUND')) {
                  report.findings.push({ kind: 'docs', system: sys.id, subject: e.file ?? String(sys.docs), expected: 'valid modelgov markers', actual: e.message, fix: e.fix ?? 'modelgov docs' });
                } else unreachable(sys.id, `docs of ${sys.id}`, e);
              },
            ),
          );
        }
        report.checked.push(`${sys.id}: file names`);
        tasks.push(
          import('../naming/index.js').then(({ lintNames }) => {
            const paths = Object.values(manifest.manifest.models).map((m) => basename(m.gcs_path));
            const { violations } = lintNames(paths, { systems: [sys], manifests: new Map([[sys.id, manifest.manifest]]) });
            for (const v of violations) {
              report.findings.push({
                kind: 'filename',
                system: sys.id,
                subject: v.path,
                expected: v.expected ?? 'a name in the convention {system}_{features}f_train{start}-{end}_{date}_{time}.ext',
                actual: v.reason,
                fix: v.expected ? `rename the artifact to ${v.expected} and update gcs_path (or list the old name in artifacts.legacy)` : 'rename the artifact (see `modelgov name --help`) or list it in artifacts.legacy',
              });
            }
          }),
        );
      }
      if (dep && deploymentRead) {
        report.checked.push(`${sys.id}: deployment`);
        tasks.push(
          deploymentRead.then(async (read) => {
            if (!read.ok) return unreachable(sys.id, dep.service, read.error);
            const state = read.state;
            if (manifest) report.findings.push(...compareDeploymentModel(sys.id, manifest.manifest, state, dep.env));
            if (dep.sourceDirs?.length) {
              const facts = await codeFacts(loaded.root, state.commitSha, dep.sourceDirs, at?.commit ?? 'HEAD');
              report.findings.push(...compareDeploymentCode(sys.id, state, dep.sourceDirs, facts, { redeploy: dep.redeploy, tip: at?.commit }));
            }
          }),
        );
      }
      await Promise.all(tasks);
    }),
  );
  report.findings.sort((a, b) => a.system.localeCompare(b.system) || DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind) || a.subject.localeCompare(b.subject));
  return report;
}

/** Reads one manifest file and splits it among the systems sharing it; problems become findings. */
async function readManifest(
  group: SystemConfig[],
  loaded: LoadedConfig,
  opts: AdapterOptions,
  timeoutMs: number,
  report: DriftReport,
  unreachable: (system: string | null, source: string, e: unknown) => void,
): Promise<Map<string, ManifestView> | undefined> {
  const sys = group[0];
  let read: { text: string; version: string };
  try {
    const store = await openManifestStore(sys.manifest, opts);
    read = await withTimeout(store.read(), timeoutMs, sys.manifest, 'Check that the manifest is reachable, or run with --offline warn.');
  } catch (e) {
    unreachable(sys.id, sys.manifest, e);
    return undefined;
  }
  const all = loaded.config.systems.map((s) => s.id);
  const rules = manifestRules(loaded.config);
  const split = splitManifestText(read.text, sys.manifest, group, all, rules);
  if (!split.views || !split.file) {
    for (const error of split.errors) {
      report.findings.push({ kind: 'manifest', system: sys.id, subject: sys.manifest, expected: 'a valid manifest', actual: error, fix: `edit ${sys.manifest} (schema: schema/manifest.schema.json)` });
    }
    return undefined;
  }
  const views = manifestViews({ file: split.file, views: split.views }, read.text, { location: sys.manifest, version: read.version }, group, rules, split.warnings);
  return new Map(views.map((v) => [v.system, v]));
}

/** What git says about the service's source dirs relative to the deployed commit (one git call). */
async function codeFacts(root: string, sha: string | null, dirs: string[], tip: string): Promise<CodeFacts> {
  const paths = dirs.map((d) => resolve(root, d));
  try {
    if (sha) {
      // The label comes from the service: only a hex commit id that resolves to a commit is
      // handed to git, and then only after --end-of-options (a label `--output=/tmp/x` or
      // `--max-count=0` would otherwise be a git option).
      const full = await resolveCommitId(root, sha);
      if (full === 'not-a-commit-id') return { notACommitId: true };
      if (full === 'unknown') return { unknownCommit: true };
      const log = (await git(root, ['log', '--format=%h %s', '--end-of-options', `${full}..${tip}`, '--', ...paths])).trim();
      return { commitsSince: log ? log.split('\n') : [] };
    }
    const last = (await git(root, ['log', '-1', '--format=%cI %H', '--end-of-options', tip, '--', ...paths])).trim();
    if (!last) return { lastChange: null };
    const [time, commit] = last.split(' ');
    return { lastChange: { time: instantToIso(time) ?? time, commit } };
  } catch (e) {
    const message = isModelgovError(e) ? e.message : String(e);
    // The deployed commit is not in this clone (shallow, another branch, rewritten history).
    if (sha && /bad revision|unknown revision|invalid revision|ambiguous argument/i.test(message)) return { unknownCommit: true };
    if (/not a git repository/i.test(message)) {
      throw new ModelgovError('GIT', `${root} is not a git repository`, { fix: 'Run drift inside the repository that holds the service code.' });
    }
    throw e;
  }
}
