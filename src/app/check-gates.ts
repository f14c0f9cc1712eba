import { didYouMean } from '../util/did-you-mean.js';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import { duplicateWindowGate, evaluateGates, type GateResult, type WindowTwin } from '../gates/evaluate-gates.js';
import type { ManifestView, ModelEntry } from '../manifest/types.js';
import { modelVariantTags } from '../naming/variant-tags.js';
import type { Registry } from '../ports.js';
import { findDuplicates } from './find-duplicates.js';

/** A model found in one of the configured manifests. */
export interface LocatedModel {
  id: string;
  entry: ModelEntry;
  system: SystemConfig;
  view: ManifestView;
}

/**
 * Finds a model id in the loaded manifests. An unknown id is a usage error (exit 2) whose fix
 * lists the ids that exist; an id in two systems is ambiguous (ids are the registry key).
 */
export function findModel(config: LoadedConfig, manifests: ManifestView[], id: string): LocatedModel {
  const hits = manifests.filter((m) => Object.prototype.hasOwnProperty.call(m.manifest.models, id));
  if (hits.length === 0) {
    const known = manifests.flatMap((m) => Object.keys(m.manifest.models).map((k) => `${k} (${m.system})`));
    const near = didYouMean(id, manifests.flatMap((m) => Object.keys(m.manifest.models)));
    throw new ModelgovError('NOT_FOUND', `unknown model "${id}": no configured manifest has it${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}`, {
      file: manifests.map((m) => m.location).join(', ') || config.file,
      fix: known.length
        ? `Use one of: ${known.slice(0, 20).join(', ')}${known.length > 20 ? `, … (${known.length - 20} more)` : ''}; or add the model to its manifest first.`
        : 'The manifests have no models yet; add the model to its manifest first.',
    });
  }
  if (hits.length > 1) {
    throw new ModelgovError('MANIFEST_INVALID', `model id "${id}" is in several manifests (${hits.map((h) => h.location).join(', ')})`, {
      fix: 'Model ids are the registry key: rename the model in all but one manifest.',
    });
  }
  const view = hits[0];
  const system = config.config.systems.find((s) => s.id === view.system)!;
  return { id, entry: view.manifest.models[id], system, view: view };
}

/**
 * Every gate for one model: the built-in duplicate-window gate (same rule as
 * `check-duplicate`, looking in the manifest and the registry of the model's system), then the
 * configured gates in config order.
 */
export async function checkGates(config: LoadedConfig, model: LocatedModel, registry: Registry): Promise<GateResult[]> {
  const { training_start: start, training_end: end } = model.entry;
  const builtin = config.config.builtinGates?.['duplicate-window']?.severity ?? 'block';
  const results: GateResult[] = [];
  if (builtin !== 'off') {
    const key = {
      start,
      end,
      system: model.system.id,
      features: typeof model.entry.feature_count === 'number' ? model.entry.feature_count : undefined,
      variants: modelVariantTags(model.system.id, model.id, model.entry.gcs_path),
    };
    const twins: WindowTwin[] = (await findDuplicates([model.view], registry, key)).duplicates.map((r) => ({ model_id: r.model_id, status: r.status }));
    results.push(duplicateWindowGate(model, twins, builtin));
  }
  // The baseline is the production model of the manifest FILE, also when another system sharing
  // it holds it: that is the model a promotion would replace.
  const prodId = model.view.file.production_model;
  const prodEntry = prodId === null ? undefined : model.view.file.models[prodId];
  const production = prodId !== null && prodEntry ? { id: prodId, entry: prodEntry } : undefined;
  return [...results, ...evaluateGates(model, production, config.config.gates ?? [], { system: model.system.id })];
}
