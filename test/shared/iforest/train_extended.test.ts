import { matrixFromArrays } from '../../../shared/iforest/feature_matrix';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';
import { serializeModel } from '../../../shared/iforest/model_file';
import { Rng } from '../../../shared/rng';
import { rocAuc } from '../../../shared/metrics/ranking';
import { gaussianWithOutliers, negate } from '../../helpers/synthetic';

const rng = new Rng(5);
const blob = matrixFromArrays(['x', 'y'], Array.from({ length: 3000 }, () => [rng.nextNormal(), rng.nextNormal()]));
const ring = (radius: number) =>
  matrixFromArrays(['x', 'y'], Array.from({ length: 72 }, (_, k) => [radius * Math.cos((k * Math.PI) / 36), radius * Math.sin((k * Math.PI) / 36)]));

function spread(values: Float64Array): number {
  return Math.max(...values) - Math.min(...values);
}

function planeSizes(forest: IsolationForest): Set<number> {
  const f = forest.model.forest;
  const sizes = new Set<number>();
  for (let i = 0; i < f.left.length; i++) if (f.left[i] !== -1) sizes.add(f.planeOffsets![i + 1]! - f.planeOffsets![i]!);
  return sizes;
}

test.each([0, 1, 2, 3])('seed %i: hyperplane cuts score a ring around an isotropic blob more evenly than axis cuts', (seed) => {
  // Axis-parallel cuts leave score bands along the axes (Hariri et al., fig. 2): equally far
  // points score differently by angle. Extended cuts remove most of that.
  const axis = IsolationForest.fit(blob, { seed, nEstimators: 200 });
  const extended = IsolationForest.fit(blob, { seed, nEstimators: 200, kind: 'extended' });
  expect(spread(extended.scoreSamples(ring(3.5)))).toBeLessThan(0.6 * spread(axis.scoreSamples(ring(3.5))));
});

test('far points score as more abnormal than near points', () => {
  const extended = IsolationForest.fit(blob, { seed: 1, kind: 'extended' });
  expect(Math.max(...extended.scoreSamples(ring(4)))).toBeLessThan(Math.min(...extended.scoreSamples(ring(0.3))));
});

test('extension level 0 cuts on one feature; the default full extension on all of them', () => {
  const { matrix } = gaussianWithOutliers(500, 10, 4, 2);
  expect(planeSizes(IsolationForest.fit(matrix, { seed: 1, kind: 'extended', extensionLevel: 0, nEstimators: 10 }))).toEqual(new Set([1]));
  expect(planeSizes(IsolationForest.fit(matrix, { seed: 1, kind: 'extended', extensionLevel: 2, nEstimators: 10 }))).toEqual(new Set([3]));
  const full = IsolationForest.fit(matrix, { seed: 1, kind: 'extended', nEstimators: 10 });
  expect(full.model.params.extensionLevel).toBe(3);
  expect(planeSizes(full)).toEqual(new Set([4]));
});

test('finds outliers, deterministically for a seed', () => {
  const { matrix, labels } = gaussianWithOutliers(2000, 40, 6, 3);
  const a = IsolationForest.fit(matrix, { seed: 4, kind: 'extended' });
  expect(rocAuc(negate(a.scoreSamples(matrix)), labels)).toBeGreaterThan(0.98);
  expect(serializeModel(IsolationForest.fit(matrix, { seed: 4, kind: 'extended' }).model)).toBe(serializeModel(a.model));
});

test('constant columns and duplicate rows do not break it', () => {
  const rows = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? [1, 5, 0] : [i % 7, 5, Math.sin(i)]));
  const m = matrixFromArrays(['a', 'const', 'b'], rows);
  const forest = IsolationForest.fit(m, { seed: 2, kind: 'extended' });
  const f = forest.model.forest;
  for (let k = 0; k < f.planeFeature!.length; k++) expect(f.planeFeature![k]).not.toBe(1);
  expect(forest.scoreSamples(m).every(Number.isFinite)).toBe(true);
});
