/**
 * Registry rows for the cloud tests and benchmarks, and the size of the old inline-literal MERGE
 * (every model spelled out in the SQL text) that BigQuery's 1 MB query-text limit breaks.
 */
import { createHash } from 'node:crypto';
import type { HistoryEvent, RegistryRow } from '../../src/ports.js';
import { REGISTRY_COLUMNS, UPDATABLE_COLUMNS } from '../../src/adapters/registry/columns.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** A real calendar date `days` after 2025-01-01. */
export function dayAfter(days: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * A row shaped like the team's manifest entries: conventional file name, full gs:// path,
 * sha256, evaluation metrics, a note, creation stamp. About 620 bytes of values.
 */
export function realisticRow(i: number, system = 'catboost_v9'): RegistryRow {
  const start = dayAfter(300 + (i % 60));
  const end = dayAfter(360 + (i % 45));
  const id = `${system}_33f_train${start.replace(/-/g, '')}-${end.replace(/-/g, '')}_2026${pad(1 + (i % 12))}${pad(1 + (i % 28))}_${pad(i % 24)}${pad(i % 60)}${pad((i * 7) % 60)}_${i}`;
  const evaluation = {
    graded_edge_3plus: 50 + (i % 300),
    high_edge_hit_rate_3plus: 60 + (i % 150) / 10,
    high_edge_hit_rate_5plus: 70 + (i % 120) / 10,
    mae: 4.5 + (i % 80) / 100,
    note: `walk-forward eval, window ${start}..${end}`,
    vegas_bias: -0.3 + (i % 10) / 10,
  };
  return {
    model_id: id,
    system_id: system,
    model_version: 'v9',
    model_type: 'catboost',
    gcs_path: `gs://nba-props-platform-models/catboost/v9/${id}.cbm`,
    feature_count: 33,
    training_start_date: start,
    training_end_date: end,
    training_samples: 9_000 + i,
    evaluation_mae: evaluation.mae,
    evaluation_hit_rate_edge_3plus: evaluation.high_edge_hit_rate_3plus,
    evaluation_hit_rate_edge_5plus: evaluation.high_edge_hit_rate_5plus,
    sha256_hash: createHash('sha256').update(id).digest('hex'),
    status: i === 0 ? 'production' : 'active',
    is_production: i === 0,
    production_start_date: i === 0 ? '2026-02-08' : null,
    notes: `Retrained on ${start}..${end}; shadowed 3 days before promotion`,
    evaluation_json: JSON.stringify(evaluation),
    created_at: `2026-02-${pad(1 + (i % 28))}T${pad(i % 24)}:${pad(i % 60)}:00.000Z`,
    created_by: 'ml-team@example.com',
  };
}

/**
 * A lean row: id, system, window, status and a short path; no hash, no metrics. The shape where
 * 20,000 models fit one 10 MB request.
 */
export function leanRow(i: number, system = 'm'): RegistryRow {
  return {
    model_id: `m${i}`,
    system_id: system,
    model_version: null,
    model_type: null,
    gcs_path: null,
    feature_count: 33,
    training_start_date: dayAfter(i % 300),
    training_end_date: dayAfter(300 + (i % 60)),
    training_samples: null,
    evaluation_mae: null,
    evaluation_hit_rate_edge_3plus: null,
    evaluation_hit_rate_edge_5plus: null,
    sha256_hash: null,
    status: 'active',
    is_production: false,
    production_start_date: null,
    notes: null,
    evaluation_json: null,
    created_at: null,
    created_by: null,
  };
}

export function historyEvent(i: number, modelId: string, field: string | null = 'status'): HistoryEvent {
  return {
    event_id: `ev-${i}-${modelId}`,
    event_type: field ? 'update' : 'promote',
    system_id: 'catboost_v9',
    model_id: modelId,
    field,
    old_value: field ? 'testing' : null,
    new_value: field ? 'active' : null,
    changed_at: `2026-02-08T10:${pad(i % 60)}:00.000Z`,
    changed_by: 'ml-team@example.com',
    git_commit: 'a1b2c3d',
    details_json: field ? null : JSON.stringify({ from: 'old', to: modelId, forced: false }),
  };
}

function sqlLiteral(type: string, v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (type) {
    case 'DATE':
      return `DATE '${String(v)}'`;
    case 'TIMESTAMP':
      return `TIMESTAMP '${String(v)}'`;
    case 'JSON':
      return `JSON '${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'STRING':
      return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    default:
      return String(v);
  }
}

/**
 * The old approach: one MERGE with every model inlined as literals in a UNION ALL (column names
 * only on the first row, the most compact form). Its text grows ~700 characters per model.
 */
export function inlineLiteralMergeSql(rows: RegistryRow[], table = '`my-project.ml.model_registry`'): string {
  const selects = rows.map(
    (r, n) => `SELECT ${REGISTRY_COLUMNS.map((c) => `${sqlLiteral(c.type, r[c.name])}${n === 0 ? ` AS ${c.name}` : ''}`).join(', ')}`,
  );
  return (
    `MERGE ${table} T USING (\n${selects.join('\nUNION ALL\n')}\n) S ON T.model_id = S.model_id\n` +
    `WHEN MATCHED THEN UPDATE SET ${UPDATABLE_COLUMNS.map((c) => `${c} = S.${c}`).join(', ')}\n` +
    `WHEN NOT MATCHED THEN INSERT ROW`
  );
}

/** Characters of the inline-literal MERGE for `rows` (BigQuery's limit: 1,024 K characters). */
export function inlineLiteralMergeSize(rows: RegistryRow[]): number {
  return inlineLiteralMergeSql(rows).length;
}
