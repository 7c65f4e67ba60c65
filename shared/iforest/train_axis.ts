import { ForestBuilder, type ForestArrays } from './forest_arrays';
import type { Rng } from '../rng';
import { TreeSample } from './tree_sample';

/** scikit-learn's FEATURE_THRESHOLD: a feature whose node range is within it cannot split. */
export const CONSTANT_FEATURE_RANGE = 1e-7;

export interface ForestShape {
  nEstimators: number;
  maxSamplesUsed: number;
  maxFeaturesUsed: number;
  heightLimit: number;
}

/** Grows one tree from the sample just drawn; the two forest kinds differ only in this. */
export interface TreeGrower {
  grow(builder: ForestBuilder, rng: Rng): void;
}

/** Draws each tree's rows and features, then lets the grower build it: the loop both kinds share. */
export function growForest(
  kind: ForestArrays['kind'],
  values: Float64Array | Float32Array,
  nRows: number,
  nCols: number,
  shape: ForestShape,
  rng: Rng,
  makeGrower: (sample: TreeSample) => TreeGrower,
): ForestArrays {
  const sample = new TreeSample(values, nRows, nCols, shape.maxSamplesUsed, shape.maxFeaturesUsed);
  const builder = new ForestBuilder(kind);
  const grower = makeGrower(sample);
  for (let t = 0; t < shape.nEstimators; t++) {
    sample.draw(rng);
    grower.grow(builder, rng);
    builder.endTree();
  }
  return builder.build();
}

/**
 * Grows axis-parallel isolation trees (Liu, Ting and Zhou 2008) the way scikit-learn's
 * ExtraTreeRegressor(max_features=1, splitter='random') does inside IsolationForest: a random
 * feature among those not constant at the node, a threshold uniform in [min, max), a leaf at the
 * height limit, at one row, or when every feature is constant (duplicate rows).
 */
export function trainAxisForest(values: Float64Array | Float32Array, nRows: number, nCols: number, shape: ForestShape, rng: Rng): ForestArrays {
  return growForest('axis-parallel', values, nRows, nCols, shape, rng, (sample) => new AxisTreeGrower(sample, shape.heightLimit));
}

class AxisTreeGrower implements TreeGrower {
  private readonly order: Int32Array;
  private readonly candidates: Int32Array;
  // Explicit DFS stack (start, end, depth, parent, side): pre-order node ids like sklearn's builder.
  private readonly stack: Int32Array;

  constructor(
    private readonly sample: TreeSample,
    private readonly heightLimit: number,
  ) {
    this.order = new Int32Array(sample.size);
    this.candidates = new Int32Array(sample.featureCount);
    this.stack = new Int32Array(5 * (heightLimit + 2) * 2);
  }

  grow(builder: ForestBuilder, rng: Rng): void {
    const { order, candidates, stack, heightLimit } = this;
    const { columns, size, features, featureCount } = this.sample;
    for (let r = 0; r < size; r++) order[r] = r;
    let top = 0;
    stack[top++] = 0;
    stack[top++] = size;
    stack[top++] = 0;
    stack[top++] = -1;
    stack[top++] = 0;
    while (top > 0) {
      const side = stack[--top]!;
      const parent = stack[--top]!;
      const depth = stack[--top]!;
      const end = stack[--top]!;
      const start = stack[--top]!;
      const n = end - start;
      const node = builder.addNode(n);
      if (parent >= 0) {
        if (side === 0) builder.setLeft(parent, node);
        else builder.setRight(parent, node);
      }
      if (n <= 1 || depth >= heightLimit) continue;

      let remaining = featureCount;
      for (let f = 0; f < featureCount; f++) candidates[f] = f;
      let split = -1;
      while (remaining > 0) {
        const pick = rng.nextInt(remaining);
        const f = candidates[pick]!;
        const base = f * size;
        let min = Infinity;
        let max = -Infinity;
        for (let k = start; k < end; k++) {
          const v = columns[base + order[k]!]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (max <= min + CONSTANT_FEATURE_RANGE) {
          candidates[pick] = candidates[--remaining]!;
          continue;
        }
        let threshold = (max - min) * rng.nextFloat() + min;
        if (threshold === max) threshold = min;
        split = partition(order, columns, base, start, end, threshold);
        builder.setSplit(node, features[f]!, threshold);
        break;
      }
      if (split < 0) continue;

      stack[top++] = split;
      stack[top++] = end;
      stack[top++] = depth + 1;
      stack[top++] = node;
      stack[top++] = 1;
      stack[top++] = start;
      stack[top++] = split;
      stack[top++] = depth + 1;
      stack[top++] = node;
      stack[top++] = 0;
    }
  }
}

/** Moves rows with value <= threshold to the front of order[start, end); returns the boundary. */
function partition(order: Int32Array, columns: Float32Array, base: number, start: number, end: number, threshold: number): number {
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if (columns[base + order[i]!]! <= threshold) i++;
    else {
      const t = order[i]!;
      order[i] = order[j]!;
      order[j--] = t;
    }
  }
  return i;
}
