import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent, RegistryRow } from '../../src/ports.js';

/** A fresh temp dir per test; removed by the returned cleanup. */
export function tempRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'modelgov-duckdb-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A complete registry row with realistic values; `over` replaces fields. */
export function row(id: string, over: Partial<RegistryRow> = {}): RegistryRow {
  return {
    model_id: id,
    system_id: 'catboost_v9',
    model_version: 'v9',
    model_type: 'catboost',
    gcs_path: `gs://nba-props-platform-models/catboost/v9/${id}.cbm`,
    feature_count: 33,
    training_start_date: '2025-11-02',
    training_end_date: '2026-01-08',
    training_samples: 9993,
    evaluation_mae: 4.82,
    evaluation_hit_rate_edge_3plus: 71.2,
    evaluation_hit_rate_edge_5plus: 79.0,
    sha256_hash: '5b3a187b1b6d' + '0'.repeat(52),
    status: 'active',
    is_production: false,
    production_start_date: null,
    notes: 'trained on the 2025-26 season',
    evaluation_json: '{"mae":4.82,"vegas_bias":-0.3}',
    created_at: '2026-02-01T01:10:18.000Z',
    created_by: 'alice@example.com',
    ...over,
  };
}

export function event(id: string, over: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    event_id: id,
    event_type: 'update',
    system_id: 'catboost_v9',
    model_id: 'm1',
    field: 'status',
    old_value: 'shadow',
    new_value: 'active',
    changed_at: '2026-02-08T14:47:49.000Z',
    changed_by: 'alice@example.com',
    git_commit: 'a'.repeat(40),
    details_json: null,
    ...over,
  };
}

/** Runs SQL against a DuckDB file directly (the registry must not have it open). */
export async function rawQuery(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const duckdb = await import('@duckdb/node-api');
  const instance = await duckdb.DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
