/**
 * ROC-AUC and average precision in O(n log n) with native typed-array sorts: the scores of the
 * positives and of the negatives are sorted apart and merged from the top, tied scores forming
 * one group exactly as in ranking.ts (and scikit-learn). ranking.ts sorts an index array with a
 * comparator, which takes seconds for the million rows of an evaluation window; this takes
 * a fraction of that and gives the same figures (tested against it).
 */
export interface RankingAreas {
  /** NaN when one class is absent. */
  readonly rocAuc: number;
  /** NaN without positives. */
  readonly averagePrecision: number;
}

export function rankingAreas(scores: ArrayLike<number>, labels: ArrayLike<number>): RankingAreas {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives++;
    else if (labels[i] !== 0) throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  }
  const negatives = labels.length - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  // Walk both from the highest score down, one tied group at a time.
  let p = positives - 1;
  let q = negatives - 1;
  let tp = 0;
  let fp = 0;
  let roc = 0;
  let ap = 0;
  while (p >= 0 || q >= 0) {
    const score = p < 0 ? neg[q]! : q < 0 ? pos[p]! : Math.max(pos[p]!, neg[q]!);
    const prevTp = tp;
    const prevFp = fp;
    while (p >= 0 && pos[p] === score) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === score) {
      fp++;
      q--;
    }
    roc += ((fp - prevFp) * (tp + prevTp)) / 2;
    if (positives > 0) ap += ((tp - prevTp) / positives) * (tp / (tp + fp));
  }
  return {
    rocAuc: positives === 0 || negatives === 0 ? Number.NaN : roc / (positives * negatives),
    averagePrecision: positives === 0 ? Number.NaN : ap,
  };
}
