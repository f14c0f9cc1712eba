import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../src/schema/json-schema.js';
import { run } from '../helpers/cli.js';
import { EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';
import { exampleWithDocs } from './helpers.js';

/** `{"a":{"a":…{"a":1}…}}`, `depth` objects deep. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Item: deeply nested JSON (5,000 levels in evaluation or gates) is exit 2, without a stack trace. */
describe('deeply nested JSON', { timeout: 120_000 }, () => {
  it('5,000 levels in a model\'s evaluation: exit 2 naming the file, line and path; no stack trace', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, EXAMPLE_MANIFEST);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"evaluation": {', `"evaluation": {"deep": ${nested(5000)},`));
    for (const args of [['docs'], ['sync'], ['gates', PROD_ID]]) {
      const r = await run(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/manifest\.json:\d+: JSON nested deeper than 64 levels \(at models\./);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('internal error');
    }
    // drift reports a manifest that fails validation as a `manifest` finding (exit 1, see README).
    const drift = await run(dir, ['drift']);
    expect(drift.code, drift.stderr).toBe(1);
    expect(drift.stdout).toContain('JSON nested deeper than 64 levels');
    expect(drift.stderr).not.toMatch(/\n\s+at /);
  });

  it('5,000 levels in the config\'s gates: exit 2, no stack trace', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, 'modelgov.config.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"gates": [', `"gates": [{"id": "x", "metric": "mae", "min": ${nested(5000)}},`));
    const r = await run(dir, ['gates', PROD_ID]);
    expect(r.code).toBe(2);
    const line = text.slice(0, text.indexOf('"gates": [')).split('\n').length;
    expect(r.stderr).toContain(`modelgov.config.json:${line}: JSON nested deeper than 64 levels (at gates[0].min.a.a.a.a.a…); flatten the value`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the parser itself: 100,000 levels and more is an error message, not a crash', () => {
    const r = parseJsonText('['.repeat(200_000) + ']'.repeat(200_000), 'x.json');
    expect(r.value).toBeUndefined();
    expect(r.error).toMatch(/^x\.json/);
  });
});

/** Item: a key twice in one object (JSON keeps the last one, silently dropping the first) is exit 2 naming both lines. */
describe('duplicate keys', { timeout: 120_000 }, () => {
  it('a model id twice in the manifest: exit 2 naming both lines; nothing written', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, EXAMPLE_MANIFEST);
    const m = JSON.parse(readFileSync(file, 'utf8'));
    const lines = JSON.stringify(m, null, 2).split('\n');
    // The production model's block again, right after itself: the same key twice in "models".
    const start = lines.findIndex((l) => l === `    "${PROD_ID}": {`);
    const end = lines.findIndex((l, i) => i > start && l.startsWith('    }'));
    const block = lines.slice(start, end + 1);
    block[block.length - 1] = '    },';
    const text = [...lines.slice(0, start), ...block, ...lines.slice(start)].join('\n') + '\n';
    writeFileSync(file, text);
    const claude = readFileSync(join(dir, 'CLAUDE.md'));
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`manifest.json:${start + 1 + block.length}: duplicate key "${PROD_ID}" (first at line ${start + 1})`);
    expect(readFileSync(join(dir, 'CLAUDE.md')).equals(claude)).toBe(true);
  });

  it('a key twice in the config: exit 2 naming both lines', async () => {
    const dir = exampleWithDocs();
    const file = join(dir, 'modelgov.config.json');
    const text = readFileSync(file, 'utf8').replace('"registry": "duckdb:.modelgov/registry.duckdb",', '"registry": "duckdb:.modelgov/registry.duckdb",\n  "registry": "duckdb:other.duckdb",');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('"registry"')) + 1;
    const r = await run(dir, ['docs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`modelgov.config.json:${line + 1}: duplicate key "registry" (first at line ${line})`);
  });

  it('the scanner: escapes, nesting, arrays and the same key in different objects', () => {
    expect(parseJsonText('{"a": {"b": 1}, "c": {"b": 2}, "d": [{"b": 1}, {"b": 2}]}', 'x.json').error).toBeUndefined();
    expect(parseJsonText('{"a\\u0062": 1, "ab": 2}', 'x.json').error).toBe(
      'x.json:1: duplicate key "ab" (first at line 1); JSON keeps only the last one, so ab would silently lose a value — remove or rename one of them',
    );
    expect(parseJsonText('{"s": "a \\"b\\" {\\"x\\": 1, \\"x\\": 2}", "l": [1, {"k": 1,\n"k": 2}]}', 'x.json').error).toMatch(/^x\.json:2: duplicate key "k" \(first at line 1\).* l\[1\]\.k /);
  });
});
