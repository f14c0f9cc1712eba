import { describe, expect, it } from 'vitest';
import { formatHistoryLine, historyFileOf, mergeEvents, parseHistoryText } from '../../src/history/history-file.js';
import type { HistoryEvent } from '../../src/ports.js';

const ev = (id: string, at: string, over: Partial<HistoryEvent> = {}): HistoryEvent => ({
  event_id: id,
  event_type: 'promote',
  system_id: 'catboost_v9',
  model_id: `m_${id}`,
  field: null,
  old_value: 'a',
  new_value: `m_${id}`,
  changed_at: at,
  changed_by: 'alice@example.com',
  git_commit: null,
  details_json: JSON.stringify({ forced: true, reason: `why ${id}` }),
  ...over,
});

describe('history file (JSON Lines beside the manifest)', () => {
  it('defaults to history.jsonl beside a local manifest; a gs:// manifest has none unless configured', () => {
    expect(historyFileOf({ id: 's', manifest: 'models/s/manifest.json' })).toBe('models/s/history.jsonl');
    expect(historyFileOf({ id: 's', manifest: 'manifest.json' })).toBe('history.jsonl');
    expect(historyFileOf({ id: 's', manifest: 'gs://b/m.json' })).toBeUndefined();
    expect(historyFileOf({ id: 's', manifest: 'models/s/manifest.json', history: 'audit/s.jsonl' })).toBe('audit/s.jsonl');
  });

  it('round-trips an event through one line, details as JSON', () => {
    const e = ev('1', '2026-02-12T15:00:00.000Z');
    const line = formatHistoryLine(e);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).details).toEqual({ forced: true, reason: 'why 1' });
    expect(parseHistoryText(line + '\n', 'h.jsonl')).toEqual([e]);
  });

  it('a union merge (repeated and reordered lines, no final newline on one side) reads as each event once, oldest first', () => {
    const a = ev('a', '2026-02-12T15:00:00.000Z');
    const b = ev('b', '2026-02-13T09:00:00.000Z');
    const c = ev('c', '2026-02-11T08:00:00.000Z');
    const merged = [b, a, c, a, b].map(formatHistoryLine).join('\n') + '\r\n\n';
    expect(parseHistoryText(merged, 'h.jsonl').map((e) => e.event_id)).toEqual(['c', 'a', 'b']);
    expect(mergeEvents([b, a], [a, c]).map((e) => e.event_id)).toEqual(['c', 'a', 'b']);
  });

  it('a line that is not an event is an error naming the file and the line (a conflict marker, a hand edit)', () => {
    const good = formatHistoryLine(ev('a', '2026-02-12T15:00:00.000Z'));
    expect(() => parseHistoryText(`${good}\n<<<<<<< HEAD\n`, 'models/s/history.jsonl')).toThrow(/models\/s\/history\.jsonl:2: not a JSON event/);
    expect(() => parseHistoryText(`${good}\n{"event_id":"x"}\n`, 'h.jsonl')).toThrow(/h\.jsonl:2: "event_type" is missing/);
    expect(() => parseHistoryText(JSON.stringify({ ...JSON.parse(good), changed_at: 'yesterday' }), 'h.jsonl')).toThrow(/h\.jsonl:1: changed_at is not a timestamp/);
  });
});

describe('systems[].history stays inside the repository', () => {
  it('a history file outside the work tree is refused naming systems[0].history; nothing is written there', async () => {
    const { existsSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { run } = await import('../helpers/cli.js');
    const { copyExample } = await import('../helpers/example.js');
    const dir = copyExample();
    const config = join(dir, 'modelgov.config.json');
    const c = JSON.parse(readFileSync(config, 'utf8'));
    c.systems[0].history = '../outside.jsonl';
    writeFileSync(config, JSON.stringify(c, null, 2));
    const r = await run(dir, ['promote', 'catboost_v9_feb_02_retrain', '--force', '--reason', 'x', '--no-docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('systems[0].history');
    expect(existsSync(join(dir, '..', 'outside.jsonl'))).toBe(false);
  });
});
