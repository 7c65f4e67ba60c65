import { explainDiffi } from './explain_diffi';
import type { FeatureMatrix } from './feature_matrix';
import { maxLeafDepth } from './forest_arrays';
import type { IsolationForestModel } from './model';

const pathBuffers = new WeakMap<IsolationForestModel, Int32Array>();

/**
 * Local DIFFI importances, the same numbers as explainDiffi (same operations in the same order),
 * for rows already validated as finite and within float32 range. For axis-parallel forests it
 * walks the flat arrays with no per-node calls or allocations, about 10x faster, which is what
 * lets a 1-row request carry its explanation; extended forests go to explainDiffi.
 */
export function diffiImportances(model: IsolationForestModel, matrix: FeatureMatrix): Float64Array {
  const f = model.forest;
  if (f.kind !== 'axis-parallel') return explainDiffi(model, matrix);
  let path = pathBuffers.get(model);
  if (!path) pathBuffers.set(model, (path = new Int32Array(maxLeafDepth(f) + 1)));
  const { nodeOffsets, left, right, feature, threshold } = f;
  const trees = nodeOffsets.length - 1;
  const cols = model.featureNames.length;
  const hMax = model.params.heightLimit;
  const values = matrix.values;
  const out = new Float64Array(matrix.rows * cols);
  const x = new Float32Array(cols);
  const importance = new Float64Array(cols);
  const counts = new Float64Array(cols);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < cols; c++) x[c] = values[r * cols + c]!;
    importance.fill(0);
    counts.fill(0);
    for (let t = 0; t < trees; t++) {
      const base = nodeOffsets[t]!;
      let i = base;
      let depth = 0;
      while (left[i] !== -1) {
        const column = feature[i]!;
        path[depth++] = column;
        i = base + (x[column]! <= threshold[i]! ? left[i]! : right[i]!);
      }
      if (depth === 0 || hMax === 0) continue;
      const weight = 1 / depth - 1 / hMax;
      for (let k = 0; k < depth; k++) {
        importance[path[k]!]! += weight;
        counts[path[k]!]! += 1;
      }
    }
    for (let c = 0; c < cols; c++) out[r * cols + c] = counts[c]! > 0 ? importance[c]! / counts[c]! : 0;
  }
  return out;
}
