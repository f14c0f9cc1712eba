import { stringify } from 'yaml';

/**
 * Text splices into a user's YAML file, guided by the `yaml` Document's node offsets.
 *
 * Why not `doc.toString()`: the yaml package re-renders the whole document in its own style
 * (indentation, `-   repo:` alignment, comment spacing, flow sequences), so a one-entry edit
 * would rewrite a 34-hook `.pre-commit-config.yaml`. Here the Document finds the places and the
 * new lines are written in the file's own indentation; every other byte stays. Callers re-parse
 * the result and compare it with the intended value, so a splice that would mean something else
 * is refused instead of written.
 */

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** Column of the `-` that introduces the block-sequence item whose content starts at `offset`. */
export function dashColumnOf(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? columnOf(text, i) : columnOf(text, offset);
}

/**
 * Offset just after the last line of the block that starts on the line of `from` and continues
 * while lines are blank or indented deeper than `parentColumn` (comments included: a comment
 * indented under the last entry belongs to it). Trailing blank lines are left outside.
 */
export function endOfBlock(text: string, from: number, parentColumn: number): number {
  let pos = lineStartOf(text, from);
  let end = -1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const line = text.slice(pos, lineEnd).replace(/\r?\n$/, '');
    const indent = line.length - line.trimStart().length;
    if (end !== -1 && line.trim() !== '' && indent <= parentColumn) break;
    if (line.trim() !== '') end = lineEnd;
    pos = lineEnd;
  }
  return end === -1 ? text.length : end;
}

/** Lines (already indented) to insert at an offset of the original text: a line start, or its end. */
export interface Insertion {
  at: number;
  lines?: string[];
  /** Inserted as it is (inside a line, e.g. into a flow list). */
  raw?: string;
}

/** Applies insertions that were all computed against `text` (the last one first, so offsets hold). */
export function applyInsertions(text: string, insertions: Insertion[], eol: string): string {
  let out = text;
  // From the end backwards, so earlier offsets stay valid; at one offset the later-listed insertion
  // goes in first, so the lines end up in the order they were listed (a new `pre-push:` block must
  // come after the lines added to a `pre-commit:` block that ends the file, not between them).
  const ordered = insertions.map((ins, i) => ({ ins, i })).sort((a, b) => b.ins.at - a.ins.at || b.i - a.i);
  for (const { at, lines = [], raw } of ordered.map((o) => o.ins)) {
    const before = out.slice(0, at);
    if (raw !== undefined) {
      out = before + raw + out.slice(at);
      continue;
    }
    const sep = before.length === 0 || before.endsWith('\n') ? '' : eol;
    out = before + sep + lines.map((l) => l + eol).join('') + out.slice(at);
  }
  return out;
}

/** A scalar as YAML writes it (plain when it can be, quoted when it must). */
export function yamlScalar(value: string | number | boolean): string {
  return stringify(value).trimEnd();
}

export function eolOf(text: string): string {
  return /\r\n|\n/.exec(text)?.[0] ?? '\n';
}

const sp = (n: number) => ' '.repeat(Math.max(0, n));

/** How a file writes a block sequence: the dash's offset from its parent key, spaces after the dash. */
export interface SeqStyle {
  dashOffset: number;
  pad: number;
}

/** The style of a block sequence whose first item's content starts at `itemOffset`, under a key at `keyColumn`. */
export function seqStyleAt(text: string, itemOffset: number, keyColumn: number): SeqStyle {
  const dash = dashColumnOf(text, itemOffset);
  return { dashOffset: dash - keyColumn, pad: Math.max(1, columnOf(text, itemOffset) - dash - 1) };
}

/** One block-sequence item made of `key: value` lines, each `[depth, text]` relative to the item's content column. */
export function renderSeqItem(dashColumn: number, style: SeqStyle, lines: string[]): string[] {
  const content = dashColumn + 1 + style.pad;
  return lines.map((l, i) => (i === 0 ? `${sp(dashColumn)}-${sp(style.pad)}${l}` : `${sp(content)}${l}`));
}

export { sp as spaces };
