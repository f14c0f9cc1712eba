import type { LoadedConfig } from '../config/types.js';
import { productionAt, type ProductionAt } from '../gates/production-at.js';
import type { HistoryEvent, Registry } from '../ports.js';
import { loadManifests, selectSystems } from './load-manifests.js';

const time = (e: HistoryEvent) => Date.parse(e.changed_at);

/** History events (sync changes and promotions), oldest first, optionally of one model / system. */
export async function readHistory(registry: Registry, filter: { modelId?: string; system?: string } = {}): Promise<HistoryEvent[]> {
  const events = await registry.history(filter);
  // Sort here too: the order is part of the contract, whatever the backend returns.
  return [...events].sort((a, b) => time(a) - time(b) || a.event_id.localeCompare(b.event_id));
}

/**
 * Which model was production on `day` in each selected system: from the promotion events when
 * one happened on or before that day, else from the manifest's production_since /
 * production_end_date (periods before modelgov recorded promotions).
 */
export async function productionOn(loaded: LoadedConfig, env: NodeJS.ProcessEnv, registry: Registry, day: string, system?: string): Promise<ProductionAt[]> {
  const systems = selectSystems(loaded, system);
  const [manifests, events] = await Promise.all([loadManifests(loaded, env, systems), registry.history(system ? { system } : {})]);
  const promotions = events.filter((e) => e.event_type === 'promote');
  return systems.map((s) => productionAt(s.id, day, promotions, manifests.find((m) => m.system === s.id)?.manifest));
}
