import { float32AtMost } from './float32_at_most';
import { completeLayout } from './complete_layout';
import { maxLeafDepth } from './forest_arrays';
import type { IsolationForestModel } from './model';

/** Deepest forest laid out complete for the DIFFI walk (8 bytes x 2^depth per tree, plus leaves). */
export const MAX_COMPLETE_DIFFI_DEPTH = 11;

/**
 * An axis-parallel forest as complete binary trees for the DIFFI walk (complete_layout.ts, the
 * scorer's layout too): every walk takes exactly `depth` branch-free steps and four trees can be
 * walked at once (their loads overlap; a data-dependent branch per step
 * would be mispredicted about every other time). Thresholds are rounded down to float32: for a
 * float32 x, x > t exactly when x > t rounded down to float32. Each bottom slot keeps its leaf's
 * path length and real depth, so only the real nodes of a path count in DIFFI.
 */
export interface CompleteDiffiForest {
  readonly depth: number;
  readonly trees: number;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly leafValue: Float64Array;
  readonly leafDepth: Int32Array;
  /** explainDiffi's weight 1/depth - 1/heightLimit of a path of each depth (the same expression, so the same bits). */
  readonly weights: Float64Array;
  /** Scratch of one walk: four paths, the row as float32, the sums per column. */
  readonly paths: Int32Array;
  readonly x: Float32Array;
  readonly importance: Float64Array;
  readonly counts: Float64Array;
}

/** The complete layout of an axis-parallel forest, or undefined when it is too deep for one. */
export function completeDiffiForest(model: IsolationForestModel): CompleteDiffiForest | undefined {
  const forest = model.forest;
  const depth = maxLeafDepth(forest);
  if (forest.kind !== 'axis-parallel' || depth > MAX_COMPLETE_DIFFI_DEPTH || model.params.heightLimit === 0) return undefined;
  const { trees, feature, threshold: exact, leafValue, leafDepth } = completeLayout(forest, depth);
  // A plain loop: Float32Array.from with a map function took about 10x longer at model load.
  const threshold = new Float32Array(exact.length);
  for (let i = 0; i < exact.length; i++) threshold[i] = float32AtMost(exact[i]!);
  const weights = new Float64Array(depth + 1);
  for (let d = 1; d <= depth; d++) weights[d] = 1 / d - 1 / model.params.heightLimit;
  const cols = model.featureNames.length;
  return { depth, trees, feature, threshold, leafValue, leafDepth, weights, paths: new Int32Array(4 * Math.max(1, depth)), x: new Float32Array(cols), importance: new Float64Array(cols), counts: new Float64Array(cols) };
}

/**
 * DIFFI importances (and, when `pathSums` is given, each row's path-length sum) of validated rows
 * over the complete layout: the same additions in the same order as explainDiffi (tree by tree,
 * each path from the root), so the same bits.
 */
export function walkComplete(c: CompleteDiffiForest, values: Float64Array | Float32Array, rows: number, cols: number, pathSums: Float64Array | undefined, out: Float64Array): void {
  const { depth, trees, feature, threshold, leafValue, leafDepth, weights, paths, x, importance, counts } = c;
  const leaves = 2 ** depth;
  const internal = leaves - 1;
  const quads = trees - (trees % 4);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) x[k] = values[r * cols + k]!;
    importance.fill(0);
    counts.fill(0);
    let sum = 0;
    for (let t = 0; t < quads; t += 4) {
      const b0 = t * internal;
      const b1 = b0 + internal;
      const b2 = b1 + internal;
      const b3 = b2 + internal;
      let i0 = 0;
      let i1 = 0;
      let i2 = 0;
      let i3 = 0;
      for (let k = 0; k < depth; k++) {
        const n0 = b0 + i0;
        const n1 = b1 + i1;
        const n2 = b2 + i2;
        const n3 = b3 + i3;
        const f0 = feature[n0]!;
        const f1 = feature[n1]!;
        const f2 = feature[n2]!;
        const f3 = feature[n3]!;
        paths[k] = f0;
        paths[depth + k] = f1;
        paths[2 * depth + k] = f2;
        paths[3 * depth + k] = f3;
        i0 = 2 * i0 + 1 + (((x[f0]! > threshold[n0]!) as unknown as number) | 0);
        i1 = 2 * i1 + 1 + (((x[f1]! > threshold[n1]!) as unknown as number) | 0);
        i2 = 2 * i2 + 1 + (((x[f2]! > threshold[n2]!) as unknown as number) | 0);
        i3 = 2 * i3 + 1 + (((x[f3]! > threshold[n3]!) as unknown as number) | 0);
      }
      const l0 = t * leaves + i0 - internal;
      const l1 = l0 + leaves + i1 - i0;
      const l2 = l0 + 2 * leaves + i2 - i0;
      const l3 = l0 + 3 * leaves + i3 - i0;
      sum += leafValue[l0]!;
      sum += leafValue[l1]!;
      sum += leafValue[l2]!;
      sum += leafValue[l3]!;
      addPath(paths, 0, leafDepth[l0]!, weights, importance, counts);
      addPath(paths, depth, leafDepth[l1]!, weights, importance, counts);
      addPath(paths, 2 * depth, leafDepth[l2]!, weights, importance, counts);
      addPath(paths, 3 * depth, leafDepth[l3]!, weights, importance, counts);
    }
    for (let t = quads; t < trees; t++) {
      const b = t * internal;
      let i = 0;
      for (let k = 0; k < depth; k++) {
        const n = b + i;
        const f = feature[n]!;
        paths[k] = f;
        i = 2 * i + 1 + (((x[f]! > threshold[n]!) as unknown as number) | 0);
      }
      const l = t * leaves + i - internal;
      sum += leafValue[l]!;
      addPath(paths, 0, leafDepth[l]!, weights, importance, counts);
    }
    if (pathSums) pathSums[r] = sum;
    for (let k = 0; k < cols; k++) out[r * cols + k] = counts[k]! > 0 ? importance[k]! / counts[k]! : 0;
  }
}

/** One tree's DIFFI additions: each real node on the path adds the path's weight to its column. */
function addPath(paths: Int32Array, from: number, realDepth: number, weights: Float64Array, importance: Float64Array, counts: Float64Array): void {
  if (realDepth === 0) return;
  const weight = weights[realDepth]!;
  for (let k = from; k < from + realDepth; k++) {
    importance[paths[k]!]! += weight;
    counts[paths[k]!]! += 1;
  }
}
