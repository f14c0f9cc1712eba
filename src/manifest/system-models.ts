import { ModelgovError } from '../errors.js';
import type { SystemSelect } from '../config/types.js';
import { formatPath } from '../schema/json-schema.js';
import { parseManifest, type ManifestRules } from './load-manifest.js';
import type { ManifestView, Manifest, ModelEntry } from './types.js';

/** A system as the model assignment sees it. */
export interface SystemSelector {
  id: string;
  select?: SystemSelect;
}

function selects(select: SystemSelect, entry: ModelEntry): boolean {
  if (!Object.hasOwn(entry, select.field)) return false;
  const v = entry[select.field];
  if (select.equals !== undefined && v === select.equals) return true;
  return Array.isArray(select.in) && select.in.some((x) => x === v);
}

/** True when `id` is `system` or starts with `system_` (the naming convention's separator). */
export function hasSystemPrefix(id: string, system: string): boolean {
  return id === system || (id.startsWith(system) && id.charCodeAt(system.length) === 95);
}

/**
 * The one answer to "which system does this model of a manifest belong to". In order: a system
 * whose `select` matches the entry; else the longest configured id (of the systems sharing the
 * file) that prefixes the model id; else, when one system is alone on the file without a
 * `select`, that system (every manifest written before systems could share one keeps working).
 * Undefined: no system takes it; two selects matching: ambiguous (both returned).
 */
export function systemOfModel(id: string, entry: ModelEntry, systems: readonly SystemSelector[]): string | string[] | undefined {
  const bySelect = systems.filter((s) => s.select && selects(s.select, entry)).map((s) => s.id);
  if (bySelect.length === 1) return bySelect[0];
  if (bySelect.length > 1) return bySelect;
  let best: string | undefined;
  for (const s of systems) {
    if (s.select) continue;
    if (hasSystemPrefix(id, s.id) && (best === undefined || s.id.length > best.length)) best = s.id;
  }
  if (best !== undefined) return best;
  if (systems.length === 1 && !systems[0].select) return systems[0].id;
  return undefined;
}

/** How a system selects, as a message shows it. */
function describeSelector(s: SystemSelector): string {
  return s.select
    ? `${s.id} (select ${s.select.field} ${s.select.equals !== undefined ? `= ${JSON.stringify(s.select.equals)}` : `in ${JSON.stringify(s.select.in)}`})`
    : `${s.id} (ids starting with ${s.id}_)`;
}

/**
 * Splits one manifest file among the systems that share it: every model goes to exactly one
 * system (see `systemOfModel`); a model no system takes, or two selects claim, is an error
 * naming the model, every configured system and the fix. Pure.
 */
export function assignModels(manifest: Manifest, systems: readonly SystemSelector[], file: string, allSystems: readonly string[]): { bySystem: Map<string, string[]>; errors: string[] } {
  const bySystem = new Map<string, string[]>(systems.map((s) => [s.id, []]));
  const errors: string[] = [];
  for (const [id, entry] of Object.entries(manifest.models)) {
    const owner = systemOfModel(id, entry, systems);
    const where = `${file}: ${formatPath(['models', id])}`;
    if (owner === undefined) {
      errors.push(
        `${where}: no configured system takes this model (the systems on this manifest: ${systems.map(describeSelector).join(', ')}; all configured systems: ${allSystems.join(', ')}); rename the model so its id starts with its system's id, or give a system a "select" (e.g. {"field": "model_version", "equals": "v12"})`,
      );
    } else if (Array.isArray(owner)) {
      errors.push(`${where}: the selects of ${owner.join(' and ')} both take this model; make the systems' "select" values exclusive`);
    } else {
      bySystem.get(owner)!.push(id);
    }
  }
  return { bySystem, errors };
}

/** The manifest as one system sees it: its models only; production_model null unless it is one of them. */
export function systemView(file: Manifest, ids: readonly string[]): Manifest {
  const models: Record<string, ModelEntry> = {};
  for (const id of ids) models[id] = file.models[id];
  const production = file.production_model !== null && ids.includes(file.production_model) ? file.production_model : null;
  return { ...file, production_model: production, models };
}

/**
 * Parses one manifest file's text once and gives each system sharing it its view. Every way
 * modelgov reads a manifest (commands, hooks, drift) comes through here, so a shared manifest
 * means the same everywhere. Throws MANIFEST_INVALID listing every problem.
 */
export function loadSystemViews(
  text: string,
  meta: { location: string; label?: string; version: string },
  systems: readonly SystemSelector[],
  allSystems: readonly string[],
  rules: ManifestRules,
): ManifestView[] {
  const r = splitManifestText(text, meta.label ?? meta.location, systems, allSystems, rules);
  if (!r.views) {
    const file = meta.label ?? meta.location;
    throw new ModelgovError('MANIFEST_INVALID', r.errors[0], {
      file,
      details: r.errors.slice(1),
      fix: `Fix ${file} (the source of truth) and run the command again; the JSON Schema is schema/manifest.schema.json.`,
    });
  }
  return manifestViews(r as Required<SplitManifest>, text, meta, systems, rules, r.warnings);
}

/** The split views, one ManifestView per system (one per system sharing the file). */
export function manifestViews(
  split: Required<Pick<SplitManifest, 'file' | 'views'>>,
  text: string,
  meta: { location: string; version: string },
  systems: readonly SystemSelector[],
  rules: ManifestRules,
  warnings: string[] = [],
): ManifestView[] {
  // A shared file's warnings belong to the file: carried by its first view only, so they print once.
  return split.views.map(({ system, manifest }, i) => ({
    system,
    location: meta.location,
    manifest,
    file: split.file,
    sharedWith: systems.map((s) => s.id).filter((id) => id !== system),
    statuses: rules.statuses ?? {},
    text,
    version: meta.version,
    warnings: i === 0 ? warnings : [],
  }));
}

/** One manifest file parsed and split, or why not. */
export interface SplitManifest {
  file?: Manifest;
  views?: { system: string; manifest: Manifest }[];
  errors: string[];
  warnings: string[];
}

/** Like loadSystemViews, but returns the problems instead of throwing (drift reports them as findings). */
export function splitManifestText(
  text: string,
  label: string,
  systems: readonly SystemSelector[],
  allSystems: readonly string[],
  rules: ManifestRules,
): SplitManifest {
  const parsed = parseManifest(text, label, rules);
  if (!parsed.value) return { errors: parsed.errors, warnings: parsed.warnings };
  const { bySystem, errors } = assignModels(parsed.value, systems, label, allSystems);
  if (errors.length > 0) return { errors, warnings: parsed.warnings };
  const file = parsed.value;
  return { file, views: systems.map((s) => ({ system: s.id, manifest: systemView(file, bySystem.get(s.id)!) })), errors: [], warnings: parsed.warnings };
}
