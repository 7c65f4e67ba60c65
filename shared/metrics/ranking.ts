/**
 * Ranking metrics for anomaly scores where a higher score means more abnormal and a label of 1
 * marks a true anomaly. Tied scores are grouped as scikit-learn groups them, so figures compare
 * one to one with roc_auc_score and average_precision_score.
 */

interface RankedGroups {
  /** Cumulative true and false positives after each group of tied scores, best score first. */
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

function rankByScore(scores: ArrayLike<number>, labels: ArrayLike<number>): RankedGroups {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const score = scores[i]!;
    if (Number.isNaN(score)) throw new RangeError(`score ${i} is NaN`);
    if (labels[i] === 1) tp++;
    else if (labels[i] === 0) fp++;
    else throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
    const next = order[k + 1];
    if (next === undefined || scores[next] !== score) {
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives: tp, negatives: fp };
}

/** Area under the ROC curve (trapezoids over tied groups); NaN when one class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { tps, fps, positives, negatives } = rankByScore(scores, labels);
  if (positives === 0 || negatives === 0) return Number.NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let g = 0; g < tps.length; g++) {
    area += ((fps[g]! - prevFp) * (tps[g]! + prevTp)) / 2;
    prevTp = tps[g]!;
    prevFp = fps[g]!;
  }
  return area / (positives * negatives);
}

/** Average precision (area under the precision-recall curve, step-wise: sklearn's PR-AUC). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { tps, fps, positives } = rankByScore(scores, labels);
  if (positives === 0) return Number.NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let g = 0; g < tps.length; g++) {
    const recall = tps[g]! / positives;
    const precision = tps[g]! / (tps[g]! + fps[g]!);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/** The k highest scores' indices; ties broken by lower index so the result is deterministic. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

/** Share of the k highest-scored rows that are anomalies (k capped at the row count). */
export function precisionAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  const top = topK(scores, k);
  if (top.length === 0) return Number.NaN;
  return top.filter((i) => labels[i] === 1).length / top.length;
}

/** Share of all anomalies found among the k highest-scored rows; NaN when there are none. */
export function recallAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  if (positives === 0) return Number.NaN;
  return topK(scores, k).filter((i) => labels[i] === 1).length / positives;
}
