import { InvalidInputError } from '../errors';

/**
 * Casts rows [rowStart, rowEnd) to float32 into out (row-major), as scikit-learn does before
 * walking its trees, and rejects what the cast cannot represent: NaN, infinities, and finite
 * float64 values beyond float32's range (which the cast would silently turn into infinity).
 */
export function castRowsToFloat32(
  values: Float64Array | Float32Array,
  cols: number,
  rowStart: number,
  rowEnd: number,
  out: Float32Array,
  featureNames: readonly string[],
): void {
  const from = rowStart * cols;
  const count = (rowEnd - rowStart) * cols;
  out.set(values.subarray(from, from + count));
  for (let k = 0; k < count; k++) {
    const v = out[k]!;
    if (v - v !== 0) {
      const row = rowStart + Math.floor(k / cols);
      const name = featureNames[k % cols]!;
      const original = values[from + k]!;
      const reason = Number.isFinite(original) ? `${original} is beyond float32's range` : `${original} is not finite`;
      throw new InvalidInputError(`row ${row}: feature '${name}': ${reason}`);
    }
  }
}

/** Fails on the first value the float32 cast cannot represent, naming its row and feature. */
export function assertAllFloat32Finite(values: Float64Array | Float32Array, cols: number, featureNames: readonly string[]): void {
  for (let k = 0; k < values.length; k++) {
    const v = Math.fround(values[k]!);
    if (v - v !== 0) {
      const original = values[k]!;
      const reason = Number.isFinite(original) ? `${original} is beyond float32's range` : `${original} is not finite`;
      throw new InvalidInputError(`row ${Math.floor(k / cols)}: feature '${featureNames[k % cols]!}': ${reason}`);
    }
  }
}
