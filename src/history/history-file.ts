import { closeSync, existsSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import type { LoadedConfig, SystemConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import type { HistoryEvent } from '../ports.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import { locationKind } from '../config/location.js';

/** The file name used beside a local manifest when `systems[].history` is not set. */
export const DEFAULT_HISTORY_FILE = 'history.jsonl';

/**
 * Where a system's audit history lives in the repository: `systems[].history`, else
 * `history.jsonl` beside a local manifest. A `gs://` manifest has no history file (its durable
 * history is the registry's history table), so this returns undefined for it.
 */
export function historyFileOf(system: SystemConfig): string | undefined {
  if (system.history) return system.history;
  if (locationKind(system.manifest) === 'gcs') return undefined;
  return posix.join(posix.dirname(system.manifest.replaceAll('\\', '/')), DEFAULT_HISTORY_FILE);
}

const FIELDS = ['event_id', 'event_type', 'system_id', 'model_id', 'field', 'old_value', 'new_value', 'changed_at', 'changed_by', 'git_commit'] as const;

/** One event as one line: the registry's history columns, with `details` as JSON rather than text. */
export function formatHistoryLine(e: HistoryEvent): string {
  const record: Record<string, unknown> = {};
  for (const f of FIELDS) record[f] = e[f] ?? null;
  record.details = e.details_json == null ? null : JSON.parse(e.details_json);
  return JSON.stringify(record);
}

/**
 * Parses a history file. A union merge of two branches can repeat lines and put them in any
 * order, so events are de-duplicated by event_id (first wins) and sorted by time. A line that
 * is not an event (a hand edit, a conflict marker from a merge without `merge=union`) is an error
 * naming the line: silently skipping it could hide a promotion from the audit trail.
 */
export function parseHistoryText(text: string, file: string): HistoryEvent[] {
  const seen = new Map<string, HistoryEvent>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    const bad = (why: string) =>
      new ModelgovError('MANIFEST_INVALID', `${file}:${i + 1}: ${why}`, {
        file,
        fix: `Each line of ${file} is one JSON event written by modelgov; restore line ${i + 1} from git (\`git log -p -- ${file}\`) or delete it. Keep "${file} merge=union" in .gitattributes so merges never add conflict markers.`,
      });
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw bad(`not a JSON event: ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('not a JSON object');
    const o = v as Record<string, unknown>;
    for (const f of ['event_id', 'event_type', 'system_id', 'model_id', 'changed_at'] as const) {
      if (typeof o[f] !== 'string' || o[f] === '') throw bad(`"${f}" is missing or not a string`);
    }
    if (!['insert', 'update', 'promote'].includes(o.event_type as string)) throw bad(`unknown event_type ${JSON.stringify(o.event_type)}`);
    if (Number.isNaN(Date.parse(o.changed_at as string))) throw bad(`changed_at is not a timestamp ${JSON.stringify(o.changed_at)}`);
    const text = (k: string): string | null => (o[k] == null ? null : String(o[k]));
    const event: HistoryEvent = {
      event_id: o.event_id as string,
      event_type: o.event_type as HistoryEvent['event_type'],
      system_id: o.system_id as string,
      model_id: o.model_id as string,
      field: text('field'),
      old_value: text('old_value'),
      new_value: text('new_value'),
      changed_at: o.changed_at as string,
      changed_by: text('changed_by'),
      git_commit: text('git_commit'),
      details_json: o.details == null ? null : JSON.stringify(o.details),
    };
    if (!seen.has(event.event_id)) seen.set(event.event_id, event);
  });
  return sortEvents([...seen.values()]);
}

/** Oldest first; ties by event id, so every reader shows one order whatever the line order was. */
export function sortEvents(events: HistoryEvent[]): HistoryEvent[] {
  const t = (e: HistoryEvent) => Date.parse(e.changed_at);
  return [...events].sort((a, b) => t(a) - t(b) || a.event_id.localeCompare(b.event_id));
}

/** Events from several sources (history files, a registry table), each event once. */
export function mergeEvents(...sources: HistoryEvent[][]): HistoryEvent[] {
  const byId = new Map<string, HistoryEvent>();
  for (const list of sources) for (const e of list) if (!byId.has(e.event_id)) byId.set(e.event_id, e);
  return sortEvents([...byId.values()]);
}

/** A history file's text (empty when it does not exist yet). */
export function readHistoryText(root: string, file: string): string {
  const abs = resolve(root, file);
  if (!existsSync(abs)) return '';
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ModelgovError('IO', `cannot read the history file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
      fix: `Check that ${file} is a readable file (systems[].history in modelgov.config.json).`,
    });
  }
}

/** Each configured history file once (systems may share one), with the systems it serves. */
export function historyFiles(loaded: LoadedConfig, systems: SystemConfig[] = loaded.config.systems): { file: string; systems: string[] }[] {
  const byFile = new Map<string, string[]>();
  for (const s of systems) {
    const f = historyFileOf(s);
    if (f) byFile.set(f, [...(byFile.get(f) ?? []), s.id]);
  }
  return [...byFile].map(([file, ids]) => ({ file, systems: ids }));
}

/** Every event of the history files of `systems`, filtered like the registry's history(). */
export function readHistoryFiles(loaded: LoadedConfig, filter: { modelId?: string; system?: string } = {}): HistoryEvent[] {
  const systems = loaded.config.systems.filter((s) => filter.system === undefined || s.id === filter.system);
  const events = historyFiles(loaded, systems).flatMap(({ file, systems: ids }) =>
    parseHistoryText(readHistoryText(loaded.root, file), file).filter((e) => ids.includes(e.system_id)),
  );
  return mergeEvents(events.filter((e) => (filter.modelId === undefined || e.model_id === filter.modelId) && (filter.system === undefined || e.system_id === filter.system)));
}

/**
 * Appends events to a history file as whole lines, by writing the old bytes plus the new lines
 * to a temp file and renaming it (complete or nothing). A lock file beside it serializes
 * appenders, so two systems sharing one file never drop each other's line.
 */
export async function appendHistoryFile(root: string, file: string, events: HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const abs = resolve(root, file);
  const lock = join(dirname(abs), `.${abs.slice(dirname(abs).length + 1)}.modelgov.lock`);
  let fd: number | undefined;
  for (let i = 0; i < 100 && fd === undefined; i++) {
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new ModelgovError('IO', `cannot write the history file ${file}: its directory does not exist`, { file, fix: `Create ${dirname(abs)} or fix systems[].history.` });
      }
      if (code !== 'EEXIST') throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  if (fd === undefined) {
    throw new ModelgovError('CONFLICT', `history file ${file} is locked by another modelgov process (${lock})`, {
      file,
      fix: `Wait for the other command to finish; if none is running, delete ${lock}.`,
    });
  }
  try {
    const before = readHistoryText(root, file);
    const sep = before === '' || before.endsWith('\n') ? '' : '\n';
    atomicWriteFile(abs, before + sep + events.map((e) => formatHistoryLine(e) + '\n').join(''));
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}
