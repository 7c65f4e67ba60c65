import type { ForestArrays } from './forest_arrays';

/** Everything that defines a trained forest; the model file is this, serialised. */
export interface IsolationForestModel {
  readonly featureNames: readonly string[];
  readonly params: ModelParams;
  /** decision_function = score_samples - offset. */
  readonly offset: number;
  readonly forest: ForestArrays;
  readonly training: TrainingInfo;
}

export interface ModelParams {
  readonly kind: ForestArrays['kind'];
  readonly nEstimators: number;
  /** As requested: 'auto', a row count or a fraction. */
  readonly maxSamples: 'auto' | number;
  /** Rows each tree was grown on; c(maxSamplesUsed) normalises path lengths. */
  readonly maxSamplesUsed: number;
  readonly maxFeatures: number;
  readonly maxFeaturesUsed: number;
  readonly contamination: 'auto' | number;
  /** null for imported models whose generator state is unknown. */
  readonly seed: number | null;
  readonly heightLimit: number;
  readonly extensionLevel: number | null;
}

export interface TrainingInfo {
  readonly rows: number;
  /** Per-feature range and mean of the training data: the reference for drift checks. */
  readonly featureStats: readonly FeatureStats[] | null;
  /** Where the model came from: 'dex-anomaly' or 'scikit-learn 1.2.1' for imports. */
  readonly producer: string;
  /** Caller metadata (trainedAt, data window, commit): never generated here, so the same seed and data give the same bytes. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface FeatureStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}
