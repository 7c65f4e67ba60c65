import { matrixFromArrays, positionalFeatureNames } from '../../../shared/iforest/feature_matrix';
import { maxLeafDepth, treeCount } from '../../../shared/iforest/forest_arrays';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';
import { serializeModel } from '../../../shared/iforest/model_file';
import type { TrainOptions } from '../../../shared/iforest/params';
import { averagePathLength } from '../../../shared/iforest/path_length';
import { percentileLinear } from '../../../shared/iforest/percentile';
import { rocAuc } from '../../../shared/metrics/ranking';
import { gaussianWithOutliers, negate } from '../../helpers/synthetic';

const { matrix, labels } = gaussianWithOutliers(2000, 40, 6, 1);

test('same seed and data give a byte-identical model; another seed does not', () => {
  const a = serializeModel(IsolationForest.fit(matrix, { seed: 7 }).model);
  const b = serializeModel(IsolationForest.fit(matrix, { seed: 7 }).model);
  const c = serializeModel(IsolationForest.fit(matrix, { seed: 8 }).model);
  expect(a).toBe(b);
  expect(c).not.toBe(a);
});

test('ranks far outliers above Gaussian inliers', () => {
  const forest = IsolationForest.fit(matrix, { seed: 3 });
  expect(rocAuc(negate(forest.scoreSamples(matrix)), labels)).toBeGreaterThan(0.98);
});

test.each([
  { rows: 2040, maxSamples: 'auto' as const, used: 256, height: 8 },
  { rows: 90, maxSamples: 'auto' as const, used: 90, height: 7 },
  { rows: 2040, maxSamples: 64, used: 64, height: 6 },
  { rows: 2040, maxSamples: 5000, used: 2040, height: 11 },
  { rows: 2040, maxSamples: 0.1, used: 204, height: 8 },
])('maxSamples $maxSamples on $rows rows uses $used rows per tree, height limit $height', ({ rows, maxSamples, used, height }) => {
  const sub = { ...matrix, rows, values: matrix.values.subarray(0, rows * 6) };
  const forest = IsolationForest.fit(sub, { maxSamples, nEstimators: 20, seed: 1 });
  const f = forest.model.forest;
  expect(forest.model.params.maxSamplesUsed).toBe(used);
  expect(forest.model.params.heightLimit).toBe(height);
  for (let t = 0; t < treeCount(f); t++) expect(f.nodeSamples[f.nodeOffsets[t]!]).toBe(used);
  expect(maxLeafDepth(f)).toBeLessThanOrEqual(height);
});

test('maxFeatures 0.5 grows each tree on 3 of 6 features', () => {
  const forest = IsolationForest.fit(matrix, { maxFeatures: 0.5, nEstimators: 30, seed: 2 });
  const f = forest.model.forest;
  const perTree: number[] = [];
  const seen = new Set<number>();
  for (let t = 0; t < treeCount(f); t++) {
    const used = new Set<number>();
    for (let i = f.nodeOffsets[t]!; i < f.nodeOffsets[t + 1]!; i++) if (f.feature[i]! >= 0) used.add(f.feature[i]!);
    perTree.push(used.size);
    used.forEach((c) => seen.add(c));
  }
  expect(forest.model.params.maxFeaturesUsed).toBe(3);
  expect(Math.max(...perTree)).toBe(3);
  expect(seen.size).toBe(6);
});

test('a constant column is never split on', () => {
  const rows = Array.from({ length: 500 }, (_, i) => [Math.sin(i) * 10, 3000, Math.cos(i * 1.7)]);
  const forest = IsolationForest.fit(matrixFromArrays(['vol', 'fee_tier', 'ret'], rows), { seed: 4 });
  const features = new Set(forest.model.forest.feature);
  expect(features.has(1)).toBe(false);
  expect([...features].sort()).toEqual([-1, 0, 2]);
});

test('duplicate rows make single-leaf trees scoring exactly -0.5', () => {
  const rows = Array.from({ length: 300 }, () => [1.5, -2, 7]);
  const forest = IsolationForest.fit(matrixFromArrays(positionalFeatureNames(3), rows), { nEstimators: 10, seed: 0 });
  expect(forest.model.forest.left.length).toBe(10);
  // Each tree is one leaf of 256 rows: path length c(256) over c(256) gives -2^-1.
  expect(Array.from(forest.scoreSamples(matrixFromArrays(positionalFeatureNames(3), [[1.5, -2, 7], [100, 100, 100]])))).toEqual([-0.5, -0.5]);
});

test('mostly duplicated rows still isolate the one distinct row', () => {
  const rows = Array.from({ length: 400 }, (_, i) => (i === 17 ? [9, 9] : [0, 0]));
  const m = matrixFromArrays(['a', 'b'], rows);
  const scores = IsolationForest.fit(m, { seed: 5 }).scoreSamples(m);
  expect(scores[17]).toBeLessThan(-0.6);
  expect(scores[0]).toBeGreaterThan(-0.5);
});

test('a single training row gives sklearn\'s -0.5 (c(1) = 0)', () => {
  const m = matrixFromArrays(['a'], [[3]]);
  const forest = IsolationForest.fit(m, { seed: 0 });
  expect(forest.model.params.maxSamplesUsed).toBe(1);
  expect(Array.from(forest.scoreSamples(m))).toEqual([-0.5]);
});

test('contamination 0.05 flags 5% of the training rows via the offset percentile', () => {
  const forest = IsolationForest.fit(matrix, { contamination: 0.05, seed: 6 });
  const flagged = forest.predict(matrix).filter((p) => p === -1).length;
  // Rows strictly below the interpolated percentile at index (n - 1) * 0.05 = 101.95.
  expect(flagged).toBe(Math.ceil((2040 - 1) * 0.05));
  // Same seed, same trees: the offset is the 5th percentile of the 'auto' model's training scores.
  const autoScores = IsolationForest.fit(matrix, { seed: 6 }).scoreSamples(matrix);
  expect(forest.model.offset).toBe(percentileLinear(autoScores, 5));
});

test('contamination auto fixes the offset at -0.5 and predict is -1 only strictly below it', () => {
  const forest = IsolationForest.fit(matrix, { seed: 6 });
  expect(forest.model.offset).toBe(-0.5);
  const decision = forest.decisionFunction(matrix);
  const labelsOut = forest.predict(matrix);
  decision.forEach((d, i) => { expect(labelsOut[i]).toBe(d < 0 ? -1 : 1); });
});

test('mean path lengths relate to scores by the normaliser c(maxSamples)', () => {
  const forest = IsolationForest.fit(matrix, { seed: 9, nEstimators: 50 });
  const lengths = forest.meanPathLengths(matrix);
  const scores = forest.scoreSamples(matrix);
  for (const r of [0, 100, 2039]) expect(scores[r]).toBeCloseTo(-(2 ** (-lengths[r]! / averagePathLength(256))), 12);
});

test.each<[TrainOptions, string]>([
  [{ nEstimators: 0 }, "invalid Isolation Forest option 'nEstimators'"],
  [{ maxSamples: -3 }, "invalid Isolation Forest option 'maxSamples'"],
  [{ maxFeatures: 9 }, "invalid Isolation Forest option 'maxFeatures': 9 exceeds the 6 features"],
  [{ contamination: 0.7 }, "invalid Isolation Forest option 'contamination'"],
  [{ extensionLevel: 2 }, "invalid Isolation Forest option 'extensionLevel': only applies to kind 'extended'"],
  [{ kind: 'extended' as const, extensionLevel: 6 }, "'extensionLevel': 6 exceeds features per tree - 1 (5)"],
  [JSON.parse('{"trees": 10}') as TrainOptions, 'invalid Isolation Forest option: Unrecognized key: "trees"'],
])('option %j is rejected: %s', (options, message) => {
  expect(() => IsolationForest.fit(matrix, options)).toThrow(message);
});

test('training data with a non-finite value is rejected with its row and feature', () => {
  const values = Float64Array.from(matrix.values);
  values[5 * 6 + 2] = Number.POSITIVE_INFINITY;
  expect(() => IsolationForest.fit({ ...matrix, values })).toThrow("row 5: feature 'f2': Infinity is not finite");
});

test('scoring into a caller buffer gives the same scores and reuses the buffer', () => {
  const forest = IsolationForest.fit(matrix, { seed: 12, nEstimators: 20 });
  const buffer = new Float64Array(4096);
  const scores = forest.scoreSamples(matrix, buffer);
  expect(scores.buffer).toBe(buffer.buffer);
  expect(Array.from(scores)).toEqual(Array.from(forest.scoreSamples(matrix)));
  expect(() => forest.scoreSamples(matrix, new Float64Array(10))).toThrow('output buffer holds 10 values, 2040 rows given');
});
