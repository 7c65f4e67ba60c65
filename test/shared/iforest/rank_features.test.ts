import { rankFeatures } from '../../../shared/iforest/rank_features';

test('ranks one row of an explanation, largest contribution first', () => {
  const values = Float64Array.from([0.1, 0.9, 0.3, /* row 1 */ -2, 0.5, -0.25]);
  expect(rankFeatures(values, 0, ['tvl', 'volume', 'fees'])).toEqual([
    { feature: 'volume', contribution: 0.9 },
    { feature: 'fees', contribution: 0.3 },
    { feature: 'tvl', contribution: 0.1 },
  ]);
  // TreeSHAP on path length: the most negative value made the row most abnormal.
  expect(rankFeatures(values, 1, ['tvl', 'volume', 'fees'], -1).map((c) => c.feature)).toEqual(['tvl', 'fees', 'volume']);
});
