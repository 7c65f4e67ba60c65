import { matrixFromArrays } from '../../../shared/iforest/feature_matrix';
import { importSklearnForest } from '../../../shared/iforest/sklearn_import';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';

/** One stump: x <= threshold goes to a leaf of 1 sample, else to a leaf of 3 samples. */
function stump(threshold: number) {
  return {
    sklearn_version: '1.2.1',
    params: { n_estimators: 1, max_samples: 'auto', max_samples_: 4, max_features: 1.0, contamination: 'auto', random_state: 0 },
    n_features: 1,
    offset: -0.5,
    trees: [{ left: [1, -1, -1], right: [2, -1, -1], feature: [0, -1, -1], threshold: [threshold, 0, 0], n_node_samples: [4, 1, 3] }],
  };
}

// c(4) = 2(ln 3 + gamma) - 1.5; leaf values: left 1 + c(1) = 1, right 1 + c(3).
const c = (n: number): number => 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
const leftScore = -(2 ** -(1 / c(4)));
const rightScore = -(2 ** -((1 + c(3)) / c(4)));

describe.each(['complete', 'linked'] as const)('%s layout', (layout) => {
  test('a row equal to a float32 threshold goes left, as after sklearn\'s float32 cast', () => {
    // fround(0.7) = 0.699999988... < 0.7: compared in float64, 0.7 would go right.
    const forest = new IsolationForest(importSklearnForest(stump(Math.fround(0.7))).model, layout);
    const scores = forest.scoreSamples(matrixFromArrays(['f0'], [[0.7], [0.70000002]]));
    expect(scores[0]).toBeCloseTo(leftScore, 14);
    expect(scores[1]).toBeCloseTo(rightScore, 14);
    expect(leftScore).not.toBeCloseTo(rightScore, 3);
  });
});

test('a value beyond float32 range is rejected, naming row and feature', () => {
  const forest = importSklearnForest(stump(0.5));
  expect(() => forest.scoreSamples(matrixFromArrays(['f0'], [[1], [1e39]]))).toThrow("row 1: feature 'f0': 1e+39 is beyond float32's range");
  expect(() => forest.scoreSamples(matrixFromArrays(['f0'], [[Number.NaN]]))).toThrow("row 0: feature 'f0': NaN is not finite");
});
