import { diffiImportances, type FeatureMatrix } from '../iforest';
import type { LoadedModel } from './model_source';
import type { ScoreRequest, ScoreResponse } from './score_schema';

/**
 * Scores validated rows: score = -score_samples = 2^(-E[h(x)]/c(n)) in (0, 1], higher is more
 * abnormal; is_anomaly = score > threshold. Contributions are local DIFFI importances, every
 * feature, most responsible first (TreeSHAP is exact but over 500x slower per row; see the
 * serve README section).
 */
export function scoreRows(loaded: LoadedModel, rows: ScoreRequest['rows']): ScoreResponse {
  const names = loaded.featureNames;
  const cols = names.length;
  const values = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const features = rows[r]!.features;
    for (let c = 0; c < cols; c++) values[r * cols + c] = features[names[c]!]!;
  }
  const matrix: FeatureMatrix = { featureNames: names, rows: rows.length, values };
  const samples = loaded.model.scoreSamples(matrix);
  const importance = diffiImportances(loaded.model.model, matrix);
  const results: ScoreResponse['results'] = [];
  for (let r = 0; r < rows.length; r++) {
    const score = -samples[r]!;
    const contributions = names.map((feature, c) => ({ feature, value: values[r * cols + c]!, contribution: importance[r * cols + c]! }));
    contributions.sort((a, b) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1));
    const poolId = rows[r]!.pool_id;
    results.push({ ...(poolId === undefined ? {} : { pool_id: poolId }), score, is_anomaly: score > loaded.threshold, contributions });
  }
  return { model_version: loaded.version, threshold: loaded.threshold, results };
}
