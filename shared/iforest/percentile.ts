/**
 * numpy.percentile with its default 'linear' method, step for step (including numpy's two-sided
 * lerp), so a contamination offset equals scikit-learn's to the last bit.
 */
export function percentileLinear(values: ArrayLike<number>, percent: number): number {
  const n = values.length;
  if (n === 0) throw new RangeError('percentile of an empty array');
  const sorted = Float64Array.from(values).sort();
  const quantile = percent / 100;
  const virtualIndex = (n - 1) * quantile;
  const lower = Math.min(Math.max(Math.floor(virtualIndex), 0), n - 1);
  const upper = Math.min(lower + 1, n - 1);
  const gamma = virtualIndex - Math.floor(virtualIndex);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
