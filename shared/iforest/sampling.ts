import type { Rng } from '../rng';

/**
 * Draws k distinct values from 0..n-1 by a partial Fisher-Yates shuffle of a reusable
 * permutation: the permutation never needs resetting (a partial shuffle of any permutation is a
 * uniform k-subset), so each draw costs O(k), not O(n), which keeps fitting independent of n.
 */
export class SubsetSampler {
  private readonly permutation: Int32Array;

  constructor(readonly n: number) {
    this.permutation = new Int32Array(n);
    for (let i = 0; i < n; i++) this.permutation[i] = i;
  }

  /** Writes k distinct indices into out[0..k) in draw order. */
  draw(rng: Rng, k: number, out: Int32Array): void {
    const p = this.permutation;
    for (let i = 0; i < k; i++) {
      const j = i + rng.nextInt(this.n - i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
      out[i] = p[i]!;
    }
  }
}
