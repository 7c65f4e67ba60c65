import { InvalidInputError } from '../errors';
import { assertMatrixMatches, type FeatureMatrix } from './feature_matrix';
import { castRowsToFloat32 } from './float32_cast';
import { leafPathLengths, maxLeafDepth, treeCount, type ForestArrays } from './forest_arrays';
import type { IsolationForestModel } from './model';

export interface ShapExplanation {
  /** Mean path length the contributions start from: the training-weighted average over leaves. */
  readonly expectedPathLength: number;
  /**
   * rows x features, row-major: each feature's exact Shapley contribution to the row's mean path
   * length. expectedPathLength + sum(row) = the row's mean path length; negative = more abnormal.
   */
  readonly values: Float64Array;
}

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2) on each tree's path length
 * (leaf depth + c(leaf size)), with training sample counts as cover, averaged over trees.
 * Axis-parallel forests only: a hyperplane split has no single feature to credit.
 */
export function explainTreeShap(model: IsolationForestModel, matrix: FeatureMatrix): ShapExplanation {
  assertMatrixMatches(matrix, model.featureNames);
  const forest = model.forest;
  if (forest.kind !== 'axis-parallel') throw new InvalidInputError('TreeSHAP needs an axis-parallel forest; use DIFFI for an extended forest');
  const cols = model.featureNames.length;
  const trees = treeCount(forest);
  const leafValue = leafPathLengths(forest);
  const shap = new TreeShap(forest, leafValue, maxLeafDepth(forest));
  const values = new Float64Array(matrix.rows * cols);
  const x = new Float32Array(cols);
  const phi = new Float64Array(cols);
  for (let r = 0; r < matrix.rows; r++) {
    castRowsToFloat32(matrix.values, cols, r, r + 1, x, model.featureNames);
    phi.fill(0);
    for (let t = 0; t < trees; t++) shap.explainTree(forest.nodeOffsets[t]!, x, phi);
    for (let c = 0; c < cols; c++) values[r * cols + c] = phi[c]! / trees;
  }
  let expected = 0;
  for (let t = 0; t < trees; t++) expected += expectedLeafValue(forest, leafValue, t);
  return { expectedPathLength: expected / trees, values };
}

function expectedLeafValue(forest: ForestArrays, leafValue: Float64Array, t: number): number {
  const base = forest.nodeOffsets[t]!;
  const rootSamples = forest.nodeSamples[base]!;
  if (rootSamples === 0) return leafValue[base]!;
  let sum = 0;
  for (let i = base; i < forest.nodeOffsets[t + 1]!; i++) if (forest.left[i] === -1) sum += (leafValue[i]! * forest.nodeSamples[i]!) / rootSamples;
  return sum;
}

/** The recursion of Algorithm 2 over preallocated path storage (one slice per depth). */
class TreeShap {
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;

  constructor(
    private readonly forest: ForestArrays,
    private readonly leafValue: Float64Array,
    maxDepth: number,
  ) {
    const size = (maxDepth + 3) * (maxDepth + 4);
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  explainTree(root: number, x: Float32Array, phi: Float64Array): void {
    this.recurse(root, root, x, phi, 0, 0, 1, 1, -1);
  }

  private recurse(base: number, node: number, x: Float32Array, phi: Float64Array, parentPath: number, uniqueDepth: number, zeroFraction: number, oneFraction: number, featureIndex: number): void {
    const { forest, feature, zero, one, weight } = this;
    // Each call works on its own copy of the parent's path.
    const p = parentPath + uniqueDepth + 1;
    feature.copyWithin(p, parentPath, parentPath + uniqueDepth);
    zero.copyWithin(p, parentPath, parentPath + uniqueDepth);
    one.copyWithin(p, parentPath, parentPath + uniqueDepth);
    weight.copyWithin(p, parentPath, parentPath + uniqueDepth);
    this.extend(p, uniqueDepth, zeroFraction, oneFraction, featureIndex);

    if (forest.left[node] === -1) {
      const value = this.leafValue[node]!;
      for (let i = 1; i <= uniqueDepth; i++) {
        const w = this.unwoundSum(p, uniqueDepth, i);
        phi[feature[p + i]!]! += w * (one[p + i]! - zero[p + i]!) * value;
      }
      return;
    }
    const split = forest.feature[node]!;
    const left = base + forest.left[node]!;
    const right = base + forest.right[node]!;
    const [hot, cold] = x[split]! <= forest.threshold[node]! ? [left, right] : [right, left];
    const cover = forest.nodeSamples[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    let depth = uniqueDepth;
    // A feature split on again higher up: undo its earlier entry and carry its fractions down.
    for (let k = 1; k <= depth; k++) {
      if (feature[p + k] === split) {
        incomingZero = zero[p + k]!;
        incomingOne = one[p + k]!;
        this.unwind(p, depth, k);
        depth -= 1;
        break;
      }
    }
    this.recurse(base, hot, x, phi, p, depth + 1, (forest.nodeSamples[hot]! / cover) * incomingZero, incomingOne, split);
    this.recurse(base, cold, x, phi, p, depth + 1, (forest.nodeSamples[cold]! / cover) * incomingZero, 0, split);
  }

  private extend(p: number, depth: number, zeroFraction: number, oneFraction: number, featureIndex: number): void {
    const { feature, zero, one, weight } = this;
    feature[p + depth] = featureIndex;
    zero[p + depth] = zeroFraction;
    one[p + depth] = oneFraction;
    weight[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      weight[p + i + 1]! += (oneFraction * weight[p + i]! * (i + 1)) / (depth + 1);
      weight[p + i] = (zeroFraction * weight[p + i]! * (depth - i)) / (depth + 1);
    }
  }

  private unwind(p: number, depth: number, index: number): void {
    const { feature, zero, one, weight } = this;
    const oneFraction = one[p + index]!;
    const zeroFraction = zero[p + index]!;
    let next = weight[p + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = weight[p + i]!;
        weight[p + i] = (next * (depth + 1)) / ((i + 1) * oneFraction);
        next = tmp - (weight[p + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        weight[p + i] = (weight[p + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      feature[p + i] = feature[p + i + 1]!;
      zero[p + i] = zero[p + i + 1]!;
      one[p + i] = one[p + i + 1]!;
    }
  }

  private unwoundSum(p: number, depth: number, index: number): number {
    const { zero, one, weight } = this;
    const oneFraction = one[p + index]!;
    const zeroFraction = zero[p + index]!;
    let next = weight[p + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = next / ((i + 1) * oneFraction);
        total += tmp;
        next = weight[p + i]! - tmp * zeroFraction * (depth - i);
      } else {
        total += weight[p + i]! / (zeroFraction * (depth - i));
      }
    }
    return total * (depth + 1);
  }
}
