import { InvalidInputError, ModelFileError } from '../errors';
import { assertAllFloat32Finite } from './float32_cast';
import { assertFeatureNames, assertMatrixMatches, type FeatureMatrix } from './feature_matrix';
import { forestProblems, treeCount } from './forest_arrays';
import type { FeatureStats, IsolationForestModel } from './model';
import { heightLimit, parseTrainOptions, resolveMaxFeatures, resolveMaxSamples, type TrainOptions } from './params';
import { averagePathLength } from './path_length';
import { percentileLinear } from './percentile';
import { Rng } from '../rng';
import { compileScorer, type PathLengthScorer, type ScorerLayout } from './scorer';
import { trainAxisForest } from './train_axis';
import { trainExtendedForest } from './train_extended';

/**
 * A trained Isolation Forest with scikit-learn's scoring conventions: scoreSamples is lower for
 * more abnormal rows, decisionFunction = scoreSamples - offset, predict gives -1 (anomaly) when
 * the decision function is strictly below 0 and 1 otherwise.
 */
export class IsolationForest {
  private scorer: PathLengthScorer | undefined;

  constructor(
    readonly model: IsolationForestModel,
    private readonly layout?: ScorerLayout,
  ) {
    const problems = forestProblems(model.forest, model.featureNames.length);
    if (problems.length > 0) throw new ModelFileError(`inconsistent forest: ${problems.join('; ')}`);
  }

  /** Trains on every row of matrix. Same seed and data give a byte-identical model. */
  static fit(matrix: FeatureMatrix, options?: TrainOptions, metadata: Readonly<Record<string, string>> = {}): IsolationForest {
    const opts = parseTrainOptions(options);
    const cols = matrix.featureNames.length;
    assertFeatureNames(matrix.featureNames);
    assertMatrixMatches(matrix, matrix.featureNames);
    if (matrix.rows < 1) throw new InvalidInputError('cannot train on zero rows');
    assertAllFloat32Finite(matrix.values, cols, matrix.featureNames);
    const maxSamplesUsed = resolveMaxSamples(opts.maxSamples, matrix.rows);
    const maxFeaturesUsed = resolveMaxFeatures(opts.maxFeatures, cols);
    const shape = { nEstimators: opts.nEstimators, maxSamplesUsed, maxFeaturesUsed, heightLimit: heightLimit(maxSamplesUsed) };
    const rng = new Rng(opts.seed);
    let extensionLevel: number | null = null;
    let forest;
    if (opts.kind === 'extended') {
      extensionLevel = opts.extensionLevel ?? maxFeaturesUsed - 1;
      if (extensionLevel > maxFeaturesUsed - 1) {
        throw new InvalidInputError(`invalid Isolation Forest option 'extensionLevel': ${extensionLevel} exceeds features per tree - 1 (${maxFeaturesUsed - 1})`);
      }
      forest = trainExtendedForest(matrix.values, matrix.rows, cols, shape, extensionLevel, rng);
    } else {
      forest = trainAxisForest(matrix.values, matrix.rows, cols, shape, rng);
    }
    const model: IsolationForestModel = {
      featureNames: [...matrix.featureNames],
      params: {
        kind: opts.kind,
        nEstimators: opts.nEstimators,
        maxSamples: opts.maxSamples,
        maxSamplesUsed,
        maxFeatures: opts.maxFeatures,
        maxFeaturesUsed,
        contamination: opts.contamination,
        seed: opts.seed,
        heightLimit: shape.heightLimit,
        extensionLevel,
      },
      offset: -0.5,
      forest,
      training: { rows: matrix.rows, featureStats: featureStats(matrix), producer: 'dex-anomaly', metadata: { ...metadata } },
    };
    const trained = new IsolationForest(model);
    if (opts.contamination === 'auto') return trained;
    // scikit-learn: offset_ = percentile(score_samples(X_train), 100 * contamination).
    const offset = percentileLinear(trained.scoreSamples(matrix), 100 * opts.contamination);
    return new IsolationForest({ ...model, offset });
  }

  get featureNames(): readonly string[] {
    return this.model.featureNames;
  }

  get treeCount(): number {
    return treeCount(this.model.forest);
  }

  /** Mean over trees of each row's path length; shorter is more abnormal. */
  meanPathLengths(matrix: FeatureMatrix): Float64Array {
    const sums = this.pathLengthSums(matrix);
    const trees = this.treeCount;
    for (let r = 0; r < sums.length; r++) sums[r]! /= trees;
    return sums;
  }

  /**
   * -2^(-E[h(x)] / c(maxSamples)): in [-1, 0), lower is more abnormal. Pass `out` (at least
   * matrix.rows long) to score a stream of chunks without allocating per chunk.
   */
  scoreSamples(matrix: FeatureMatrix, out?: Float64Array): Float64Array {
    const depths = this.pathLengthSums(matrix, out);
    const denominator = this.treeCount * averagePathLength(this.model.params.maxSamplesUsed);
    for (let r = 0; r < depths.length; r++) {
      // sklearn leaves the ratio at 1 when c(maxSamples) is 0 (one-row subsamples).
      const ratio = denominator !== 0 ? depths[r]! / denominator : 1;
      depths[r] = -(2 ** -ratio);
    }
    return depths;
  }

  decisionFunction(matrix: FeatureMatrix): Float64Array {
    const scores = this.scoreSamples(matrix);
    for (let r = 0; r < scores.length; r++) scores[r]! -= this.model.offset;
    return scores;
  }

  /** -1 for an anomaly (decision function strictly below 0), 1 otherwise. */
  predict(matrix: FeatureMatrix): Int8Array {
    const decision = this.decisionFunction(matrix);
    const labels = new Int8Array(decision.length);
    for (let r = 0; r < decision.length; r++) labels[r] = decision[r]! < 0 ? -1 : 1;
    return labels;
  }

  private pathLengthSums(matrix: FeatureMatrix, out?: Float64Array): Float64Array {
    assertMatrixMatches(matrix, this.model.featureNames);
    if (out && out.length < matrix.rows) throw new InvalidInputError(`output buffer holds ${out.length} values, ${matrix.rows} rows given`);
    this.scorer ??= compileScorer(this.model.forest, this.model.featureNames.length, this.layout);
    const sums = out ? out.subarray(0, matrix.rows) : new Float64Array(matrix.rows);
    this.scorer.pathLengthSums(matrix.values, matrix.rows, this.model.featureNames, sums);
    return sums;
  }
}

function featureStats(matrix: FeatureMatrix): FeatureStats[] {
  const cols = matrix.featureNames.length;
  const min = new Float64Array(cols).fill(Infinity);
  const max = new Float64Array(cols).fill(-Infinity);
  const sum = new Float64Array(cols);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = matrix.values[r * cols + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
      sum[c]! += v;
    }
  }
  return Array.from({ length: cols }, (_, c) => ({ min: min[c]!, max: max[c]!, mean: sum[c]! / matrix.rows }));
}
