/**
 * The model's features: names, order and SQL, defined once. The Dataform mart selects them
 * through a generated include (`npm run gen:dataform`), and the model reads them by name, so the
 * warehouse and the model cannot disagree. Each expression reads the mart's row `f`: one per pool
 * and hour on a filled grid (hours without an entity have zero flows and TVL carried forward),
 * joined with statistics of the pool's previous 168 hours and the market's same hour.
 *
 * Every feature is scale-free (a pool with every USD amount divided by 1,000 gets the same
 * values) and relative to the pool's own past or to the market: an Isolation Forest splits
 * uniformly between min and max, so absolute dollars would make "abnormal" mean "big pool". Rows
 * flagged as data errors (dq_mispriced_price) are left out of every trailing statistic and of the
 * carried TVL, so one mispriced hour does not distort the following week.
 */
export interface FeatureSpec {
  readonly name: string;
  readonly sql: string;
  readonly description: string;
}

/** ln(a / b) with a floored at b * 1e-6 (so a zero TVL stays finite); 0 when b is not positive. */
function logRatio(a: string, b: string): string {
  return `CASE WHEN ${b} > 0 THEN LN(SAFE_DIVIDE(GREATEST(COALESCE(${a}, 0), ${b} * 0.000001), ${b})) ELSE 0 END`;
}

/** ln(1 + x / usual), or ln(2) for any activity when the pool has no usual yet (quiet week). */
function log1pRelative(x: string, usual: string): string {
  return `LN(1 + COALESCE(SAFE_DIVIDE(GREATEST(${x}, 0), ${usual}), CASE WHEN ${x} > 0 THEN 1 ELSE 0 END))`;
}

export const FEATURES: readonly FeatureSpec[] = [
  {
    name: 'volume_vs_usual',
    sql: log1pRelative('f.volume_clean', 'f.usual_high_volume'),
    description: "ln(1 + volume / the 90th percentile of the pool's active hours in the previous 7 days): 0.7 at the usual busy hour; robust on quiet pools (only hours that traded count)",
  },
  {
    name: 'volume_vs_usual_1h_ago',
    sql: log1pRelative('COALESCE(f.volume_clean_1h_ago, 0)', 'f.usual_high_volume'),
    description: "the previous hour's volume against the same usual busy hour: a spike that lasts a second hour is no single noisy hour",
  },
  {
    name: 'tx_vs_usual',
    sql: log1pRelative('f.tx_count', 'f.usual_tx'),
    description: "ln(1 + transactions / the median of the pool's active hours in the previous 7 days)",
  },
  { name: 'log_turnover_day', sql: 'LN(1 + 24 * GREATEST(COALESCE(SAFE_DIVIDE(f.volume_clean, f.tvl_usd), 0), 0))', description: 'ln(1 + volume / TVL at a daily rate)' },
  { name: 'tvl_log_change_1h', sql: logRatio('f.tvl_usd', 'f.tvl_1h_ago'), description: 'ln(TVL / TVL an hour before)' },
  { name: 'tvl_log_change_24h', sql: logRatio('f.tvl_usd', 'f.tvl_24h_ago'), description: 'ln(TVL / TVL 24 hours before)' },
  { name: 'tvl_drawdown_7d', sql: `LEAST(${logRatio('f.tvl_usd', 'f.tvl_max_7d')}, 0)`, description: 'ln(TVL / the maximum TVL of the previous 7 days), at most 0' },
  {
    name: 'swap_rate_log_change_1h',
    sql: 'CASE WHEN f.swap_rate > 0 AND f.swap_rate_before > 0 THEN LN(SAFE_DIVIDE(f.swap_rate, f.swap_rate_before)) ELSE 0 END',
    description: 'ln of the token1-per-token0 rate of this hour\'s swaps against the last rate before it (every DEX kind reports token volumes; 0 without swaps)',
  },
  { name: 'price_range', sql: 'COALESCE(SAFE_DIVIDE(f.high - f.low, f.close), 0)', description: '(high - low) / close of the hour (0 where the DEX reports no OHLC)' },
  { name: 'active_share_7d', sql: 'SAFE_DIVIDE(f.active_hours_7d, GREATEST(LEAST(f.history_hours, 168), 1))', description: 'share of the previous 7 days (or of the history, if shorter) in which the pool traded' },
  { name: 'market_volume_move', sql: 'COALESCE(f.market_volume_move, 0)', description: 'median volume_vs_usual of the warm pools of the same chain that traded this hour: a market-wide surge' },
  { name: 'market_tvl_move', sql: 'COALESCE(f.market_tvl_move, 0)', description: 'median tvl_log_change_1h of the warm pools of the same chain that had an event this hour: a market-wide move' },
  { name: 'token_volume_move', sql: 'COALESCE(f.token_volume_move, 0)', description: "mean volume_vs_usual of the other warm pools of the same chain that share token0 or token1 and traded this hour (the pool itself excluded): a move of the pool's tokens" },
  { name: 'token_tvl_move', sql: 'COALESCE(f.token_tvl_move, 0)', description: "mean tvl_log_change_1h of the other warm pools of the same chain that share token0 or token1 and had an event this hour (the pool itself excluded)" },
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** Label: the hour's volume above this percentile of the pool's trailing window (past only). */
export const LABEL_PERCENTILE = 0.9;
/** Trailing window of the rolling statistics and of the label, in hours. */
export const TRAILING_HOURS = 168;
/** Hours of history before a pool may alert and before its label counts (`is_warm`). */
export const WARMUP_HOURS = 72;
/**
 * A past-only mispriced-token rule: the hour's implied USD price of token0 (USD volume / token0
 * volume) differs more than this factor from both the last known price before the hour and the
 * one known 3 hours before, while the pool's own swap rate (token1 per token0) moved less than 2x.
 */
export const MISPRICED_PRICE_FACTOR = 10;

/** The Dataform include generated from this file. */
export function renderDataformInclude(): string {
  const features = FEATURES.map((f) => `  { name: ${JSON.stringify(f.name)}, sql: ${JSON.stringify(f.sql)} },`).join('\n');
  return `// Generated from shared/features/feature_spec.ts by \`npm run gen:dataform\`. Do not edit.
const FEATURES = [
${features}
];
const FEATURE_NAMES = FEATURES.map((f) => f.name);
const FEATURE_SQL = Object.fromEntries(FEATURES.map((f) => [f.name, f.sql]));
const SELECT_LIST = FEATURES.map((f) => \`\${f.sql} AS \${f.name}\`).join(",\\n  ");
const LABEL_PERCENTILE = ${LABEL_PERCENTILE};
const TRAILING_HOURS = ${TRAILING_HOURS};
const WARMUP_HOURS = ${WARMUP_HOURS};
const MISPRICED_PRICE_FACTOR = ${MISPRICED_PRICE_FACTOR};
module.exports = { FEATURES, FEATURE_NAMES, FEATURE_SQL, SELECT_LIST, LABEL_PERCENTILE, TRAILING_HOURS, WARMUP_HOURS, MISPRICED_PRICE_FACTOR };
`;
}
