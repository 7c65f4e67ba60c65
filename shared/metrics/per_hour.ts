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
export function expectedPositivesInTopK(scores: ArrayLike<number>, labels: ArrayLike<number>, rows: ArrayLike<number>, k: number): number {
  const cut = Math.min(k, rows.length);
  if (cut === 0) return 0;
  const sorted = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) sorted[j] = scores[rows[j]!]!;
  sorted.sort();
  const kth = sorted[rows.length - cut]!;
  // Rows above the k-th score are all taken; the group tied at it shares the slots left.
  let above = 0;
  let abovePositives = 0;
  let tied = 0;
  let tiedPositives = 0;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]!;
    const score = scores[i]!;
    if (score > kth) {
      above++;
      abovePositives += labels[i]!;
    } else if (score === kth) {
      tied++;
      tiedPositives += labels[i]!;
    }
  }
  return abovePositives + (tiedPositives * (cut - above)) / tied;
}

/** Per-hour Precision@k and Recall@k; `hours` holds each row's hour (any integer key). */
export function perHourTopK(scores: ArrayLike<number>, labels: ArrayLike<number>, hours: ArrayLike<number>, k = 10): PerHourTopK {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (scores.length !== labels.length || scores.length !== hours.length) {
    throw new RangeError(`${scores.length} scores, ${labels.length} labels and ${hours.length} hours`);
  }
  // Rows grouped by hour in flat arrays (a counting sort), not an array per hour.
  const hourIndex = new Map<number, number>();
  const rowHour = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
    let h = hourIndex.get(hours[i]!);
    if (h === undefined) hourIndex.set(hours[i]!, (h = hourIndex.size));
    rowHour[i] = h;
  }
  const groups = hourIndex.size;
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < scores.length; i++) start[rowHour[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const order = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) order[fill[rowHour[i]!]!++] = i;

  let precisionSum = 0;
  let recallSum = 0;
  let hoursWithPositives = 0;
  let hoursWithFewerThanK = 0;
  for (let g = 0; g < groups; g++) {
    const rows = order.subarray(start[g], start[g + 1]);
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
    precisionAtK: groups > 0 ? precisionSum / groups : Number.NaN,
    recallAtK: hoursWithPositives > 0 ? recallSum / hoursWithPositives : Number.NaN,
    hours: groups,
    hoursWithPositives,
    hoursWithFewerThanK,
  };
}
