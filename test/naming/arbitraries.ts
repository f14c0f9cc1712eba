import fc from 'fast-check';
import type { ParsedModelName } from '../../src/naming/index.js';

const DAY_MS = 86_400_000;
/** 0001-01-01 and 9999-12-31 as days since the epoch: the years a name can carry. */
const FIRST_DAY = -719_162;
const LAST_DAY = 2_932_896;

const two = (n: number): string => String(n).padStart(2, '0');

function isoDay(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** Segments start with a letter, so no generated id can look like `{n}f` after a shorter one. */
export const systemId = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(_[a-z][a-z0-9]{0,5}){0,2}$/);

/** A valid variant tag: `[a-z0-9.]+`. */
export const variant = fc.stringMatching(/^[a-z0-9.]{1,6}$/);

/**
 * Valid name parts, the `at` that formats to them, and a system list to parse with that
 * always holds a shorter id which is a prefix of the system (longest-first matching).
 */
export const validNameCase = fc
  .record({
    system: systemId,
    others: fc.array(systemId, { maxLength: 3 }),
    features: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    variants: fc.array(variant, { maxLength: 4 }),
    days: fc.tuple(
      fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
      fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
      fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
    ),
    secondOfDay: fc.integer({ min: 0, max: 86_399 }),
    millis: fc.integer({ min: 0, max: 999 }),
    ext: fc.oneof(fc.constantFrom('.cbm', '', '.tar.gz', '.json'), fc.stringMatching(/^(\.[A-Za-z0-9]{1,4}){1,2}$/)),
  })
  .map(({ system, others, features, variants, days, secondOfDay, millis, ext }) => {
    const [start, end, created] = [...days].sort((a, b) => a - b);
    const parts: ParsedModelName = {
      system,
      features,
      variants,
      trainStart: isoDay(start),
      trainEnd: isoDay(end),
      createdDate: isoDay(created),
      createdTime: `${two(Math.floor(secondOfDay / 3600))}:${two(Math.floor(secondOfDay / 60) % 60)}:${two(secondOfDay % 60)}`,
      ext,
    };
    const at = new Date(created * DAY_MS + secondOfDay * 1000 + millis);
    return { parts, at, systemIds: [system.split('_')[0], ...others, system] };
  });

/** One edit to a string: replace, delete or insert a character that matters to the grammar. */
export const edit = fc.record({
  op: fc.constantFrom('replace', 'delete', 'insert'),
  position: fc.nat(),
  char: fc.constantFrom('0', '1', '2', '3', '5', '9', '_', '-', '.', 'a', 'f', 't', 'Z', ' ', '/'),
});

export function applyEdit(s: string, e: { op: string; position: number; char: string }): string {
  const i = e.position % (s.length + 1);
  if (e.op === 'insert') return s.slice(0, i) + e.char + s.slice(i);
  if (i === s.length) return s;
  return s.slice(0, i) + (e.op === 'replace' ? e.char : '') + s.slice(i + 1);
}

/** System ids for near-miss names: nested ids, one ending like a feature count, one with a space. */
export const NEAR_MISS_SYSTEMS = ['cb', 'cb_v9', 'cb_5f', 'x y'];

/** Mostly a valid value (10:1), sometimes one just past a boundary. */
function mostly<T>(valid: fc.Arbitrary<T>, broken: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 10 }, { arbitrary: fc.constantFrom(...broken), weight: 1 });
}

const rawDate = fc
  .tuple(
    mostly(fc.constantFrom('2024', '2025', '2026', '2000', '1900', '0001', '9999'), ['0000']),
    mostly(fc.integer({ min: 1, max: 12 }), [0, 13]),
    mostly(fc.integer({ min: 1, max: 28 }), [0, 29, 30, 31, 32]),
  )
  .map(([y, m, d]) => `${y}${two(m)}${two(d)}`);

/**
 * A raw file name assembled from boundary values of every field (day 00–32, month 00–13,
 * century leap years, 24:00:00 and :60, leading zeros, bad variants, unknown, nested and
 * malformed system ids, case-variant and compound extensions). Each field is valid ten
 * times out of eleven, so a name often breaks exactly one rule and every rule is
 * exercised on both sides of its boundary.
 */
export const nearMissName = fc
  .record({
    system: mostly(fc.constantFrom('cb', 'cb_v9', 'cb_5f'), ['x y', 'cb_v8', 'zz']),
    // 2^53 - 1 is the largest safe count; 2^53 is the first that is not.
    features: mostly(fc.constantFrom('1', '9', '33', '100', '123456789012345', '9007199254740991'), [
      '0',
      '00',
      '01',
      '007',
      '9007199254740992',
    ]),
    variants: fc.array(mostly(fc.constantFrom('q0.43', 'noveg', '2stg', 'wt', 'train2025', '07f', '.'), ['', 'Q', 'a-b']), {
      maxLength: 3,
    }),
    dates: fc.tuple(rawDate, rawDate, rawDate),
    sortDates: mostly(fc.constant(true), [false]),
    time: fc.tuple(
      mostly(fc.integer({ min: 0, max: 23 }), [24, 25]),
      mostly(fc.integer({ min: 0, max: 59 }), [60, 61]),
      mostly(fc.integer({ min: 0, max: 59 }), [60, 61]),
    ),
    ext: mostly(fc.constantFrom('.cbm', '.tar.gz'), ['.CBM', '.x.cbm', '.c-b.cbm', '.json', '']),
  })
  .map(({ system, features, variants, dates, sortDates, time, ext }) => {
    const [start, end, created] = sortDates ? [...dates].sort() : dates;
    const v = variants.map((x) => `_${x}`).join('');
    return `${system}_${features}f${v}_train${start}-${end}_${created}_${time.map(two).join('')}${ext}`;
  });
