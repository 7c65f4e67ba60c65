const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n): average path length of an unsuccessful search in a binary search tree of n points, the
 * normaliser of Liu et al. (2008). Uses scikit-learn's log approximation of the harmonic number
 * (not the exact sum) because that is what reproduces its scores.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}
