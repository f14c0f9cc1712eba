import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';
import { GS_FIX, locationKind, parseLocation, splitGsUri } from '../config/location.js';
import { deployCommand } from '../drift/compare-deployment.js';
import { parseInstant } from '../util/instant.js';
import { adapterOptions, openDeploymentReader, openManifestStore } from '../adapters/index.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { isModelgovError, ModelgovError } from '../errors.js';
import { appendHistoryFile, historyFileOf, readHistoryFiles } from '../history/history-file.js';
import { applyPromotion, type RetireStatus } from '../gates/apply-promotion.js';
import { blocks, type GateResult } from '../gates/evaluate-gates.js';
import type { PromotionDetails } from '../gates/production-at.js';
import { loadSystemViews } from '../manifest/system-models.js';
import type { ManifestView } from '../manifest/types.js';
import type { HistoryEvent, ManifestStore, Registry } from '../ports.js';
import { isCalendarDate } from '../util/calendar.js';
import { checkGates, findModel } from './check-gates.js';
import { loadManifests, manifestGroups, manifestKey, manifestRules } from './load-manifests.js';
import { runSync, type SyncReport } from './sync.js';

export interface PromoteOptions {
  id: string;
  /** Promote although gates fail; needs `reason`. */
  force: boolean;
  reason: string | null;
  /** Recorded as the promoter. */
  by: string | null;
  commit: string | null;
  retireAs: RetireStatus;
  /** Run sync / regenerate docs afterwards (flags and config `promote` already combined). */
  sync: boolean;
  docs: boolean;
  /** The promotion instant (see `clockFrom`). */
  now: Date;
  /**
   * Called once the gates passed and the new manifest text is ready, right before the
   * conditional write; lets a caller (a test) line two promotions up, or change the manifest,
   * at exactly that point. The CLI passes none.
   */
  beforeWrite?: () => void | Promise<void>;
}

/** A follow-up step after the manifest write: sync, docs. */
export interface FollowUp {
  status: 'done' | 'skipped' | 'failed';
  detail: string;
}

/** The command that points a service at the new model. */
export interface DeployStep {
  system: string;
  service: string;
  region: string | null;
  env: string;
  /** What the service serves now, null when unknown. */
  current: string | null;
  /** The model path it should serve. */
  wanted: string;
  command: string;
  note?: string;
}

export interface PromoteResult {
  /** `refused`: gates failed and no --force; nothing was written. */
  status: 'promoted' | 'refused' | 'already-production';
  model: string;
  system: string;
  from: string | null;
  day: string;
  forced: boolean;
  reason: string | null;
  retiredAs: RetireStatus | null;
  gates: GateResult[];
  manifest: { location: string; written: boolean };
  history: HistoryEvent | null;
  sync: FollowUp & { report?: SyncReport };
  docs: FollowUp & { changed?: string[] };
  deploy: DeployStep[];
}

/**
 * The promotion instant: now, or `MODELGOV_NOW` (a YYYY-MM-DD day or an ISO timestamp) so
 * tests and backfills can pin the day written to `production_since` and the history.
 */
export function clockFrom(env: NodeJS.ProcessEnv): Date {
  const pinned = env.MODELGOV_NOW;
  if (!pinned) return new Date();
  // A bare day is that day's midnight UTC; a time must carry its zone (never the machine's).
  const t = isCalendarDate(pinned) ? Date.parse(`${pinned}T00:00:00Z`) : parseInstant(pinned)?.millis;
  if (t === undefined || Number.isNaN(t)) {
    throw new ModelgovError('USAGE', `MODELGOV_NOW: not a date or ISO instant with a zone "${pinned}"`, {
      fix: 'Set MODELGOV_NOW to YYYY-MM-DD or an ISO 8601 instant such as 2026-02-12T15:00:00Z, or unset it to use the clock.',
    });
  }
  return new Date(t);
}

/**
 * Promotes a model: gates first (refused unless all pass or `force`), then ONE conditional
 * manifest write (lost race: CONFLICT, nothing written), the history event, and, when enabled,
 * sync and docs. Returns what happened; errors that mean "could not run" are thrown.
 */
export async function promote(loaded: LoadedConfig, env: NodeJS.ProcessEnv, registry: Registry, opts: PromoteOptions): Promise<PromoteResult> {
  if (opts.force && !opts.reason?.trim()) {
    throw new ModelgovError('USAGE', '--force needs --reason', { fix: `Say why the gates are overridden: modelgov promote ${opts.id} --force --reason "…" (it is kept in the history).` });
  }
  const manifests = await loadManifests(loaded, env);
  const model = findModel(loaded, manifests, opts.id);
  const source = model.view;
  // Production is one per manifest FILE: promoting a model of one system retires the file's
  // production model even when another system sharing the file holds it (README, design notes).
  const from = source.file.production_model;
  const day = opts.now.toISOString().slice(0, 10);
  const base: PromoteResult = {
    status: 'promoted',
    model: model.id,
    system: model.system.id,
    from,
    day,
    forced: false,
    reason: opts.reason,
    retiredAs: null,
    gates: [],
    manifest: { location: source.location, written: false },
    history: null,
    sync: { status: 'skipped', detail: 'nothing was written' },
    docs: { status: 'skipped', detail: 'nothing was written' },
    deploy: [],
  };
  if (from === model.id) return { ...base, status: 'already-production', from: null };

  // The deploy command printed afterwards carries gcs_path: refuse, before anything is written,
  // a path that is not a well-formed gs://bucket/object a service could load.
  const target = model.view.manifest.models[model.id].gcs_path;
  if (model.system.deployment && !splitGsUri(target)) {
    throw new ModelgovError('MANIFEST_INVALID', `${source.location}: models.${model.id}.gcs_path: ${JSON.stringify(target)} is not a well-formed gs://bucket/object URI, so ${model.id} cannot be deployed to ${model.system.deployment.service}; nothing was written`, {
      file: source.location,
      fix: GS_FIX,
    });
  }

  const gates = await checkGates(loaded, model, registry);
  // Soft (`warn`) gates are reported but never refuse a promotion.
  const failed = gates.filter(blocks);
  if (failed.length > 0 && !opts.force) return { ...base, status: 'refused', gates };

  const text = applyPromotion(source.text, source.file, { to: model.id, retireAs: opts.retireAs, day });
  const group = manifestGroups(loaded.config.systems).get(manifestKey(source.location))!;
  const nextViews = loadSystemViews(text, { location: source.location, version: source.version }, group, loaded.config.systems.map((s) => s.id), manifestRules(loaded.config));
  const next = nextViews[0].file;
  await opts.beforeWrite?.();
  const store = await openManifestStore(source.location, adapterOptions(loaded, env));
  // Conditional on the version read before the gates ran: whoever changed it since wins.
  const { version } = await store.write(text, source.version);

  const forced = failed.length > 0;
  const details: PromotionDetails = {
    from,
    to: model.id,
    forced,
    reason: opts.reason,
    retired_as: opts.retireAs,
    production_since: day,
    gates,
    manifest: source.location,
  };
  const event: HistoryEvent = {
    event_id: randomUUID(),
    event_type: 'promote',
    system_id: model.system.id,
    model_id: model.id,
    field: null,
    old_value: from,
    new_value: model.id,
    changed_at: opts.now.toISOString(),
    changed_by: opts.by,
    git_commit: opts.commit,
    details_json: JSON.stringify(details),
  };
  await recordPromotion(loaded, registry, model.system, event, { store, before: source.text, written: version });
  const result: PromoteResult = { ...base, gates, forced, retiredAs: opts.retireAs, manifest: { location: source.location, written: true }, history: event };
  const promoted: ManifestView[] = manifests.map((m) => {
    const view = m.location === source.location ? nextViews.find((v) => v.system === m.system) : undefined;
    return view ? { ...view, version } : m;
  });
  result.sync = opts.sync ? await followSync(loaded, promoted, registry, opts) : { status: 'skipped', detail: 'disabled (--no-sync or promote.sync: false)' };
  result.docs = opts.docs ? await followDocs(loaded, env) : { status: 'skipped', detail: 'disabled (--no-docs or promote.docs: false)' };
  result.deploy = await deploySteps(loaded, env, model.system, next.models[model.id].gcs_path);
  return result;
}

/**
 * Records the promotion after the manifest write succeeded. A system with a history file (a
 * local manifest) gets the event as a new line in that tracked file, so the audit trail travels
 * with the repository; when that write fails, the manifest is put back (conditionally on the
 * version just written), so the promotion and its record exist together or not at all. A
 * `gs://` manifest's durable history is the registry's history table.
 */
async function recordPromotion(
  loaded: LoadedConfig,
  registry: Registry,
  system: SystemConfig,
  event: HistoryEvent,
  manifest: { store: ManifestStore; before: string; written: string },
): Promise<void> {
  const file = historyFileOf(system);
  if (file) {
    try {
      await appendHistoryFile(loaded.root, file, [event]);
      return;
    } catch (e) {
      let restored = 'and was put back as it was';
      try {
        await manifest.store.write(manifest.before, manifest.written);
      } catch (undo) {
        restored = `and could NOT be put back (${(undo as Error).message}): it names ${event.model_id} as production without a history line`;
      }
      throw new ModelgovError(isModelgovError(e) ? e.code : 'IO', `promotion of ${event.model_id} not recorded: ${(e as Error).message}; the manifest ${manifest.store.location} was written ${restored}`, {
        cause: e,
        file,
        fix: `Fix what stopped the write to ${file} (disk space, permissions), then run the promote command again.`,
      });
    }
  }
  try {
    await registry.appendHistory([event]);
  } catch (e) {
    throw new ModelgovError(
      isModelgovError(e) ? e.code : 'BACKEND_UNREACHABLE',
      `${event.model_id} IS now production in ${manifest.store.location} (the manifest was written), but the history event could not be recorded in ${loaded.config.registry}: ${(e as Error).message}`,
      {
        cause: e,
        details: [`event: ${JSON.stringify(event)}`],
        fix: 'Fix the registry, then run `modelgov sync`; the promotion itself is done. The event above is what was not recorded.',
      },
    );
  }
}

async function followSync(loaded: LoadedConfig, manifests: ManifestView[], registry: Registry, opts: PromoteOptions): Promise<PromoteResult['sync']> {
  try {
    // One millisecond after the promotion, so the field changes it caused list after it.
    const now = new Date(opts.now.getTime() + 1).toISOString();
    const report = await runSync(manifests, registry, { dryRun: false, by: opts.by, commit: opts.commit, now, fileEvents: readHistoryFiles(loaded) });
    return {
      status: 'done',
      detail: `${report.inserted.length} inserted, ${report.updated.length} updated, ${report.unchanged.length} unchanged`,
      report,
    };
  } catch (e) {
    return { status: 'failed', detail: `${(e as Error).message}; run \`modelgov sync\`` };
  }
}

/** The docs module is optional at build time: a build without it still promotes. */
async function followDocs(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<PromoteResult['docs']> {
  let regenerate: ((l: LoadedConfig, e: NodeJS.ProcessEnv, o: { check: boolean }) => Promise<{ changed: string[] }>) | undefined;
  try {
    // `as string` keeps TypeScript from requiring the module while esbuild still bundles it.
    const mod = await import('./docs.js' as string);
    regenerate = mod.regenerateDocs;
  } catch (e) {
    return { status: 'skipped', detail: `docs regeneration is not available in this build (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run \`modelgov docs\`` };
  }
  if (typeof regenerate !== 'function') return { status: 'skipped', detail: 'docs regeneration is not available in this build; run `modelgov docs`' };
  try {
    const { changed } = await regenerate(loaded, env, { check: false });
    return { status: 'done', detail: changed.length ? `updated ${changed.join(', ')}` : 'already up to date', changed };
  } catch (e) {
    return { status: 'failed', detail: `${(e as Error).message}; fix it and run \`modelgov docs\`` };
  }
}

/** Where a deployment location says the service is, for when it cannot be read. */
function targetFromLocation(location: string): { service: string; region: string | null; project: string | null } {
  if (locationKind(location) === 'cloudrun') {
    const l = parseLocation('deployment.service', location, ['cloudrun'], '.');
    if (l.kind === 'cloudrun') return { service: l.service, region: l.region, project: l.project };
  }
  return { service: basename(location, extname(location)), region: null, project: null };
}

/** The exact gcloud command per deployed service of the system, with what it serves now. */
async function deploySteps(loaded: LoadedConfig, env: NodeJS.ProcessEnv, system: SystemConfig, wanted: string): Promise<DeployStep[]> {
  const d = system.deployment;
  if (!d) return [];
  let service: string;
  let region: string | null;
  let project: string | null;
  let current: string | null = null;
  let note: string | undefined;
  try {
    const state = await (await openDeploymentReader(d.service, adapterOptions(loaded, env))).read(d.env);
    ({ service, region, project } = state);
    region ??= targetFromLocation(d.service).region;
    project ??= targetFromLocation(d.service).project;
    current = state.modelPath;
  } catch (e) {
    ({ service, region, project } = targetFromLocation(d.service));
    note = `could not read ${d.service} (${(e as Error).message}); check the service name and region`;
  }
  // The same command drift prints as its fix: one builder, so the two never disagree (--project included).
  const command = deployCommand({ service, region, project }, d.env, wanted);
  if (!region) note = [note, `the region of ${service} is unknown: replace <REGION>`].filter(Boolean).join('; ');
  if (current === wanted) note = [note, `${service} already serves ${wanted}`].filter(Boolean).join('; ');
  return [{ system: system.id, service, region, env: d.env, current, wanted, command, ...(note ? { note } : {}) }];
}
