import { leafPathLengths, treeCount, type ForestArrays } from './forest_arrays';

/**
 * An axis-parallel forest as complete binary trees of one depth: a real leaf at depth d is padded
 * down to the bottom with always-left nodes (threshold +Infinity: every finite value goes left),
 * so a walk takes exactly `depth` branch-free steps. Node `slot` of tree t is at t * internal +
 * slot (children 2 slot + 1 and 2 slot + 2); bottom slot b at t * leaves + b keeps its leaf's path
 * length and real depth. Shared by the scorer and the DIFFI walk.
 */
export interface CompleteLayout {
  readonly depth: number;
  readonly trees: number;
  readonly leaves: number;
  readonly internal: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly leafValue: Float64Array;
  readonly leafDepth: Int32Array;
}

export function completeLayout(forest: ForestArrays, depth: number): CompleteLayout {
  const trees = treeCount(forest);
  const leaves = 2 ** depth;
  const internal = leaves - 1;
  const feature = new Int32Array(trees * internal);
  const threshold = new Float64Array(trees * internal).fill(Infinity);
  const leafValue = new Float64Array(trees * leaves);
  const leafDepth = new Int32Array(trees * leaves);
  const values = leafPathLengths(forest);
  const stack: number[] = [];
  for (let t = 0; t < trees; t++) {
    const base = forest.nodeOffsets[t]!;
    stack.push(0, 0, 0);
    while (stack.length > 0) {
      const d = stack.pop()!;
      const slot = stack.pop()!;
      const local = stack.pop()!;
      const i = base + local;
      const l = forest.left[i]!;
      if (l === -1) {
        const bottom = (slot + 1) * 2 ** (depth - d) - 1 - internal;
        leafValue[t * leaves + bottom] = values[i]!;
        leafDepth[t * leaves + bottom] = d;
        continue;
      }
      feature[t * internal + slot] = forest.feature[i]!;
      threshold[t * internal + slot] = forest.threshold[i]!;
      stack.push(l, 2 * slot + 1, d + 1, forest.right[i]!, 2 * slot + 2, d + 1);
    }
  }
  return { depth, trees, leaves, internal, feature, threshold, leafValue, leafDepth };
}
