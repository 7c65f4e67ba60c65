import { assertMatrixMatches, type FeatureMatrix } from './feature_matrix';
import { castRowsToFloat32 } from './float32_cast';
import { treeCount } from './forest_arrays';
import type { IsolationForestModel } from './model';

/**
 * Local DIFFI (Carletti, Terzi and Susto): for every tree, each split on the row's path adds
 * 1/leafDepth - 1/heightLimit to its feature, and each feature's sum is divided by how often it
 * was split on. Early isolation weighs most, so the feature that isolates an abnormal row ranks
 * first. Extended forests share each split among its hyperplane's features by |weight|.
 * Returns rows x features, row-major; higher means more responsible for the row's abnormality.
 */
export function explainDiffi(model: IsolationForestModel, matrix: FeatureMatrix): Float64Array {
  assertMatrixMatches(matrix, model.featureNames);
  const cols = model.featureNames.length;
  const f = model.forest;
  const hMax = model.params.heightLimit;
  const out = new Float64Array(matrix.rows * cols);
  const x = new Float32Array(cols);
  const importance = new Float64Array(cols);
  const counts = new Float64Array(cols);
  const path: number[] = [];
  for (let r = 0; r < matrix.rows; r++) {
    castRowsToFloat32(matrix.values, cols, r, r + 1, x, model.featureNames);
    importance.fill(0);
    counts.fill(0);
    for (let t = 0; t < treeCount(f); t++) {
      const base = f.nodeOffsets[t]!;
      path.length = 0;
      let i = base;
      while (f.left[i] !== -1) {
        path.push(i);
        i = base + (goesLeft(model, i, x) ? f.left[i]! : f.right[i]!);
      }
      const depth = path.length;
      if (depth === 0 || hMax === 0) continue;
      const weight = 1 / depth - 1 / hMax;
      for (const node of path) {
        if (f.kind === 'axis-parallel') {
          importance[f.feature[node]!]! += weight;
          counts[f.feature[node]!]! += 1;
          continue;
        }
        const start = f.planeOffsets![node]!;
        const end = f.planeOffsets![node + 1]!;
        let total = 0;
        for (let k = start; k < end; k++) total += Math.abs(f.planeWeight![k]!);
        for (let k = start; k < end; k++) {
          const share = Math.abs(f.planeWeight![k]!) / total;
          importance[f.planeFeature![k]!]! += weight * share;
          counts[f.planeFeature![k]!]! += share;
        }
      }
    }
    for (let c = 0; c < cols; c++) out[r * cols + c] = counts[c]! > 0 ? importance[c]! / counts[c]! : 0;
  }
  return out;
}

export function goesLeft(model: IsolationForestModel, node: number, x: Float32Array): boolean {
  const f = model.forest;
  if (f.kind === 'axis-parallel') return x[f.feature[node]!]! <= f.threshold[node]!;
  let projection = 0;
  for (let k = f.planeOffsets![node]!; k < f.planeOffsets![node + 1]!; k++) projection += f.planeWeight![k]! * x[f.planeFeature![k]!]!;
  return projection <= f.threshold[node]!;
}
