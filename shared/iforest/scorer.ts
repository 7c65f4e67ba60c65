import { completeLayout } from './complete_layout';
import { castRowsToFloat32 } from './float32_cast';
import { globalChildren, leafPathLengths, maxLeafDepth, type ForestArrays } from './forest_arrays';

/** Rows cast and scored together: small enough that the chunk and one tree stay in L1/L2. */
const CHUNK_ROWS = 512;
/** Deepest forest laid out as complete trees (20 bytes x 2^depth per tree); deeper ones walk links. */
const MAX_COMPLETE_DEPTH = 12;

export type ScorerLayout = 'complete' | 'linked';

/**
 * Sums each row's path length (leaf depth + c(leaf size)) over all trees. Rows are cast to
 * float32 a chunk at a time, so memory does not grow with the number of rows scored.
 */
export interface PathLengthScorer {
  readonly layout: ScorerLayout | 'extended';
  pathLengthSums(values: Float64Array | Float32Array, rows: number, featureNames: readonly string[], out: Float64Array): void;
}

/**
 * Compiles a forest for scoring. Axis-parallel forests no deeper than 12 become complete binary
 * trees (leaves padded down with always-left nodes), so a row descends with a fixed number of
 * branch-free steps; deeper ones, and extended forests, follow child links.
 */
export function compileScorer(forest: ForestArrays, nFeatures: number, layout?: ScorerLayout): PathLengthScorer {
  if (forest.kind === 'extended') return new ExtendedScorer(forest, nFeatures);
  const depth = maxLeafDepth(forest);
  const chosen = layout ?? (depth <= MAX_COMPLETE_DEPTH ? 'complete' : 'linked');
  return chosen === 'complete' ? new CompleteAxisScorer(forest, nFeatures, depth) : new LinkedAxisScorer(forest, nFeatures);
}

abstract class ChunkedScorer implements PathLengthScorer {
  abstract readonly layout: PathLengthScorer['layout'];
  private readonly chunk: Float32Array;

  constructor(protected readonly nFeatures: number) {
    this.chunk = new Float32Array(CHUNK_ROWS * nFeatures);
  }

  pathLengthSums(values: Float64Array | Float32Array, rows: number, featureNames: readonly string[], out: Float64Array): void {
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      castRowsToFloat32(values, this.nFeatures, start, end, this.chunk, featureNames);
      const sums = out.subarray(start, end);
      sums.fill(0);
      this.sumChunk(this.chunk, end - start, sums);
    }
  }

  protected abstract sumChunk(x: Float32Array, rows: number, sums: Float64Array): void;
}

class CompleteAxisScorer extends ChunkedScorer {
  readonly layout = 'complete';
  private readonly trees: number;
  private readonly internal: number;
  private readonly leaves: number;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly leafValue: Float64Array;

  constructor(forest: ForestArrays, nFeatures: number, private readonly depth: number) {
    super(nFeatures);
    ({ trees: this.trees, leaves: this.leaves, internal: this.internal, feature: this.feature, threshold: this.threshold, leafValue: this.leafValue } = completeLayout(forest, depth));
  }

  /**
   * Descends eight rows at once: each step is branch-free (the comparison, as 0 or 1, picks the
   * child) and the eight index chains are independent, so the CPU overlaps their load latencies.
   * Measured on a trained 100-tree forest: 1 row with a conditional step 200k rows/s, 4 rows
   * 450k, 8 rows 590k.
   */
  protected sumChunk(x: Float32Array, rows: number, sums: Float64Array): void {
    const octets = rows - (rows % 8);
    this.sumOctets(x, octets, sums);
    // Leftover rows go one at a time, in a separate function so the hot loop keeps its registers.
    for (let r = octets; r < rows; r++) sums[r] = this.sumRow(x, r * this.nFeatures);
  }

  private sumOctets(x: Float32Array, rows: number, sums: Float64Array): void {
    const { feature, threshold, leafValue, internal, leaves, depth, trees, nFeatures } = this;
    for (let t = 0; t < trees; t++) {
      const nb = t * internal;
      const lb = t * leaves - internal;
      for (let r = 0; r < rows; r += 8) {
        const b0 = r * nFeatures;
        const b1 = b0 + nFeatures;
        const b2 = b1 + nFeatures;
        const b3 = b2 + nFeatures;
        const b4 = b3 + nFeatures;
        const b5 = b4 + nFeatures;
        const b6 = b5 + nFeatures;
        const b7 = b6 + nFeatures;
        let i0 = 0;
        let i1 = 0;
        let i2 = 0;
        let i3 = 0;
        let i4 = 0;
        let i5 = 0;
        let i6 = 0;
        let i7 = 0;
        for (let k = 0; k < depth; k++) {
          const n0 = nb + i0;
          const n1 = nb + i1;
          const n2 = nb + i2;
          const n3 = nb + i3;
          const n4 = nb + i4;
          const n5 = nb + i5;
          const n6 = nb + i6;
          const n7 = nb + i7;
          i0 = 2 * i0 + 1 + (((x[b0 + feature[n0]!]! > threshold[n0]!) as unknown as number) | 0);
          i1 = 2 * i1 + 1 + (((x[b1 + feature[n1]!]! > threshold[n1]!) as unknown as number) | 0);
          i2 = 2 * i2 + 1 + (((x[b2 + feature[n2]!]! > threshold[n2]!) as unknown as number) | 0);
          i3 = 2 * i3 + 1 + (((x[b3 + feature[n3]!]! > threshold[n3]!) as unknown as number) | 0);
          i4 = 2 * i4 + 1 + (((x[b4 + feature[n4]!]! > threshold[n4]!) as unknown as number) | 0);
          i5 = 2 * i5 + 1 + (((x[b5 + feature[n5]!]! > threshold[n5]!) as unknown as number) | 0);
          i6 = 2 * i6 + 1 + (((x[b6 + feature[n6]!]! > threshold[n6]!) as unknown as number) | 0);
          i7 = 2 * i7 + 1 + (((x[b7 + feature[n7]!]! > threshold[n7]!) as unknown as number) | 0);
        }
        sums[r]! += leafValue[lb + i0]!;
        sums[r + 1]! += leafValue[lb + i1]!;
        sums[r + 2]! += leafValue[lb + i2]!;
        sums[r + 3]! += leafValue[lb + i3]!;
        sums[r + 4]! += leafValue[lb + i4]!;
        sums[r + 5]! += leafValue[lb + i5]!;
        sums[r + 6]! += leafValue[lb + i6]!;
        sums[r + 7]! += leafValue[lb + i7]!;
      }
    }
  }

  private sumRow(x: Float32Array, rowBase: number): number {
    const { feature, threshold, leafValue, internal, leaves, depth, trees } = this;
    let sum = 0;
    for (let t = 0; t < trees; t++) {
      const nodeBase = t * internal;
      let i = 0;
      for (let k = 0; k < depth; k++) {
        const n = nodeBase + i;
        i = 2 * i + 1 + (((x[rowBase + feature[n]!]! > threshold[n]!) as unknown as number) | 0);
      }
      sum += leafValue[t * leaves - internal + i]!;
    }
    return sum;
  }
}


class LinkedAxisScorer extends ChunkedScorer {
  readonly layout = 'linked';
  private readonly roots: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly leafValue: Float64Array;

  constructor(forest: ForestArrays, nFeatures: number) {
    super(nFeatures);
    this.roots = forest.nodeOffsets.slice(0, -1);
    ({ left: this.left, right: this.right } = globalChildren(forest));
    this.feature = forest.feature;
    this.threshold = forest.threshold;
    this.leafValue = leafPathLengths(forest);
  }

  protected sumChunk(x: Float32Array, rows: number, sums: Float64Array): void {
    const { roots, left, right, feature, threshold, leafValue, nFeatures } = this;
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      for (let r = 0; r < rows; r++) {
        const rowBase = r * nFeatures;
        let i = root;
        while (left[i]! !== -1) i = x[rowBase + feature[i]!]! <= threshold[i]! ? left[i]! : right[i]!;
        sums[r]! += leafValue[i]!;
      }
    }
  }
}

class ExtendedScorer extends ChunkedScorer {
  readonly layout = 'extended';
  private readonly roots: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly threshold: Float64Array;
  private readonly planeOffsets: Int32Array;
  private readonly planeFeature: Int32Array;
  private readonly planeWeight: Float64Array;
  private readonly leafValue: Float64Array;

  constructor(forest: ForestArrays, nFeatures: number) {
    super(nFeatures);
    this.roots = forest.nodeOffsets.slice(0, -1);
    ({ left: this.left, right: this.right } = globalChildren(forest));
    this.threshold = forest.threshold;
    this.planeOffsets = forest.planeOffsets!;
    this.planeFeature = forest.planeFeature!;
    this.planeWeight = forest.planeWeight!;
    this.leafValue = leafPathLengths(forest);
  }

  protected sumChunk(x: Float32Array, rows: number, sums: Float64Array): void {
    const { roots, left, right, threshold, planeOffsets, planeFeature, planeWeight, leafValue, nFeatures } = this;
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      for (let r = 0; r < rows; r++) {
        const rowBase = r * nFeatures;
        let i = root;
        while (left[i]! !== -1) {
          let projection = 0;
          for (let k = planeOffsets[i]!; k < planeOffsets[i + 1]!; k++) projection += planeWeight[k]! * x[rowBase + planeFeature[k]!]!;
          i = projection <= threshold[i]! ? left[i]! : right[i]!;
        }
        sums[r]! += leafValue[i]!;
      }
    }
  }
}
