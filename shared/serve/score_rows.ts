import { scoreAndExplain, type FeatureMatrix } from '../iforest';
import type { LoadedModel } from './model_source';
import type { ScoreRequest, ScoreResponse } from './score_schema';

type Contribution = ScoreResponse['results'][number]['contributions'][number];

/**
 * Scores validated rows: score = -score_samples = 2^(-E[h(x)]/c(n)) in (0, 1], higher is more
 * abnormal; is_anomaly = score > threshold. Contributions are local DIFFI importances, every
 * feature, most responsible first, ties by feature name (TreeSHAP is exact but over 500x slower
 * per row; see the serve README section).
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
  const { scoreSamples: samples, importance } = scoreAndExplain(loaded.model, matrix);
  const rank = nameRanks(names);
  const order = new Int32Array(cols);
  const results: ScoreResponse['results'] = new Array<ScoreResponse['results'][number]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const base = r * cols;
    // Insertion sort of the few columns: larger contribution first, then the name's rank.
    for (let c = 0; c < cols; c++) {
      const v = importance[base + c]!;
      let k = c;
      for (; k > 0; k--) {
        const prev = order[k - 1]!;
        const w = importance[base + prev]!;
        if (w > v || (w === v && rank[prev]! < rank[c]!)) break;
        order[k] = prev;
      }
      order[k] = c;
    }
    const contributions = new Array<Contribution>(cols);
    for (let k = 0; k < cols; k++) {
      const c = order[k]!;
      contributions[k] = { feature: names[c]!, value: values[base + c]!, contribution: importance[base + c]! };
    }
    const score = -samples[r]!;
    const poolId = rows[r]!.pool_id;
    const isAnomaly = score > loaded.threshold;
    results[r] = poolId === undefined ? { score, is_anomaly: isAnomaly, contributions } : { pool_id: poolId, score, is_anomaly: isAnomaly, contributions };
  }
  return { model_version: loaded.version, threshold: loaded.threshold, results };
}

const ranks = new WeakMap<readonly string[], Int32Array>();

/** Each name's position in code-unit order: the tie-break between equal contributions. */
function nameRanks(names: readonly string[]): Int32Array {
  let rank = ranks.get(names);
  if (!rank) {
    const sorted = names.map((name, c) => ({ name, c })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    rank = new Int32Array(names.length);
    sorted.forEach(({ c }, i) => (rank![c] = i));
    ranks.set(names, rank);
  }
  return rank;
}
