import { IsolationForest as NpmIsolationForest } from 'isolation-forest';
import { IsolationForest as MlIsolationForest } from 'ml-isolation-forest';
import { positionalFeatureNames } from '../../shared/iforest/feature_matrix';
import { IsolationForest } from '../../shared/iforest/isolation_forest';

export interface BenchOptions {
  trees: number;
  maxSamples: 'auto' | number;
  seed: number;
  kind: 'axis-parallel' | 'extended';
}

/** One implementation under test; `anomaly` returns higher = more abnormal for every one. */
export interface BenchImplementation {
  fit(values: Float64Array, rows: number, cols: number): void;
  anomaly(values: Float64Array, rows: number, cols: number): ArrayLike<number>;
}

export const IMPLEMENTATIONS = ['dex-anomaly', 'isolation-forest', 'ml-isolation-forest'] as const;
export type ImplementationName = (typeof IMPLEMENTATIONS)[number];

export function createImplementation(name: ImplementationName, options: BenchOptions): BenchImplementation {
  switch (name) {
    case 'dex-anomaly':
      return dexAnomaly(options);
    case 'isolation-forest':
      return npmIsolationForest(options);
    case 'ml-isolation-forest':
      return mlIsolationForest(options);
  }
}

function dexAnomaly(options: BenchOptions): BenchImplementation {
  let forest: IsolationForest | undefined;
  let buffer = new Float64Array(0);
  return {
    fit(values, rows, cols) {
      forest = IsolationForest.fit(
        { featureNames: positionalFeatureNames(cols), rows, values },
        { nEstimators: options.trees, maxSamples: options.maxSamples, seed: options.seed, kind: options.kind },
      );
    },
    anomaly(values, rows, cols) {
      if (!forest) throw new Error('fit first');
      if (buffer.length < rows) buffer = new Float64Array(rows);
      const scores = forest.scoreSamples({ featureNames: positionalFeatureNames(cols), rows, values }, buffer);
      for (let i = 0; i < rows; i++) scores[i] = -scores[i]!;
      return scores;
    },
  };
}

function toRows(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
}

function npmIsolationForest(options: BenchOptions): BenchImplementation {
  const forest = new NpmIsolationForest(options.trees, options.maxSamples === 'auto' ? 256 : options.maxSamples);
  const toObjects = (values: Float64Array, rows: number, cols: number) =>
    toRows(values, rows, cols).map((row) => Object.fromEntries(row.map((v, c) => [`f${c}`, v])));
  return {
    fit(values, rows, cols) {
      forest.fit(toObjects(values, rows, cols));
    },
    anomaly(values, rows, cols) {
      return forest.predict(toObjects(values, rows, cols));
    },
  };
}

function mlIsolationForest(options: BenchOptions): BenchImplementation {
  // It has no subsample size: every tree is grown on the whole training set.
  const forest = new MlIsolationForest({ nEstimators: options.trees });
  return {
    fit(values, rows, cols) {
      forest.train(toRows(values, rows, cols));
    },
    anomaly(values, rows, cols) {
      return forest.predict(toRows(values, rows, cols));
    },
  };
}
