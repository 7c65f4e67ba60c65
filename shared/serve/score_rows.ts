// The files themselves, not '../iforest': its index also loads training and import code (and
// their zod schemas), which a serving instance never runs, at cold start.
import { scoreAndExplain } from '../iforest/diffi_axis';
import type { FeatureMatrix } from '../iforest/feature_matrix';
import type { LoadedModel } from './model_source';
import type { ScoreRequest, ScoreResponse } from './score_schema';

type Contribution = ScoreResponse['results'][number]['contributions'][number];

/** What both forms of the answer are written from: per row its score and its columns ranked. */
interface RankedRows {
  readonly cols: number;
  readonly values: Float64Array;
  /** score_samples per row; the answer's score is its negation. */
  readonly samples: Float64Array;
  readonly importance: Float64Array;
  /** Row r's columns, most responsible first, at [r * cols, (r + 1) * cols). */
  readonly order: Int32Array;
}

/**
 * Scores validated rows: score = -score_samples = 2^(-E[h(x)]/c(n)) in (0, 1], higher is more
 * abnormal; is_anomaly = score > threshold. Contributions are local DIFFI importances, every
 * feature, most responsible first, ties by feature name (TreeSHAP is exact but over 500x slower
 * per row; see the serve README section).
 */
export function scoreRows(loaded: LoadedModel, rows: ScoreRequest['rows']): ScoreResponse {
  const names = loaded.featureNames;
  const { cols, values, samples, importance, order } = rankRows(loaded, rows);
  const results: ScoreResponse['results'] = new Array<ScoreResponse['results'][number]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const base = r * cols;
    const contributions = new Array<Contribution>(cols);
    for (let k = 0; k < cols; k++) {
      const c = order[base + k]!;
      contributions[k] = { feature: names[c]!, value: values[base + c]!, contribution: importance[base + c]! };
    }
    const score = -samples[r]!;
    const poolId = rows[r]!.pool_id;
    const isAnomaly = score > loaded.threshold;
    results[r] = poolId === undefined ? { score, is_anomaly: isAnomaly, contributions } : { pool_id: poolId, score, is_anomaly: isAnomaly, contributions };
  }
  return { model_version: loaded.version, threshold: loaded.threshold, results };
}

/**
 * The same answer as scoreRows, as the JSON text JSON.stringify(scoreRows(loaded, rows)) would
 * give, byte for byte, written straight from the score arrays: a 1-row answer then costs no
 * objects to build, walk and collect (the hot path of POST /score).
 */
export function scoreRowsJson(loaded: LoadedModel, rows: ScoreRequest['rows']): string {
  const { cols, values, samples, importance, order } = rankRows(loaded, rows);
  const prefixes = featurePrefixes(loaded.featureNames);
  let out = `{"model_version":${JSON.stringify(loaded.version)},"threshold":${jsonNumber(loaded.threshold)},"results":[`;
  for (let r = 0; r < rows.length; r++) {
    const base = r * cols;
    const score = -samples[r]!;
    const poolId = rows[r]!.pool_id;
    if (r > 0) out += ',';
    out += poolId === undefined ? '{"score":' : `{"pool_id":${JSON.stringify(poolId)},"score":`;
    out += `${jsonNumber(score)},"is_anomaly":${score > loaded.threshold ? 'true' : 'false'},"contributions":[`;
    for (let k = 0; k < cols; k++) {
      const c = order[base + k]!;
      out += `${k > 0 ? ',' : ''}${prefixes[c]!}${jsonNumber(values[base + c]!)},"contribution":${jsonNumber(importance[base + c]!)}}`;
    }
    out += ']}';
  }
  return `${out}]}`;
}

/** A number as JSON.stringify writes it: ToString for finite numbers (-0 is "0"), null otherwise. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * The arrays of a 1-row request, reused: rankRows' result is read before the next request starts
 * (both writers are synchronous), and each of these arrays above 64 bytes would otherwise be a
 * fresh off-heap buffer for the garbage collector to track and free, per request.
 */
const oneRowBuffers = new WeakMap<readonly string[], { values: Float64Array; order: Int32Array; scoreSamples: Float64Array; importance: Float64Array }>();

function buffersFor(names: readonly string[], rows: number) {
  const cols = names.length;
  if (rows !== 1) return { values: new Float64Array(rows * cols), order: new Int32Array(rows * cols), explain: undefined };
  let b = oneRowBuffers.get(names);
  if (!b) oneRowBuffers.set(names, (b = { values: new Float64Array(cols), order: new Int32Array(cols), scoreSamples: new Float64Array(1), importance: new Float64Array(cols) }));
  return { values: b.values, order: b.order, explain: b };
}

function rankRows(loaded: LoadedModel, rows: ScoreRequest['rows']): RankedRows {
  const names = loaded.featureNames;
  const cols = names.length;
  const { values, order, explain } = buffersFor(names, rows.length);
  for (let r = 0; r < rows.length; r++) {
    const features = rows[r]!.features;
    for (let c = 0; c < cols; c++) values[r * cols + c] = features[names[c]!]!;
  }
  const matrix: FeatureMatrix = { featureNames: names, rows: rows.length, values };
  const { scoreSamples: samples, importance } = scoreAndExplain(loaded.model, matrix, explain);
  const rank = nameRanks(names);
  for (let r = 0; r < rows.length; r++) {
    const base = r * cols;
    // Insertion sort of the few columns: larger contribution first, then the name's rank.
    for (let c = 0; c < cols; c++) {
      const v = importance[base + c]!;
      let k = c;
      for (; k > 0; k--) {
        const prev = order[base + k - 1]!;
        const w = importance[base + prev]!;
        if (w > v || (w === v && rank[prev]! < rank[c]!)) break;
        order[base + k] = prev;
      }
      order[base + k] = c;
    }
  }
  return { cols, values, samples, importance, order };
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

const prefixCache = new WeakMap<readonly string[], readonly string[]>();

/** Per feature, the JSON of a contribution up to its value: `{"feature":"<name>","value":`. */
function featurePrefixes(names: readonly string[]): readonly string[] {
  let prefixes = prefixCache.get(names);
  if (!prefixes) prefixCache.set(names, (prefixes = names.map((name) => `{"feature":${JSON.stringify(name)},"value":`)));
  return prefixes;
}
