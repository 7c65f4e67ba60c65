/**
 * The SQL a training run sends, generated here (pure) and checked against golden files. Every
 * query filters on hour_ts first, so BigQuery prunes to the window's partitions: the cost of a
 * run follows the window, never the table.
 */
export const MART_TABLE = '`dex_anomaly.mart_pool_features_labeled`';
/** Resolution of the hash sample: a row is kept when its bucket is below rate x BUCKETS. */
export const SAMPLE_BUCKETS = 1_000_000;

const ELIGIBLE = 'is_warm AND NOT is_data_error';

/**
 * A deterministic bucket in [0, SAMPLE_BUCKETS) from the seed, source, pool and hour (not RAND(),
 * so a rerun reads the same rows). Each engine has its own hash, so BigQuery and DuckDB sample
 * different (equally fair) rows.
 */
export function sampleBucketSql(dialect: 'bigquery' | 'duckdb', columns: readonly string[]): string {
  if (dialect === 'duckdb') return `CAST(hash(@seed, ${columns.join(', ')}) % ${SAMPLE_BUCKETS} AS BIGINT)`;
  // FARM_FINGERPRINT takes one string; DuckDB's hash takes the values themselves (no string built per row).
  const key = `CONCAT(${['CAST(@seed AS STRING)', ...columns.map((c) => (c === 'hour_ts' ? 'CAST(UNIX_SECONDS(hour_ts) AS STRING)' : c))].join(", '|', ")})`;
  return `MOD(ABS(FARM_FINGERPRINT(${key})), ${SAMPLE_BUCKETS})`;
}

const ROW_KEY = ['source', 'pool_id', 'hour_ts'];
const HOUR_KEY = ['hour_ts'];

/** Eligible rows in the training and evaluation parts of the window (@window_start, @eval_start, @window_end). */
export function windowCountSql(): string {
  return `SELECT
  SUM(CASE WHEN hour_ts < @eval_start THEN 1 ELSE 0 END) AS train_rows,
  SUM(CASE WHEN hour_ts >= @eval_start THEN 1 ELSE 0 END) AS eval_rows,
  COUNT(DISTINCT CASE WHEN hour_ts >= @eval_start THEN hour_ts END) AS eval_hours
FROM ${MART_TABLE}
WHERE hour_ts >= @window_start AND hour_ts < @window_end AND ${ELIGIBLE}`;
}

/** The training sample: about @buckets / SAMPLE_BUCKETS of the training part, in a stable order. */
export function trainingSampleSql(dialect: 'bigquery' | 'duckdb', featureNames: readonly string[]): string {
  return `SELECT ${featureNames.join(', ')}
FROM ${MART_TABLE}
WHERE hour_ts >= @window_start AND hour_ts < @eval_start AND ${ELIGIBLE}
  AND ${sampleBucketSql(dialect, ROW_KEY)} < @buckets
ORDER BY source, pool_id, hour_ts`;
}

/**
 * The evaluation part: every pool of about @buckets / SAMPLE_BUCKETS of its hours (all hours at
 * SAMPLE_BUCKETS, only with sampleHours). Unordered: the metrics do not depend on row order, and a sort of a million rows
 * would hold them all in the engine. pool_id only when a ground truth needs it.
 */
export function evaluationSql(dialect: 'bigquery' | 'duckdb', featureNames: readonly string[], withPoolId = false, sampleHours = false): string {
  const sample = sampleHours ? `\n  AND ${sampleBucketSql(dialect, HOUR_KEY)} < @buckets` : '';
  return `SELECT source, UNIX_SECONDS(hour_ts) AS hour_unix, y, ${withPoolId ? 'pool_id, ' : ''}${featureNames.join(', ')}
FROM ${MART_TABLE}
WHERE hour_ts >= @eval_start AND hour_ts < @window_end AND ${ELIGIBLE}${sample}`;
}

/**
 * Every row of the evaluation part (warm-up and data errors too: the scorer sees them), hour by
 * hour, with what the alert policy reads. The data-error flag is the past-only one the scorer has
 * when the hour is new: the mart's is_data_error adds a look-ahead flag known 5 hours later.
 * Read only where a ground truth exists (the local simulator).
 */
export function truthReplaySql(featureNames: readonly string[]): string {
  return `SELECT source, dex, chain, pool_id, UNIX_SECONDS(hour_ts) AS hour_unix, history_hours, is_warm,
  (dq_mispriced_price OR dq_negative_tvl OR dq_usd_zero_tokens_nonzero) AS error_now, ${featureNames.join(', ')}
FROM ${MART_TABLE}
WHERE hour_ts >= @eval_start AND hour_ts < @window_end
ORDER BY hour_ts, source, pool_id`;
}
