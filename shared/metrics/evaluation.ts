import { perHourTopK } from './per_hour';
import { rankingAreas } from './fast_ranking';

/** Rows of an evaluation window: anomaly scores (higher = more abnormal) with their context. */
export interface ScoredRows {
  readonly scores: Float64Array;
  /** Proxy label, 0 or 1. */
  readonly labels: Uint8Array;
  /** Each row's hour (unix seconds / 3600 or any integer key). */
  readonly hours: Int32Array;
  /** Each row's index into `sourceNames`. */
  readonly sources: Uint16Array;
  readonly sourceNames: readonly string[];
}

export interface RankingMetrics {
  readonly rows: number;
  readonly positives: number;
  /** Average precision (scikit-learn's average_precision_score); null without positives. */
  readonly prAuc: number | null;
  /** null with one class only. */
  readonly rocAuc: number | null;
  readonly precisionAt10: number | null;
  readonly recallAt10: number | null;
  readonly hours: number;
  readonly hoursWithPositives: number;
  readonly hoursWithFewerThan10: number;
  /** Share of rows at or above the alert threshold; null when no threshold was given. */
  readonly alertRate: number | null;
}

export interface EvaluationMetrics {
  readonly overall: RankingMetrics;
  readonly bySource: Readonly<Record<string, RankingMetrics>>;
}

/** JSON has no NaN: an undefined metric is null, and says so in metrics.json and model_runs. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function metricsOf(rows: ScoredRows, pick: Uint32Array | null, threshold: number | null): RankingMetrics {
  const n = pick ? pick.length : rows.scores.length;
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  const hours = new Int32Array(n);
  let positives = 0;
  let alerts = 0;
  for (let j = 0; j < n; j++) {
    const i = pick ? pick[j]! : j;
    scores[j] = rows.scores[i]!;
    labels[j] = rows.labels[i]!;
    hours[j] = rows.hours[i]!;
    positives += labels[j]!;
    if (threshold !== null && scores[j]! >= threshold) alerts++;
  }
  const topK = perHourTopK(scores, labels, hours, 10);
  const areas = n > 0 ? rankingAreas(scores, labels) : { rocAuc: Number.NaN, averagePrecision: Number.NaN };
  return {
    rows: n,
    positives,
    prAuc: finiteOrNull(areas.averagePrecision),
    rocAuc: finiteOrNull(areas.rocAuc),
    precisionAt10: finiteOrNull(topK.precisionAtK),
    recallAt10: finiteOrNull(topK.recallAtK),
    hours: topK.hours,
    hoursWithPositives: topK.hoursWithPositives,
    hoursWithFewerThan10: topK.hoursWithFewerThanK,
    alertRate: threshold !== null && n > 0 ? alerts / n : null,
  };
}

/** PR-AUC, ROC-AUC, per-hour Precision@10 / Recall@10 and the alert rate, overall and per source. */
export function evaluateScores(rows: ScoredRows, threshold: number | null): EvaluationMetrics {
  const bySource: Record<string, RankingMetrics> = {};
  rows.sourceNames.forEach((name, s) => {
    const pick: number[] = [];
    for (let i = 0; i < rows.sources.length; i++) if (rows.sources[i] === s) pick.push(i);
    if (pick.length > 0) bySource[name] = metricsOf(rows, Uint32Array.from(pick), threshold);
  });
  return { overall: metricsOf(rows, null, threshold), bySource };
}
