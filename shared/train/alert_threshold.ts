import { percentileLinear } from '../iforest/percentile';

/**
 * The alert threshold stored with a model, on the anomaly-score scale (-score_samples, in (0, 1],
 * higher = more abnormal): a row alerts when its anomaly score is >= the threshold. It is the
 * (1 - targetAlertRate) quantile of the training rows' anomaly scores (numpy's linear
 * interpolation), so about targetAlertRate of rows like the training data alert.
 */
export function alertThreshold(trainingAnomalyScores: ArrayLike<number>, targetAlertRate: number): number {
  if (!(targetAlertRate > 0 && targetAlertRate < 1)) throw new RangeError(`targetAlertRate must be in (0, 1), got ${targetAlertRate}`);
  if (trainingAnomalyScores.length === 0) throw new RangeError('no training scores to take a threshold from');
  return percentileLinear(trainingAnomalyScores, 100 * (1 - targetAlertRate));
}

/** Share of scores at or above the threshold. */
export function alertRate(anomalyScores: ArrayLike<number>, threshold: number): number {
  if (anomalyScores.length === 0) return Number.NaN;
  let alerts = 0;
  for (let i = 0; i < anomalyScores.length; i++) if (anomalyScores[i]! >= threshold) alerts++;
  return alerts / anomalyScores.length;
}
