/**
 * A JSON value with its byte offsets in the source text, so edits can replace one value and
 * leave every other byte (number spelling like `79.0`, spacing, escapes, key order) as it was.
 */
export type JsonSpan =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonSpan[] }
  | { kind: 'scalar'; start: number; end: number };

export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just after the key's closing quote. */
  keyEnd: number;
  value: JsonSpan;
}

/**
 * Parses JSON text into spans (offsets are into `text`, a leading BOM is skipped). Throws a
 * plain Error on malformed input; callers validate the text with JSON.parse first.
 */
export function parseJsonSpans(text: string): JsonSpan {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (what: string): never => {
    throw new Error(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): number => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return start;
  };
  const value = (): JsonSpan => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', start, end: i, members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const keyStart = string();
        const keyEnd = i;
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        const v = value();
        members.push({ key: JSON.parse(text.slice(keyStart, keyEnd)) as string, keyStart, keyEnd, value: v });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', start, end: i, members };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonSpan[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', start, end: i, items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      string();
      return { kind: 'scalar', start, end: i };
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail('expected a value');
    i += m![0].length;
    return { kind: 'scalar', start, end: i };
  };
  const root = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return root;
}

/** The member `key` of an object span (the last one, as JSON.parse does with duplicate keys). */
export function memberOf(span: JsonSpan, key: string): JsonMember | undefined {
  if (span.kind !== 'object') return undefined;
  for (let k = span.members.length - 1; k >= 0; k--) if (span.members[k].key === key) return span.members[k];
  return undefined;
}

/** One text replacement: `text.slice(start, end)` becomes `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/**
 * Sets `key` of the object `obj` to the JSON text `valueJson`. An existing member keeps its
 * place and only its value changes; a new member goes right after the first of `after` that
 * exists (else after the last member), written with the separators and indentation its
 * neighbours use, so the file keeps its own style.
 */
export function setMember(text: string, obj: JsonSpan, key: string, valueJson: string, after: string[] = []): TextEdit {
  if (obj.kind !== 'object') throw new Error(`cannot set "${key}" on a non-object`);
  const existing = memberOf(obj, key);
  if (existing) return { start: existing.value.start, end: existing.value.end, insert: valueJson };
  const keyJson = JSON.stringify(key);
  const ms = obj.members;
  if (ms.length === 0) {
    // `{}` gets the file's indentation one level deeper than the object's own line.
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lineStart = text.lastIndexOf('\n', obj.start - 1) + 1;
    const own = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const unit = detectIndent(text);
    return { start: obj.start + 1, end: obj.end - 1, insert: `${eol}${own}${unit}${keyJson}: ${valueJson}${eol}${own}` };
  }
  const anchorIdx = (() => {
    for (const a of after) {
      for (let k = ms.length - 1; k >= 0; k--) if (ms[k].key === a) return k;
    }
    return ms.length - 1;
  })();
  const anchor = ms[anchorIdx];
  const colon = text.slice(anchor.keyEnd, anchor.value.start);
  let sep: string;
  if (anchorIdx + 1 < ms.length) sep = text.slice(anchor.value.end, ms[anchorIdx + 1].keyStart);
  else if (anchorIdx > 0) sep = text.slice(ms[anchorIdx - 1].value.end, anchor.keyStart);
  else sep = ',' + text.slice(obj.start + 1, anchor.keyStart);
  return { start: anchor.value.end, end: anchor.value.end, insert: `${sep}${keyJson}${colon}${valueJson}` };
}

/** Applies non-overlapping edits (any order) to `text`. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

/** The indentation unit the file uses (the first indented line's leading whitespace), two spaces by default. */
export function detectIndent(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : '  ';
}
