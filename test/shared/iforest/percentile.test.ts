import { percentileLinear } from '../../../shared/iforest/percentile';

// Expected values from numpy 1.24 np.percentile (method 'linear').
test.each([
  { values: [1, 2, 3, 4], q: 50, expected: 2.5 },
  { values: [4, 1, 3, 2], q: 25, expected: 1.75 },
  { values: [10, 20, 30], q: 5, expected: 11 },
  { values: [10, 20, 30], q: 100, expected: 30 },
  { values: [10, 20, 30], q: 0, expected: 10 },
  { values: [-0.61, -0.45, -0.43, -0.4, -0.39], q: 90, expected: -0.394 },
  { values: [7], q: 37, expected: 7 },
])('percentile $q of $values is $expected', ({ values, q, expected }) => {
  expect(percentileLinear(values, q)).toBeCloseTo(expected, 14);
});

test('an empty array has no percentile', () => {
  expect(() => percentileLinear([], 5)).toThrow('percentile of an empty array');
});
