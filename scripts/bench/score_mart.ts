/**
 * The bench's input: `dex_anomaly.mart_pool_features_labeled` and the staging columns the scorer
 * reads, built directly in DuckDB with the mart's columns and feature names. Values are
 * hash-derived (the same options give the same table) and shaped like the real mart's: log ratios
 * near 0, volume at its usual busy hour near ln 2, a few quiet hours, a few young pools, and
 * injected rug pulls, drains, volume spikes and data errors at a set rate per pool-hour.
 */
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import type { Warehouse } from '../../shared/warehouse/warehouse';

export const BENCH_SOURCES = [
  { id: 'uniswap-v3-ethereum', dex: 'uniswap' },
  { id: 'sushiswap-v2-ethereum', dex: 'sushiswap' },
  { id: 'sushiswap-v3-ethereum', dex: 'sushiswap' },
] as const;

export interface BenchMartOptions {
  /** Pools in all, spread over the three sources. */
  readonly pools: number;
  /** First hour in the table, unix seconds. */
  readonly fromHour: number;
  readonly hours: number;
  /** Chance per pool-hour of each injected market event (a spike is twice as likely); data errors at the same rate. */
  readonly eventRate: number;
  readonly salt: number;
}

const SYMBOLS = ['WETH', 'USDC', 'USDT', 'DAI', 'WBTC', 'LINK', 'UNI', 'PEPE', 'SHIB', 'ARB', 'MKR', 'AAVE'];

/** Builds both tables and answers the mart's row count. */
export async function createBenchMart(wh: Warehouse, o: BenchMartOptions): Promise<number> {
  const u = (k: string, per: 'row' | 'pool' | 'hour' = 'row'): string => {
    const key = per === 'row' ? 'p.i, h.i' : per === 'pool' ? 'p.i' : 'h.i';
    return `((hash(${o.salt}, '${k}', ${key}) % 1000003) + 1) / 1000004.0`;
  };
  const normal = (k: string, per: 'row' | 'pool' | 'hour' = 'row') => `(SQRT(-2 * LN(${u(`${k}a`, per)})) * COS(2 * PI() * ${u(`${k}b`, per)}))`;
  const r = o.eventRate;
  const event = `CASE WHEN ${u('ev')} < ${r} THEN 'rug' WHEN ${u('ev')} < ${2 * r} THEN 'drain' WHEN ${u('ev')} < ${4 * r} THEN 'spike' ELSE 'none' END`;
  const features: Record<string, string> = {
    volume_vs_usual: "CASE WHEN event = 'spike' THEN 3.2 WHEN quiet THEN 0 ELSE LN(1 + EXP(-0.9 + 0.8 * n_vol)) END",
    tx_vs_usual: "CASE WHEN event = 'spike' THEN 2.6 WHEN quiet THEN 0 ELSE LN(1 + EXP(0.6 * n_tx)) END",
    log_turnover_day: 'CASE WHEN quiet THEN 0 ELSE LN(1 + 24 * EXP(-5 + 1.5 * n_turn)) END',
    tvl_log_change_1h: "CASE WHEN event = 'rug' THEN LN(0.04) WHEN event = 'drain' THEN LN(0.55) ELSE 0.01 * n_tvl + market_tvl END",
    tvl_log_change_24h: "CASE WHEN event = 'rug' THEN LN(0.03) WHEN event = 'drain' THEN LN(0.5) ELSE 0.05 * n_tvl24 END",
    tvl_drawdown_7d: "CASE WHEN event = 'rug' THEN LN(0.03) WHEN event = 'drain' THEN LN(0.45) ELSE -ABS(0.05 * n_dd) END",
    swap_rate_log_change_1h: "CASE WHEN event = 'rug' THEN LN(0.08) WHEN quiet THEN 0 ELSE 0.005 * n_rate END",
    price_range: 'CASE WHEN quiet THEN 0 ELSE ABS(0.01 * n_range) END',
    active_share_7d: 'activity',
    market_volume_move: 'market_volume',
    market_tvl_move: 'market_tvl',
    // The pool's tokens move with the market here, give or take.
    token_volume_move: 'market_volume + 0.05 * n_tokv',
    token_tvl_move: 'market_tvl + 0.002 * n_tokt',
    // The hour before an injected event was ordinary.
    volume_vs_usual_1h_ago: 'CASE WHEN quiet THEN 0 ELSE LN(1 + EXP(-0.9 + 0.8 * n_vol1)) END',
  };
  const missing = FEATURE_NAMES.filter((n) => !(n in features));
  if (missing.length > 0) throw new Error(`bench mart: no generator for feature(s) ${missing.join(', ')}`);
  const sources = BENCH_SOURCES.map((s, i) => `(${i}, '${s.id}', '${s.dex}')`).join(', ');
  const symbols = `['${SYMBOLS.join("', '")}']`;
  await wh.query('CREATE SCHEMA IF NOT EXISTS dex_anomaly');
  await wh.query(`CREATE OR REPLACE TABLE dex_anomaly.mart_pool_features_labeled AS
WITH base AS (
  SELECT
    s.name AS source, s.dex, 'ethereum' AS chain,
    '0x' || SUBSTR(md5(CONCAT('${o.salt}|', p.i)) || md5(CONCAT(p.i, '|${o.salt}')), 1, 40) AS pool_id,
    CAST(TO_TIMESTAMP(${o.fromHour} + 3600 * h.i) AS TIMESTAMP) AS hour_ts,
    -- one pool in twenty is young (under the policy's 72 h of history)
    CAST(CASE WHEN ${u('young', 'pool')} < 0.05 THEN FLOOR(${u('age', 'pool')} * 72) ELSE 500 + FLOOR(${u('age', 'pool')} * 5000) END + h.i AS BIGINT) AS history_hours,
    ${u('quiet')} > 0.3 + 0.7 * ${u('act', 'pool')} AS quiet,
    0.3 + 0.7 * ${u('act', 'pool')} AS activity,
    ${event} AS event,
    ${u('err')} < ${r} AS is_data_error,
    0.3 + 0.05 * ${normal('mv', 'hour')} AS market_volume,
    0.003 * ${normal('mt', 'hour')} AS market_tvl,
    ${['vol', 'vol1', 'tx', 'turn', 'tvl', 'tvl24', 'dd', 'rate', 'range', 'tokv', 'tokt'].map((k) => `${normal(k)} AS n_${k}`).join(', ')}
  FROM (VALUES ${sources}) AS s(i, name, dex)
  JOIN range(${o.pools}) AS p(i) ON p.i % ${BENCH_SOURCES.length} = s.i
  CROSS JOIN range(${o.hours}) AS h(i)
)
SELECT source, dex, chain, pool_id, hour_ts, history_hours, history_hours >= 24 AS is_warm, is_data_error, is_data_error AS is_data_error_now,
  ${features.volume_vs_usual} > LN(2) AS y,
  ${FEATURE_NAMES.map((n) => `CASE WHEN is_data_error THEN 9 ELSE ${features[n]!} END AS ${n}`).join(',\n  ')}
FROM base`);
  await wh.query(`CREATE OR REPLACE TABLE dex_anomaly.stg_pool_hour AS
SELECT source, pool_id, hour_ts,
  ${symbols}[CAST(1 + hash(CONCAT(pool_id, '0')) % ${SYMBOLS.length} AS BIGINT)] AS token0_symbol,
  ${symbols}[CAST(1 + hash(CONCAT(pool_id, '1')) % ${SYMBOLS.length} AS BIGINT)] AS token1_symbol
FROM dex_anomaly.mart_pool_features_labeled`);
  return countBenchMart(wh);
}

/** Rows of the mart. */
export async function countBenchMart(wh: Warehouse): Promise<number> {
  const rows = await wh.query('SELECT COUNT(*) AS n FROM dex_anomaly.mart_pool_features_labeled');
  return Number(rows[0]!.n);
}
