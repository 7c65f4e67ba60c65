import { matrixFromArrays, matrixFromRecords } from '../../../shared/iforest/feature_matrix';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';

const names = ['log_volume', 'log_tvl'];

test('records become a row-major matrix in the model\'s feature order', () => {
  const m = matrixFromRecords(names, [{ log_tvl: 2, log_volume: 1 }, { log_volume: 3, log_tvl: 4 }]);
  expect(Array.from(m.values)).toEqual([1, 2, 3, 4]);
  expect(m.rows).toBe(2);
});

test.each([
  [[{ log_volume: 1 }], "row 0: feature 'log_tvl' is missing"],
  [[{ log_volume: 1, log_tvl: 2, fee_tier: 3 }], "row 0: unknown feature 'fee_tier' (the model expects log_volume, log_tvl)"],
  [[{ log_volume: 1, log_tvl: 2 }, { log_volume: '7', log_tvl: 2 }], "row 1: feature 'log_volume' must be a number, got string"],
  [[{ log_volume: Number.NaN, log_tvl: 2 }], "row 0: feature 'log_volume' must be finite, got NaN"],
  [[{ log_volume: 1, log_tvl: Number.NEGATIVE_INFINITY }], "row 0: feature 'log_tvl' must be finite, got -Infinity"],
])('records %j are refused: %s', (records, message) => {
  expect(() => matrixFromRecords(names, records)).toThrow(message);
});

test('a model refuses columns other than its own, naming the difference', () => {
  const forest = IsolationForest.fit(matrixFromArrays(names, [[1, 2], [3, 4], [5, 1]]), { seed: 0 });
  expect(() => forest.scoreSamples(matrixFromArrays(['log_volume', 'turnover'], [[1, 2]]))).toThrow(
    'features do not match the model: missing [log_tvl], extra [turnover]; expected [log_volume, log_tvl]',
  );
  expect(() => forest.scoreSamples(matrixFromArrays(['log_tvl', 'log_volume'], [[1, 2]]))).toThrow('same names in another order');
});

test('feature names must be distinct and non-empty, for training too', () => {
  expect(() => matrixFromArrays(['a', 'a'], [[1, 2]])).toThrow("feature 'a' is named twice");
  expect(() => IsolationForest.fit({ featureNames: ['a', ''], rows: 1, values: Float64Array.from([1, 2]) })).toThrow('feature names must be non-empty');
  expect(() => matrixFromArrays(['a', 'b'], [[1]])).toThrow('row 0 has 1 values, expected 2 (a, b)');
});
