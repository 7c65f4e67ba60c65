import { DEFAULT_POLICY, decideHour, type AlertDecision, type ScoredPoolHour } from '../alerting/alert_policy';
import type { AlertCandidate } from '../alerts/alert_candidate';
import type { AlertDeps } from '../alerts/deliver_alerts';
import { NotReadyError } from '../errors';
import { FEATURE_NAMES } from '../features/feature_spec';
import { iso } from '../hours';
import type { FeatureMatrix, IsolationForestModel } from '../iforest';
import { loadProductionModelCached } from '../model_registry/production_model_cache';
import { publishScoredHour, type PublishedHour } from '../scoring/publish_hour';
import type { FeatureContribution, PoolScore } from '../scoring/write_hour_scores';
import { diffiImportances } from '../iforest/diffi_axis';
import type { ObjectStore } from '../storage/object_store';
import { timedStep, type StepObserver } from './score_steps';
import type { Warehouse } from '../warehouse/warehouse';

const MART = '`dex_anomaly.mart_pool_features_labeled`';
const STAGING = '`dex_anomaly.stg_pool_hour`';
const TOP_FEATURES = 3;

export interface ScoreDeps {
  readonly warehouse: Warehouse;
  /** Where the model registry lives (models/<name>/...). */
  readonly store: ObjectStore;
  readonly modelName: string;
  /** Delivery: the notifier, the mute list, the alert policy's delivery settings. */
  readonly alerts: Omit<AlertDeps, 'warehouse'>;
  /** Told each step's cost (npm run bench:score); nothing is measured without it. */
  readonly onStep?: StepObserver;
}

export interface ScoreHourResult {
  readonly hour: string;
  readonly modelVersion: string;
  readonly pools: number;
  readonly anomalies: number;
  readonly alertCandidates: number;
  readonly published: PublishedHour;
  /** Pools scored and alert candidates per source, for the alert-rate band. */
  readonly bySource: readonly { readonly source: string; readonly pools: number; readonly alerts: number }[];
}

interface MartRow {
  readonly meta: Omit<ScoredPoolHour, 'score' | 'features'>;
  /** This row's features in FEATURE_NAMES order: a view into the hour's matrix. */
  readonly values: Float64Array;
}

/** The mart's columns the scorer reads besides the features (hour_ts is the hour asked). */
const MART_META = ['source', 'dex', 'chain', 'pool_id', 'history_hours', 'is_warm', 'is_data_error_now'] as const;

/**
 * The score use-case for one hour: the production model scores every pool-hour of the mart, the
 * alert policy decides, the ones that alert are explained (DIFFI: this hour's value against the
 * pool's last 7 days), the hour's scores are rewritten whole and the alerts recorded, deduplicated
 * by episode and delivered. The mart not having the hour yet is retryable (NotReadyError), never
 * an empty success. Rerunning an hour changes nothing and posts nothing again.
 */
export async function scoreHour(deps: ScoreDeps, hourUnix: number): Promise<ScoreHourResult> {
  const step = <T>(name: Parameters<StepObserver>[0], work: () => Promise<T> | T) => timedStep(deps.onStep, name, work);
  const production = await step('model', () => loadProductionModelCached(deps.store, deps.modelName, FEATURE_NAMES));
  if (!production) throw new NotReadyError(`no production model '${deps.modelName}' yet: run train first`);
  const { model, version, metadata } = production;
  const threshold = metadata.threshold.value;

  const { rows, matrix } = await step('read', () => readMartHour(deps.warehouse, hourUnix));
  if (rows.length === 0) throw new NotReadyError(`the mart has no rows for ${iso(hourUnix)} yet (fetch, load and the Dataform run come first)`);
  const scored = await step('score', () => {
    const raw = model.scoreSamples(matrix);
    return rows.map((r, i): ScoredPoolHour => ({ ...r.meta, score: -raw[i]!, features: featureRecord(r.values) }));
  });
  // Delivery deduplicates episodes from the alerts table, so the policy decides this hour alone.
  const { decisions } = await step('policy', () => decideHour(scored, { ...DEFAULT_POLICY, scoreThreshold: threshold, spikeConfirmThreshold: metadata.threshold.spikeConfirmValue, cooldownHours: deps.alerts.config.cooldownHours, mute: [] }));

  const alerting = decisions.map((d, i) => ({ d, i })).filter(({ d }) => d.alert_type !== null);
  const { context, ranks, contributions } = await step('explain', async () => {
    const explanations = explain(model.model, matrix, alerting.map(({ i }) => i));
    const context = await poolContext(deps.warehouse, hourUnix, alerting.map(({ d }) => d));
    const ranks = hourPercentiles(scored.map((s) => s.score));
    const contributions = new Map<number, FeatureContribution[]>();
    alerting.forEach(({ d, i }, k) => {
      const usual = context.usual.get(`${d.source}/${d.pool_id}`);
      contributions.set(i, topFeatures(explanations[k]!, rows[i]!.values, usual));
    });
    return { context, ranks, contributions };
  });

  const scores: PoolScore[] = decisions.map((d, i) => ({
    source: d.source,
    dex: d.dex,
    chain: d.chain,
    pool_id: d.pool_id,
    pair: context.pairs.get(`${d.source}/${d.pool_id}`) ?? null,
    hour_ts: hourUnix,
    score: d.score,
    threshold,
    is_anomaly: d.is_anomaly,
    alert_type: d.alert_type,
    severity: d.severity,
    model_version: version,
    top_features: contributions.get(i) ?? [],
  }));
  const candidates: AlertCandidate[] = alerting
    .filter(({ d }) => d.post || d.alert_type === 'data_error')
    .map(({ d, i }) => ({
      source: d.source,
      dex: d.dex,
      chain: d.chain,
      pool_id: d.pool_id,
      pair: context.pairs.get(`${d.source}/${d.pool_id}`) ?? null,
      hour_ts: hourUnix,
      alert_type: d.alert_type!,
      severity: d.severity ?? 'info',
      score: d.score,
      threshold,
      score_percentile: ranks[i]!,
      model_version: version,
      top_features: contributions.get(i) ?? [],
      facts: { ...d.reason_inputs },
    }));
  const published = await publishScoredHour({ ...deps.alerts, warehouse: deps.warehouse }, hourUnix, scores, candidates, deps.onStep);
  const sources = [...new Set(decisions.map((d) => d.source))].sort();
  const bySource = sources.map((source) => ({ source, pools: decisions.filter((d) => d.source === source).length, alerts: candidates.filter((c) => c.source === source && c.alert_type !== 'data_error').length }));
  return { hour: iso(hourUnix), modelVersion: version, pools: rows.length, anomalies: decisions.filter((d) => d.is_anomaly).length, alertCandidates: candidates.length, published, bySource };
}

/**
 * The mart's rows of the hour and their features as one matrix. Read by column chunks where the
 * warehouse offers them: an object per row and cell costs more than scoring the row.
 */
async function readMartHour(warehouse: Warehouse, hourUnix: number): Promise<{ rows: MartRow[]; matrix: FeatureMatrix }> {
  const columns = [...MART_META, ...FEATURE_NAMES];
  const sql = `SELECT ${columns.map((n) => `\`${n}\``).join(', ')} FROM ${MART} WHERE hour_ts = TIMESTAMP_SECONDS(@hour) ORDER BY source, pool_id`;
  const hourTs = new Date(hourUnix * 1000).toISOString();
  const metas: MartRow['meta'][] = [];
  const values: number[] = [];
  const add = (cell: (column: number) => unknown) => {
    metas.push({ source: String(cell(0)), dex: String(cell(1)), chain: String(cell(2)), pool_id: String(cell(3)), hour_ts: hourTs, history_hours: Number(cell(4)), is_warm: cell(5) === true, is_data_error: cell(6) === true });
    for (let c = MART_META.length; c < columns.length; c++) values.push(Number(cell(c)));
  };
  if (warehouse.streamChunks) {
    for await (const chunk of warehouse.streamChunks(sql, { hour: hourUnix })) {
      const at = columns.map((n) => chunk.columnNames.indexOf(n));
      for (let r = 0; r < chunk.rowCount; r++) add((c) => chunk.value(at[c]!, r));
    }
  } else {
    for (const row of await warehouse.query(sql, { hour: hourUnix })) add((c) => row[columns[c]!]);
  }
  const cols = FEATURE_NAMES.length;
  const flat = Float64Array.from(values);
  return { rows: metas.map((meta, i) => ({ meta, values: flat.subarray(i * cols, (i + 1) * cols) })), matrix: { rows: metas.length, values: flat, featureNames: FEATURE_NAMES } };
}

function featureRecord(values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  FEATURE_NAMES.forEach((name, c) => {
    out[name] = values[c]!;
  });
  return out;
}

/** DIFFI importances of the given rows only (alerts are few; the hour may have thousands of pools). */
function explain(model: IsolationForestModel, matrix: FeatureMatrix, rowIndexes: readonly number[]): Float64Array[] {
  if (rowIndexes.length === 0) return [];
  const cols = FEATURE_NAMES.length;
  const values = new Float64Array(rowIndexes.length * cols);
  rowIndexes.forEach((r, k) => { values.set(matrix.values.subarray(r * cols, (r + 1) * cols), k * cols); });
  const importances = diffiImportances(model, { ...matrix, rows: rowIndexes.length, values });
  return rowIndexes.map((_, k) => importances.subarray(k * cols, (k + 1) * cols));
}

function topFeatures(importance: Float64Array, values: Float64Array, usual: readonly (number | null)[] | undefined): FeatureContribution[] {
  return FEATURE_NAMES.map((feature, c) => ({ feature, value: values[c]!, baseline: usual?.[c] ?? null, contribution: importance[c]! }))
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, TOP_FEATURES);
}

/** Each score's percentile among this hour's pools (100 = the most abnormal): how rare it is now. */
function hourPercentiles(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  const out = new Array<number>(scores.length);
  order.forEach(({ i }, rank) => { out[i] = (100 * (rank + 0.5)) / scores.length; });
  return out;
}

const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The alerting pools' pairs and their usual feature values (means of the previous 7 days), in one query: a BigQuery job costs a second whatever it reads. */
async function poolContext(warehouse: Warehouse, hourUnix: number, alerting: readonly AlertDecision[]): Promise<{ pairs: Map<string, string>; usual: Map<string, (number | null)[]> }> {
  const pairs = new Map<string, string>();
  const usual = new Map<string, (number | null)[]>();
  if (alerting.length === 0) return { pairs, usual };
  const poolList = [...new Set(alerting.map((d) => d.pool_id))].map(quoted).join(', ');
  const means = FEATURE_NAMES.map((n) => `AVG(\`${n}\`) AS \`${n}\``).join(', ');
  const window = { from: hourUnix - 168 * 3600, hour: hourUnix };
  const sql = `WITH usual AS (SELECT source, pool_id, ${means} FROM ${MART} WHERE hour_ts >= TIMESTAMP_SECONDS(@from) AND hour_ts < TIMESTAMP_SECONDS(@hour) AND pool_id IN (${poolList}) GROUP BY source, pool_id),
tokens AS (SELECT source, pool_id, MAX(token0_symbol) AS t0, MAX(token1_symbol) AS t1 FROM ${STAGING} WHERE hour_ts >= TIMESTAMP_SECONDS(@from) AND hour_ts <= TIMESTAMP_SECONDS(@hour) AND pool_id IN (${poolList}) GROUP BY source, pool_id)
SELECT COALESCE(u.source, t.source) AS source, COALESCE(u.pool_id, t.pool_id) AS pool_id, u.pool_id IS NOT NULL AS has_usual, t.t0, t.t1, ${FEATURE_NAMES.map((n) => `u.\`${n}\``).join(', ')}
FROM usual AS u FULL OUTER JOIN tokens AS t ON t.source = u.source AND t.pool_id = u.pool_id`;
  for (const r of await warehouse.query(sql, window)) {
    const key = `${String(r.source)}/${String(r.pool_id)}`;
    if (r.has_usual === true) usual.set(key, FEATURE_NAMES.map((n) => (r[n] === null || r[n] === undefined ? null : Number(r[n]))));
    if (typeof r.t0 === 'string' && typeof r.t1 === 'string') pairs.set(key, `${r.t0}/${r.t1}`);
  }
  return { pairs, usual };
}
