import type { Manifest } from '../manifest/types.js';
import type { RegistryRow } from '../ports.js';
import { diffRow, manifestToRows } from '../sync/to-rows.js';
import type { Finding } from './types.js';

const text = (v: unknown): string => (v === null || v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Every manifest model against its registry row, field by field, plus registry rows of this
 * system whose model is no longer in the manifest.
 */
export function compareRegistry(system: string, manifest: Manifest, rows: RegistryRow[], registry: string): Finding[] {
  const findings: Finding[] = [];
  const fix = 'modelgov sync';
  const have = new Map(rows.filter((r) => r.system_id === system).map((r) => [r.model_id, r]));
  const wanted = manifestToRows(system, manifest);
  for (const want of wanted) {
    const row = have.get(want.model_id);
    have.delete(want.model_id);
    if (!row) {
      findings.push({ kind: 'registry', system, subject: want.model_id, expected: 'a registry row', actual: `no row in ${registry}`, fix });
      continue;
    }
    for (const c of diffRow(want, row)) {
      findings.push({ kind: 'registry', system, subject: `${want.model_id}.${c.field}`, expected: text(c.new), actual: text(c.old), fix });
    }
  }
  for (const orphan of have.values()) {
    findings.push({
      kind: 'registry',
      system,
      subject: orphan.model_id,
      expected: 'no row (not in the manifest)',
      actual: `row with status ${text(orphan.status)}`,
      fix: `add ${orphan.model_id} back to the manifest, or delete its row from ${registry}`,
    });
  }
  return findings;
}
