import type { ForestArrays, ForestBuilder } from './forest_arrays';
import type { Rng } from '../rng';
import { CONSTANT_FEATURE_RANGE, growForest, type ForestShape, type TreeGrower } from './train_axis';
import type { TreeSample } from './tree_sample';

/**
 * Grows Extended Isolation Forest trees (Hariri, Carrasco Kind and Brunner 2021): each node cuts
 * with a random hyperplane through a point drawn uniformly in the node's bounding box, its normal
 * having extensionLevel + 1 non-zero N(0, 1) components. Only columns that vary at the node get a
 * component, so a cut never degenerates; level 0 is the axis-parallel forest in distribution.
 */
export function trainExtendedForest(
  values: Float64Array | Float32Array,
  nRows: number,
  nCols: number,
  shape: ForestShape,
  extensionLevel: number,
  rng: Rng,
): ForestArrays {
  return growForest('extended', values, nRows, nCols, shape, rng, (sample) => new ExtendedTreeGrower(sample, shape.heightLimit, extensionLevel));
}

class ExtendedTreeGrower implements TreeGrower {
  private readonly order: Int32Array;
  private readonly projection: Float64Array;
  private readonly varying: Int32Array;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private readonly planeFeatures: Int32Array;
  private readonly planeWeights: Float64Array;
  private readonly stack: number[] = [];

  constructor(
    private readonly sample: TreeSample,
    private readonly heightLimit: number,
    private readonly extensionLevel: number,
  ) {
    this.order = new Int32Array(sample.size);
    this.projection = new Float64Array(sample.size);
    this.varying = new Int32Array(sample.featureCount);
    this.mins = new Float64Array(sample.featureCount);
    this.maxs = new Float64Array(sample.featureCount);
    this.planeFeatures = new Int32Array(sample.featureCount);
    this.planeWeights = new Float64Array(sample.featureCount);
  }

  grow(builder: ForestBuilder, rng: Rng): void {
    const { order, stack, heightLimit } = this;
    const { size } = this.sample;
    for (let r = 0; r < size; r++) order[r] = r;
    stack.push(0, size, 0, -1, 0);
    while (stack.length > 0) {
      const side = stack.pop()!;
      const parent = stack.pop()!;
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = builder.addNode(end - start);
      if (parent >= 0) {
        if (side === 0) builder.setLeft(parent, node);
        else builder.setRight(parent, node);
      }
      if (end - start <= 1 || depth >= heightLimit) continue;
      const split = this.splitNode(builder, node, start, end, rng);
      if (split < 0) continue;
      stack.push(split, end, depth + 1, node, 1, start, split, depth + 1, node, 0);
    }
  }

  /** Cuts order[start, end) with a random hyperplane; returns the boundary, or -1 for a leaf. */
  private splitNode(builder: ForestBuilder, node: number, start: number, end: number, rng: Rng): number {
    const { order, projection, varying, mins, maxs, planeFeatures, planeWeights } = this;
    const { columns, size, features, featureCount } = this.sample;
    let nVarying = 0;
    for (let f = 0; f < featureCount; f++) {
      let min = Infinity;
      let max = -Infinity;
      for (let k = start; k < end; k++) {
        const v = columns[f * size + order[k]!]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      mins[f] = min;
      maxs[f] = max;
      if (max > min + CONSTANT_FEATURE_RANGE) varying[nVarying++] = f;
    }
    if (nVarying === 0) return -1;

    // Pick extensionLevel + 1 of the varying columns (partial Fisher-Yates), then the plane.
    const dims = Math.min(this.extensionLevel + 1, nVarying);
    let threshold = 0;
    for (let k = 0; k < dims; k++) {
      const j = k + rng.nextInt(nVarying - k);
      const f = varying[j]!;
      varying[j] = varying[k]!;
      varying[k] = f;
      const weight = dims === 1 ? 1 : rng.nextNormal();
      const point = mins[f]! + (maxs[f]! - mins[f]!) * rng.nextFloat();
      planeFeatures[k] = features[f]!;
      planeWeights[k] = weight;
      threshold += weight * point;
    }
    for (let k = start; k < end; k++) {
      let p = 0;
      for (let d = 0; d < dims; d++) p += planeWeights[d]! * columns[varying[d]! * size + order[k]!]!;
      projection[order[k]!] = p;
    }
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (projection[order[i]!]! <= threshold) i++;
      else {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j--] = t;
      }
    }
    builder.setSplit(node, planeFeatures[0]!, threshold);
    builder.addPlane(planeFeatures, planeWeights, dims);
    return i;
  }
}
