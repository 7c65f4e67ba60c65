import { InvalidInputError } from '../errors';

/**
 * Rows of named features, row-major. The names travel with the numbers so that a model can refuse
 * rows whose columns are not the ones it was trained on.
 */
export interface FeatureMatrix {
  readonly featureNames: readonly string[];
  readonly rows: number;
  /** rows * featureNames.length values, row-major. */
  readonly values: Float64Array | Float32Array;
}

/** Builds a matrix from arrays of numbers given in featureNames order. */
export function matrixFromArrays(featureNames: readonly string[], rows: readonly (readonly number[])[]): FeatureMatrix {
  assertFeatureNames(featureNames);
  const cols = featureNames.length;
  const values = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) {
      throw new InvalidInputError(`row ${r} has ${row.length} values, expected ${cols} (${featureNames.join(', ')})`);
    }
    for (let c = 0; c < cols; c++) values[r * cols + c] = row[c]!;
  });
  return { featureNames, rows: rows.length, values };
}

/**
 * Builds a matrix from records keyed by feature name. A missing, extra, non-numeric or
 * non-finite feature is an error naming the row and the feature: a model silently fed a zero
 * or a NaN would score garbage that looks like a real answer.
 */
export function matrixFromRecords(
  featureNames: readonly string[],
  records: readonly Readonly<Record<string, unknown>>[],
): FeatureMatrix {
  assertFeatureNames(featureNames);
  const cols = featureNames.length;
  const expected = new Set(featureNames);
  const values = new Float64Array(records.length * cols);
  records.forEach((record, r) => {
    for (const key of Object.keys(record)) {
      if (!expected.has(key)) throw new InvalidInputError(`row ${r}: unknown feature '${key}' (the model expects ${featureNames.join(', ')})`);
    }
    for (let c = 0; c < cols; c++) {
      const name = featureNames[c]!;
      const value = record[name];
      if (value === undefined) throw new InvalidInputError(`row ${r}: feature '${name}' is missing`);
      if (typeof value !== 'number') throw new InvalidInputError(`row ${r}: feature '${name}' must be a number, got ${typeof value}`);
      if (!Number.isFinite(value)) throw new InvalidInputError(`row ${r}: feature '${name}' must be finite, got ${value}`);
      values[r * cols + c] = value;
    }
  });
  return { featureNames, rows: records.length, values };
}

/** Checks a matrix's shape and that its columns are exactly the expected features in order. */
export function assertMatrixMatches(matrix: FeatureMatrix, featureNames: readonly string[]): void {
  const got = matrix.featureNames;
  if (got.length !== featureNames.length || got.some((name, i) => name !== featureNames[i])) {
    const missing = featureNames.filter((n) => !got.includes(n));
    const extra = got.filter((n) => !featureNames.includes(n));
    const detail = missing.length || extra.length ? `missing [${missing.join(', ')}], extra [${extra.join(', ')}]` : 'same names in another order';
    throw new InvalidInputError(`features do not match the model: ${detail}; expected [${featureNames.join(', ')}]`);
  }
  if (matrix.values.length !== matrix.rows * featureNames.length) {
    throw new InvalidInputError(`matrix holds ${matrix.values.length} values, expected ${matrix.rows} rows x ${featureNames.length} features`);
  }
}

/** Default names f0..f{n-1} for unnamed numeric data (benchmarks, imported sklearn models). */
export function positionalFeatureNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `f${i}`);
}

/** Names must be non-empty and distinct: they are how rows find their columns. */
export function assertFeatureNames(featureNames: readonly string[]): void {
  if (featureNames.length === 0) throw new InvalidInputError('at least one feature name is required');
  const seen = new Set<string>();
  for (const name of featureNames) {
    if (name.length === 0) throw new InvalidInputError('feature names must be non-empty');
    if (seen.has(name)) throw new InvalidInputError(`feature '${name}' is named twice`);
    seen.add(name);
  }
}
