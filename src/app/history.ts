import type { LoadedConfig } from '../config/types.js';
import { productionAt, type ProductionAt } from '../gates/production-at.js';
import type { HistoryEvent, Registry } from '../ports.js';
import { loadManifests, selectSystems } from './load-manifests.js';
import { mergeEvents, readHistoryFiles } from '../history/history-file.js';


/** History events (sync changes and promotions), oldest first, optionally of one model / system. */
export async function readHistory(loaded: LoadedConfig, registry: Registry, filter: { modelId?: string; system?: string } = {}): Promise<HistoryEvent[]> {
  // The history files are the durable record for local manifests; the registry table holds the
  // rest (sync changes, gs:// manifests' promotions). Each event once, oldest first.
  return mergeEvents(readHistoryFiles(loaded, filter), await registry.history(filter));
}

/**
 * Which model was production on `day` in each selected system: from the promotion events when
 * one happened on or before that day, else from the manifest's production_since /
 * production_end_date (periods before modelgov recorded promotions).
 */
export async function productionOn(loaded: LoadedConfig, env: NodeJS.ProcessEnv, registry: Registry, day: string, system?: string): Promise<ProductionAt[]> {
  const systems = selectSystems(loaded, system);
  const [manifests, events] = await Promise.all([loadManifests(loaded, env, systems), readHistory(loaded, registry, system ? { system } : {})]);
  const promotions = events.filter((e) => e.event_type === 'promote');
  return systems.map((s) => productionAt(s.id, day, promotions, manifests.find((m) => m.system === s.id)?.manifest));
}
