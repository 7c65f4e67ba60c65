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
  // One forward pass (children follow their parent in a tree's node order), with the arrays in
  // locals: this runs once per model load, mostly before V8 has optimised it.
  const { left, right, nodeOffsets } = forest;
  const nodeFeature = forest.feature;
  const nodeThreshold = forest.threshold;
  const slotOf = new Int32Array(left.length);
  const depthOf = new Int32Array(left.length);
  for (let t = 0; t < trees; t++) {
    const base = nodeOffsets[t]!;
    const end = nodeOffsets[t + 1]!;
    const internalBase = t * internal;
    const leafBase = t * leaves;
    for (let i = base; i < end; i++) {
      const slot = slotOf[i]!;
      const d = depthOf[i]!;
      const l = left[i]!;
      if (l === -1) {
        const bottom = (slot + 1) * 2 ** (depth - d) - 1 - internal;
        leafValue[leafBase + bottom] = values[i]!;
        leafDepth[leafBase + bottom] = d;
        continue;
      }
      feature[internalBase + slot] = nodeFeature[i]!;
      threshold[internalBase + slot] = nodeThreshold[i]!;
      const r = right[i]!;
      slotOf[base + l] = 2 * slot + 1;
      depthOf[base + l] = d + 1;
      slotOf[base + r] = 2 * slot + 2;
      depthOf[base + r] = d + 1;
    }
  }
  return { depth, trees, leaves, internal, feature, threshold, leafValue, leafDepth };
}
