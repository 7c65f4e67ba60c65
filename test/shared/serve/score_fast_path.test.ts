import fc from 'fast-check';
import { wellFormedRows } from '../../../shared/serve/score_fast_path';
import { FLOAT32_MAX, MAX_ROWS, scoreRequestSchema } from '../../../shared/serve/score_schema';

const NAMES = ['volume', 'tvl', 'turnover'];
const schema = scoreRequestSchema(NAMES);
const features = { volume: 1.5, tvl: -2, turnover: 0 };

test.each([
  ['one row', { rows: [{ features }] }],
  ['with pool ids', { rows: [{ pool_id: '0xabc', features }, { features: { turnover: 3, tvl: 2, volume: 1 }, pool_id: 'x'.repeat(256) }] }],
  ['float32 limits', { rows: [{ features: { volume: FLOAT32_MAX, tvl: -FLOAT32_MAX, turnover: -0 } }] }],
  ['the most rows', { rows: Array.from({ length: MAX_ROWS }, () => ({ features })) }],
])('accepts %s, the rows zod returns', (_name, body) => {
  const parsed = schema.safeParse(body);
  expect(parsed.success).toBe(true);
  expect(wellFormedRows(body, NAMES)).toEqual(parsed.data?.rows);
});

test.each([
  ['null', null],
  ['an array', [{ features }]],
  ['no rows', {}],
  ['an extra top-level key', { rows: [{ features }], extra: 1 }],
  ['rows not an array', { rows: { 0: { features } } }],
  ['no row', { rows: [] }],
  ['too many rows', { rows: Array.from({ length: MAX_ROWS + 1 }, () => ({ features })) }],
  ['a row that is null', { rows: [null] }],
  ['a row without features', { rows: [{ pool_id: 'a' }] }],
  ['a row with an unknown key', { rows: [{ features, pool: 'a' }] }],
  ['two keys but no pool_id', { rows: [{ features, other: 'a' }] }],
  ['an empty pool_id', { rows: [{ pool_id: '', features }] }],
  ['a long pool_id', { rows: [{ pool_id: 'x'.repeat(257), features }] }],
  ['a numeric pool_id', { rows: [{ pool_id: 7, features }] }],
  ['features an array', { rows: [{ features: [1, 2, 3] }] }],
  ['a missing feature', { rows: [{ features: { volume: 1, tvl: 2 } }] }],
  ['an unknown feature instead of one', { rows: [{ features: { volume: 1, tvl: 2, turnovr: 3 } }] }],
  ['an extra feature', { rows: [{ features: { ...features, extra: 1 } }] }],
  ['a string value', { rows: [{ features: { ...features, tvl: '2' } }] }],
  ['NaN', { rows: [{ features: { ...features, tvl: Number.NaN } }] }],
  ['infinity', { rows: [{ features: { ...features, tvl: Infinity } }] }],
  ['beyond float32', { rows: [{ features: { ...features, tvl: -1e39 } }] }],
  ['an own __proto__ key', { rows: [{ features: JSON.parse('{"volume":1,"tvl":2,"turnover":3,"__proto__":4}') as unknown }] }],
  ['an inherited feature', { rows: [{ features: Object.assign(Object.create({ turnover: 3 }) as object, { volume: 1, tvl: 2, other: 0 }) }] }],
])('leaves %s to zod, which refuses it', (_name, body) => {
  expect(wellFormedRows(body, NAMES)).toBeUndefined();
  expect(schema.safeParse(body).success).toBe(false);
});

const finite = fc.double({ min: -FLOAT32_MAX, max: FLOAT32_MAX, noNaN: true });
/** Mostly valid, now and then one thing wrong: both verdicts come up often. */
const often = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
const value = often(finite, fc.oneof(fc.double(), fc.constantFrom(1e39, -1e39, Infinity), fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean()));
const name = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 4 }));
const randomFeatures = often(
  fc.record({ volume: value, tvl: value, turnover: value }, { requiredKeys: [] }).map((f) => ({ volume: 1, tvl: 2, turnover: 3, ...f })),
  fc.oneof(fc.record({ volume: value, tvl: value, turnover: value }, { requiredKeys: [] }), fc.dictionary(name, value, { maxKeys: 4 }), fc.anything()),
);
const row = often(
  fc.record({ pool_id: often(fc.string({ minLength: 1, maxLength: 256 }), fc.oneof(fc.string({ maxLength: 300 }), fc.integer())), features: randomFeatures }, { requiredKeys: ['features'] }),
  fc.oneof(fc.record({ pool_id: fc.string(), features: randomFeatures, extra: fc.anything() }, { requiredKeys: [] }), fc.anything()),
);
const body = often(fc.record({ rows: fc.array(row, { minLength: 1, maxLength: 4 }) }), fc.oneof(fc.record({ rows: fc.oneof(fc.array(row, { maxLength: 4 }), fc.anything()), other: fc.anything() }, { requiredKeys: [] }), fc.anything()));

test('on random bodies, the fast path accepts only what zod accepts, with the same rows', () => {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(body, (b) => {
      // Through JSON, as the framework delivers it.
      const text = JSON.stringify(b) as string | undefined;
      const parsedBody: unknown = text === undefined ? undefined : JSON.parse(text);
      const fast = wellFormedRows(parsedBody, NAMES);
      const slow = schema.safeParse(parsedBody);
      if (fast !== undefined) {
        accepted++;
        expect(slow.success).toBe(true);
        expect(fast).toEqual(slow.data?.rows);
      } else if (!slow.success) {
        refused++;
      }
    }),
    { numRuns: 3000, seed: 14 },
  );
  // Both verdicts came up often enough for the property to mean something.
  expect(accepted).toBeGreaterThan(300);
  expect(refused).toBeGreaterThan(300);
});

test('on valid random bodies the fast path always answers', () => {
  const validRow = fc.record({ pool_id: fc.string({ minLength: 1, maxLength: 256 }), features: fc.record({ volume: finite, tvl: finite, turnover: finite }) }, { requiredKeys: ['features'] });
  fc.assert(
    fc.property(fc.array(validRow, { minLength: 1, maxLength: 20 }), (rows) => {
      const b = JSON.parse(JSON.stringify({ rows })) as unknown;
      expect(schema.safeParse(b).success).toBe(true);
      expect(wellFormedRows(b, NAMES)).toEqual(rows.map((r) => JSON.parse(JSON.stringify(r)) as unknown));
    }),
    { numRuns: 500, seed: 14 },
  );
});
