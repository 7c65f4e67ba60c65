import { Rng } from '../../shared/rng';
import { positionalFeatureNames, type FeatureMatrix } from '../../shared/iforest/feature_matrix';

/** n standard-normal rows followed by `outliers` rows uniform in [-8, 8]^d; labels mark the latter. */
export function gaussianWithOutliers(n: number, outliers: number, cols: number, seed: number): { matrix: FeatureMatrix; labels: Uint8Array } {
  const rng = new Rng(seed);
  const rows = n + outliers;
  const values = new Float64Array(rows * cols);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = r < n ? rng.nextNormal() : rng.nextFloat() * 16 - 8;
    labels[r] = r < n ? 0 : 1;
  }
  return { matrix: { featureNames: positionalFeatureNames(cols), rows, values }, labels };
}

export function negate(values: Float64Array): Float64Array {
  return values.map((v) => -v);
}
