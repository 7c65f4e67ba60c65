import type { Rng } from '../rng';
import { SubsetSampler } from './sampling';

/**
 * The training rows and feature columns drawn for one tree, cast to float32 and stored column by
 * column so that a node's min/max scan over one feature reads contiguous memory.
 */
export class TreeSample {
  readonly rowIndex: Int32Array;
  /** Original column of each local feature. */
  readonly features: Int32Array;
  /** columns[f * size + r]: local feature f of sampled row r. */
  readonly columns: Float32Array;
  private readonly rowSampler: SubsetSampler;
  private readonly featureSampler: SubsetSampler;

  constructor(
    private readonly values: Float64Array | Float32Array,
    private readonly nRows: number,
    private readonly nCols: number,
    readonly size: number,
    readonly featureCount: number,
  ) {
    this.rowIndex = new Int32Array(size);
    this.features = new Int32Array(featureCount);
    this.columns = new Float32Array(size * featureCount);
    this.rowSampler = new SubsetSampler(nRows);
    this.featureSampler = new SubsetSampler(nCols);
  }

  /** Draws the next tree's features (without replacement, as sklearn's bagging does) and rows. */
  draw(rng: Rng): void {
    if (this.featureCount < this.nCols) this.featureSampler.draw(rng, this.featureCount, this.features);
    else for (let f = 0; f < this.nCols; f++) this.features[f] = f;
    this.rowSampler.draw(rng, this.size, this.rowIndex);
    const { values, nCols, size, columns, rowIndex, features } = this;
    for (let f = 0; f < this.featureCount; f++) {
      const col = features[f]!;
      const base = f * size;
      for (let r = 0; r < size; r++) columns[base + r] = values[rowIndex[r]! * nCols + col]!;
    }
  }
}
