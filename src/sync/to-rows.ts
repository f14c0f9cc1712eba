import type { Manifest, ModelEntry } from '../manifest/types.js';
import { COMPARED_COLUMNS, type RegistryRow } from '../ports.js';

/** JSON with object keys sorted, so the same evaluation always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Maps one manifest model to its registry row (the columns of the team's model_registry table). */
export function modelToRow(system: string, id: string, m: ModelEntry, manifest: Manifest): RegistryRow {
  const ev = m.evaluation ?? null;
  const note = ev ? str(ev.note) : null;
  const notes = [note, m.deprecation_reason ? `deprecation: ${m.deprecation_reason}` : null].filter(Boolean).join(' | ');
  return {
    model_id: id,
    system_id: system,
    model_version: str(m.model_version),
    model_type: str(m.model_type),
    gcs_path: m.gcs_path,
    feature_count: num(m.feature_count),
    training_start_date: m.training_start,
    training_end_date: m.training_end,
    training_samples: num(m.training_samples),
    evaluation_mae: ev ? num(ev.mae) : null,
    evaluation_hit_rate_edge_3plus: ev ? num(ev.high_edge_hit_rate_3plus) : null,
    evaluation_hit_rate_edge_5plus: ev ? num(ev.high_edge_hit_rate_5plus) : null,
    sha256_hash: m.sha256 ? m.sha256.toLowerCase() : null,
    status: m.status,
    is_production: manifest.production_model === id,
    production_start_date: m.production_since ?? null,
    notes: notes || null,
    evaluation_json: ev ? canonicalJson(ev) : null,
    created_at: str(m.created_at) ? new Date(m.created_at as string).toISOString() : null,
    created_by: str(m.created_by),
  };
}

/** Every model of a manifest as registry rows, in id order. */
export function manifestToRows(system: string, manifest: Manifest): RegistryRow[] {
  return Object.keys(manifest.models)
    .sort()
    .map((id) => modelToRow(system, id, manifest.models[id], manifest));
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

function same(field: string, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (field === 'evaluation_json') {
    // Backends may re-serialize JSON (BigQuery's JSON type does): compare meaning, not text.
    try {
      return canonicalJson(JSON.parse(String(a))) === canonicalJson(JSON.parse(String(b)));
    } catch {
      return false;
    }
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return String(a) === String(b);
}

/** Field-by-field differences between what the manifest says (`want`) and the stored row (`have`). */
export function diffRow(want: RegistryRow, have: RegistryRow): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of COMPARED_COLUMNS) {
    if (!same(field, want[field], have[field])) changes.push({ field, old: have[field], new: want[field] });
  }
  return changes;
}
