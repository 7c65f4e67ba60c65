import { matrixFromArrays, positionalFeatureNames } from '../../../shared/iforest/feature_matrix';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';
import { importSklearnForest } from '../../../shared/iforest/sklearn_import';
import { loadSklearnFixtures } from '../../helpers/sklearn_fixtures';

const fixtures = loadSklearnFixtures();

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

test('all four scikit-learn fixtures are present', () => {
  expect(fixtures.map((f) => f.file)).toEqual([
    'sklearn_dex_like_ties_constant.json',
    'sklearn_gaussian_default.json',
    'sklearn_subsampled_features_contamination.json',
    'sklearn_tiny_training_set.json',
  ]);
});

describe.each(fixtures)('$file', ({ json }) => {
  const matrix = matrixFromArrays(positionalFeatureNames(json.n_features), json.test.X);

  describe.each(['complete', 'linked'] as const)('%s layout', (layout) => {
    const forest = new IsolationForest(importSklearnForest(json).model, layout);

    test('score_samples matches scikit-learn to 1e-12', () => {
      const ours = forest.scoreSamples(matrix);
      expect(ours.length).toBe(json.test.score_samples.length);
      expect(maxAbsDiff(ours, json.test.score_samples)).toBeLessThan(1e-12);
    });

    test('decision_function matches scikit-learn to 1e-12', () => {
      expect(maxAbsDiff(forest.decisionFunction(matrix), json.test.decision_function)).toBeLessThan(1e-12);
    });

    test('predict matches scikit-learn exactly', () => {
      expect(Array.from(forest.predict(matrix))).toEqual(json.test.predict);
    });
  });
});

test('the fixtures exercise both labels and the float32 cast', () => {
  const dex = fixtures.find((f) => f.file === 'sklearn_dex_like_ties_constant.json')!.json;
  expect(dex.test.predict.filter((p) => p === -1).length).toBeGreaterThan(0);
  expect(dex.test.predict.filter((p) => p === 1).length).toBeGreaterThan(0);
});
