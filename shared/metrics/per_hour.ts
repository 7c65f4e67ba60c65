/**
 * Precision@k and Recall@k per hour, averaged over hours: an operator reads the k most abnormal
 * pools of each hour, so that is the unit a ranking is judged on.
 *
 * Conventions (documented because every library picks differently):
 * - An hour with fewer than k rows is judged on all of its rows (k becomes the row count).
 * - Ties at the cut-off are shared out in expectation: a group of tied scores straddling the k-th
 *   place contributes (slots left / group size) of its positives, i.e. the mean over every
 *   order of the tie. The figure therefore never depends on row order.
 * - Precision is averaged over every hour with rows (an hour without anomalies still costs the
 *   operator k reads, so it counts as 0); recall over hours with at least one anomaly only.
 */

export interface PerHourTopK {
  readonly k: number;
  /** Mean over hours with rows; NaN when there are none. */
  readonly precisionAtK: number;
  /** Mean over hours with at least one positive; NaN when there are none. */
  readonly recallAtK: number;
  readonly hours: number;
  readonly hoursWithPositives: number;
  readonly hoursWithFewerThanK: number;
}

/** Expected positives among the k highest scores of one group of rows (higher = more abnormal). */
export function expectedPositivesInTopK(scores: ArrayLike<number>, labels: ArrayLike<number>, rows: readonly number[], k: number): number {
  const order = [...rows].sort((a, b) => scores[b]! - scores[a]!);
  let taken = 0;
  let expected = 0;
  for (let start = 0; start < order.length && taken < k; ) {
    let end = start;
    let positives = 0;
    const score = scores[order[start]!]!;
    while (end < order.length && scores[order[end]!] === score) {
      if (labels[order[end]!] === 1) positives++;
      end++;
    }
    const size = end - start;
    const slots = Math.min(size, k - taken);
    expected += (positives * slots) / size;
    taken += slots;
    start = end;
  }
  return expected;
}

/** Per-hour Precision@k and Recall@k; `hours` holds each row's hour (any integer key). */
export function perHourTopK(scores: ArrayLike<number>, labels: ArrayLike<number>, hours: ArrayLike<number>, k = 10): PerHourTopK {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (scores.length !== labels.length || scores.length !== hours.length) {
    throw new RangeError(`${scores.length} scores, ${labels.length} labels and ${hours.length} hours`);
  }
  const byHour = new Map<number, number[]>();
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
    const hour = hours[i]!;
    let rows = byHour.get(hour);
    if (!rows) byHour.set(hour, (rows = []));
    rows.push(i);
  }
  let precisionSum = 0;
  let recallSum = 0;
  let hoursWithPositives = 0;
  let hoursWithFewerThanK = 0;
  for (const rows of byHour.values()) {
    const cut = Math.min(k, rows.length);
    if (rows.length < k) hoursWithFewerThanK++;
    const found = expectedPositivesInTopK(scores, labels, rows, cut);
    precisionSum += found / cut;
    let positives = 0;
    for (const i of rows) positives += labels[i]!;
    if (positives > 0) {
      recallSum += found / positives;
      hoursWithPositives++;
    }
  }
  return {
    k,
    precisionAtK: byHour.size > 0 ? precisionSum / byHour.size : Number.NaN,
    recallAtK: hoursWithPositives > 0 ? recallSum / hoursWithPositives : Number.NaN,
    hours: byHour.size,
    hoursWithPositives,
    hoursWithFewerThanK,
  };
}
