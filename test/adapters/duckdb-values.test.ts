import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, isCalendarDate } from '../../src/util/calendar.js';
import { formatIsoTimestamp } from '../../src/util/instant.js';
import { REGISTRY_COLUMNS, UPDATABLE_COLUMNS, parseIsoTimestamp } from '../../src/adapters/registry/columns.js';
import { insertHistorySql, mergeRegistrySql, quoteIdent, selectSql } from '../../src/adapters/registry/duckdb-sql.js';
import { decodeValue, encodeValue, formatNaiveTimestamp } from '../../src/adapters/registry/duckdb-values.js';

describe('calendar arithmetic', () => {
  it('agrees with Date.UTC for every day from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 84000 }), (days) => {
        const d = new Date(days * 86_400_000);
        expect(civilFromDays(days)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
        expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(days);
      }),
    );
  });

  it.each([
    ['2026-01-08', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-8', false],
    ['2026-01-08T00:00:00Z', false],
    ['0000-01-01', false],
  ])('isCalendarDate(%j) is %s', (s, ok) => {
    expect(isCalendarDate(s)).toBe(ok);
  });
});

describe('timestamps', () => {
  it('round-trips every Date#toISOString() byte for byte', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30610224000000, max: 253402300799999 }), (ms) => {
        const iso = new Date(ms).toISOString();
        const micros = parseIsoTimestamp(iso);
        expect(micros).toBe(BigInt(ms) * 1000n);
        expect(formatIsoTimestamp(micros!)).toBe(iso);
      }),
    );
  });

  it('applies offsets, keeps microseconds and refuses zone-less or impossible times', () => {
    expect(formatIsoTimestamp(parseIsoTimestamp('2026-02-08T15:47:49+01:00')!)).toBe('2026-02-08T14:47:49.000Z');
    expect(formatIsoTimestamp(parseIsoTimestamp('2026-02-08T09:17:49.5-05:30')!)).toBe('2026-02-08T14:47:49.500Z');
    expect(formatIsoTimestamp(parseIsoTimestamp('2026-02-08T14:47:49.000001Z')!)).toBe('2026-02-08T14:47:49.000001Z');
    expect(formatNaiveTimestamp(parseIsoTimestamp('1969-12-31T23:59:59.999999Z')!)).toBe('1969-12-31 23:59:59.999999');
    for (const bad of ['2026-02-08T14:47:49', '2026-02-08 14:47:49Z', '2026-02-30T00:00:00Z', '2026-02-08T24:00:00Z', '2026-02-08T14:47:49.1234567Z', 'yesterday']) {
      expect(parseIsoTimestamp(bad), bad).toBeUndefined();
    }
  });
});

describe('value encoding', () => {
  const col = (type: (typeof REGISTRY_COLUMNS)[number]['type'], required = false) => ({ name: 'c', type, required });

  it('turns lone surrogates into U+FFFD and keeps everything else', () => {
    expect(encodeValue(col('STRING'), 'a\uD800b')).toBe('a\uFFFDb');
    expect(encodeValue(col('STRING'), '😀\u0000\n\'"\\')).toBe('😀\u0000\n\'"\\');
  });

  it('refuses values of the wrong kind', () => {
    expect(() => encodeValue(col('INT64'), 2 ** 53)).toThrow(/whole number/);
    expect(() => encodeValue(col('INT64'), '3')).toThrow(/whole number/);
    expect(() => encodeValue(col('FLOAT64'), Infinity)).toThrow(/finite/);
    expect(() => encodeValue(col('BOOL'), 1)).toThrow(/true or false/);
    expect(() => encodeValue(col('STRING'), 5)).toThrow(/string/);
    expect(() => encodeValue(col('STRING', true), null)).toThrow(/required/);
    expect(encodeValue(col('DATE'), undefined)).toBeNull();
  });

  it('decodes DuckDB values without a Date', () => {
    expect(decodeValue(col('DATE'), { days: 20461 })).toBe('2026-01-08');
    expect(decodeValue(col('TIMESTAMP'), { micros: 1770562069123000n })).toBe('2026-02-08T14:47:49.123Z');
    expect(decodeValue(col('INT64'), 9993n)).toBe(9993);
    expect(decodeValue(col('FLOAT64'), null)).toBeNull();
  });
});

describe('SQL text', () => {
  it('is one MERGE whose identifiers all come from the column list and whose values are parameters', () => {
    const sql = mergeRegistrySql('model_registry');
    expect(sql.match(/\bMERGE\b/g)).toHaveLength(1);
    expect(sql).not.toContain(';');
    // The only literal is the batch's JSON shape, built from the column list too.
    const literals = [...sql.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]);
    expect(literals).toHaveLength(1);
    expect(Object.keys(JSON.parse(literals[0])[0])).toEqual(REGISTRY_COLUMNS.map((c) => c.name));
    const code = sql.replace(/'(?:[^']|'')*'/g, "''");
    const quoted = new Set([...code.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect([...quoted].sort()).toEqual([...REGISTRY_COLUMNS.map((c) => c.name), 'model_registry'].sort());
    expect([...code.matchAll(/\$(\w+)/g)].map((m) => m[1]).sort()).toEqual(['now', 'rows']);
    // created_at / created_by are never in the UPDATE branch.
    const update = sql.slice(sql.indexOf('UPDATE SET'), sql.indexOf('WHEN NOT MATCHED'));
    expect(update).not.toMatch(/created_(at|by)/);
    for (const c of UPDATABLE_COLUMNS) expect(update).toContain(`"${c}" = s."${c}"`);
  });

  it('inserts history from one parameter and filters with parameters', () => {
    expect([...insertHistorySql('h').matchAll(/\$(\w+)/g)].map((m) => m[1])).toEqual(['events']);
    expect(selectSql('t', REGISTRY_COLUMNS, [{ column: 'training_end_date', param: 'end', cast: 'DATE' }], ['model_id'])).toContain(
      '"training_end_date" = CAST($end AS DATE)',
    );
    expect(() => quoteIdent('x"; DROP TABLE y; --')).toThrow(/unsafe/);
  });
});
