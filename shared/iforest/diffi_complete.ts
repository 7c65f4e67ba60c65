import { float32AtMost } from './float32_at_most';
import { completeLayout } from './complete_layout';
import { maxLeafDepth } from './forest_arrays';
import type { IsolationForestModel } from './model';

/** Deepest forest laid out complete for the DIFFI walk (about 24 bytes x 2^depth per tree). */
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
  /**
   * Node n of the walk: its column as int32 at 2n and its threshold (rounded down to float32) as
   * float32 at 2n + 1, two views of one buffer, so a step reads one cache line, not two.
   */
  readonly nodeFeature: Int32Array;
  readonly nodeThreshold: Float32Array;
  /** Bottom slot b: its leaf's path length at 2b and its real depth at 2b + 1. */
  readonly leaves: Float64Array;
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
  const { trees, feature, threshold, leafValue, leafDepth } = completeLayout(forest, depth);
  const nodes = new ArrayBuffer(feature.length * 8);
  const nodeFeature = new Int32Array(nodes);
  const nodeThreshold = new Float32Array(nodes);
  for (let n = 0; n < feature.length; n++) {
    nodeFeature[2 * n] = feature[n]!;
    nodeThreshold[2 * n + 1] = float32AtMost(threshold[n]!);
  }
  const leaves = new Float64Array(leafValue.length * 2);
  for (let b = 0; b < leafValue.length; b++) {
    leaves[2 * b] = leafValue[b]!;
    leaves[2 * b + 1] = leafDepth[b]!;
  }
  const weights = new Float64Array(depth + 1);
  for (let d = 1; d <= depth; d++) weights[d] = 1 / d - 1 / model.params.heightLimit;
  const cols = model.featureNames.length;
  return { depth, trees, nodeFeature, nodeThreshold, leaves, weights, paths: new Int32Array(4 * Math.max(1, depth)), x: new Float32Array(cols), importance: new Float64Array(cols), counts: new Float64Array(cols) };
}

/**
 * DIFFI importances (and, when `pathSums` is given, each row's path-length sum) of validated rows
 * over the complete layout: the same additions in the same order as explainDiffi (tree by tree,
 * each path from the root), so the same bits.
 */
export function walkComplete(c: CompleteDiffiForest, values: Float64Array | Float32Array, rows: number, cols: number, pathSums: Float64Array | undefined, out: Float64Array): void {
  const { depth, trees, nodeFeature, nodeThreshold, leaves, weights, paths, x, importance, counts } = c;
  const bottom = 2 ** depth;
  const internal = bottom - 1;
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
        const f0 = nodeFeature[2 * n0]!;
        const f1 = nodeFeature[2 * n1]!;
        const f2 = nodeFeature[2 * n2]!;
        const f3 = nodeFeature[2 * n3]!;
        paths[k] = f0;
        paths[depth + k] = f1;
        paths[2 * depth + k] = f2;
        paths[3 * depth + k] = f3;
        i0 = 2 * i0 + 1 + (((x[f0]! > nodeThreshold[2 * n0 + 1]!) as unknown as number) | 0);
        i1 = 2 * i1 + 1 + (((x[f1]! > nodeThreshold[2 * n1 + 1]!) as unknown as number) | 0);
        i2 = 2 * i2 + 1 + (((x[f2]! > nodeThreshold[2 * n2 + 1]!) as unknown as number) | 0);
        i3 = 2 * i3 + 1 + (((x[f3]! > nodeThreshold[2 * n3 + 1]!) as unknown as number) | 0);
      }
      const l0 = t * bottom + i0 - internal;
      const l1 = l0 + bottom + i1 - i0;
      const l2 = l0 + 2 * bottom + i2 - i0;
      const l3 = l0 + 3 * bottom + i3 - i0;
      sum += leaves[2 * l0]!;
      sum += leaves[2 * l1]!;
      sum += leaves[2 * l2]!;
      sum += leaves[2 * l3]!;
      addPath(paths, 0, leaves[2 * l0 + 1]! | 0, weights, importance, counts);
      addPath(paths, depth, leaves[2 * l1 + 1]! | 0, weights, importance, counts);
      addPath(paths, 2 * depth, leaves[2 * l2 + 1]! | 0, weights, importance, counts);
      addPath(paths, 3 * depth, leaves[2 * l3 + 1]! | 0, weights, importance, counts);
    }
    for (let t = quads; t < trees; t++) {
      const b = t * internal;
      let i = 0;
      for (let k = 0; k < depth; k++) {
        const n = b + i;
        const f = nodeFeature[2 * n]!;
        paths[k] = f;
        i = 2 * i + 1 + (((x[f]! > nodeThreshold[2 * n + 1]!) as unknown as number) | 0);
      }
      const l = t * bottom + i - internal;
      sum += leaves[2 * l]!;
      addPath(paths, 0, leaves[2 * l + 1]! | 0, weights, importance, counts);
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
