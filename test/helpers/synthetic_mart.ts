import type { Warehouse } from '../../shared/warehouse/warehouse';

export interface SyntheticMartOptions {
  readonly sources: readonly string[];
  readonly poolsPerSource: number;
  readonly hours: number;
  /** Exclusive end hour of the table, ISO. */
  readonly end: string;
  readonly featureNames: readonly string[];
  /** Salt of the pseudo-random values: another salt, other data. */
  readonly salt?: number;
  /** Share of rows that are anomalies (y = 1, every feature shifted by +5). */
  readonly anomalyRate?: number;
  /** Adds the dex and chain columns the alert policy reads (a ground-truth replay in train). */
  readonly dexAndChain?: boolean;
}

/**
 * Builds dex_anomaly.mart_pool_features_labeled directly in DuckDB with the columns training
 * and the alert policy read: standard-normal features (hash-derived, so the same options give the same table), a
 * share of anomalies shifted by +5 with y = 1, the first 24 hours of every pool not warm, and 1 %
 * of rows flagged as data errors whose features are all 999 (a training run that reads them shows).
 */
export async function createSyntheticMart(wh: Warehouse, o: SyntheticMartOptions): Promise<number> {
  const salt = o.salt ?? 1;
  const anomalyRate = o.anomalyRate ?? 0.01;
  const u = (k: string): string => `((hash(CONCAT('${salt}|${k}|', s.i, '|', p.i, '|', h.i)) % 1000003) + 1) / 1000004.0`;
  const features = o.featureNames
    .map((name, c) => `CASE WHEN ${u('err')} < 0.01 THEN 999 ELSE SQRT(-2 * LN(${u(`a${c}`)})) * COS(2 * PI() * ${u(`b${c}`)}) + CASE WHEN ${u('y')} < ${anomalyRate} THEN 5 ELSE 0 END END AS ${name}`)
    .join(',\n  ');
  const sources = o.sources.map((s, i) => `(${i}, '${s}')`).join(', ');
  await wh.query('CREATE SCHEMA IF NOT EXISTS dex_anomaly');
  await wh.query(`CREATE OR REPLACE TABLE dex_anomaly.mart_pool_features_labeled AS
SELECT
  s.name AS source,${o.dexAndChain === true ? "\n  'uniswap_v3' AS dex,\n  'ethereum' AS chain," : ''}
  CONCAT('0xpool', s.i, '_', p.i) AS pool_id,
  TIMESTAMP '${o.end.replace('T', ' ').replace('Z', '')}' - INTERVAL (${o.hours} - h.i) HOUR AS hour_ts,
  CAST(h.i - (p.i % 48) AS BIGINT) AS history_hours,
  h.i - (p.i % 48) >= 24 AS is_warm,
  ${u('err')} < 0.01 AS is_data_error,
  ${u('err')} < 0.01 AS dq_mispriced_price,
  FALSE AS dq_negative_tvl,
  FALSE AS dq_usd_zero_tokens_nonzero,
  ${u('err')} < 0.01 AS is_data_error_now,
  ${u('y')} < ${anomalyRate} AS y,
  ${features}
FROM (VALUES ${sources}) AS s(i, name)
CROSS JOIN range(${o.poolsPerSource}) AS p(i)
CROSS JOIN range(${o.hours}) AS h(i)
WHERE h.i >= p.i % 48`);
  const rows = await wh.query('SELECT COUNT(*) AS n FROM dex_anomaly.mart_pool_features_labeled');
  return Number(rows[0]!.n);
}
