/**
 * The model's features: names, order and SQL, defined once. The Dataform mart selects them
 * through a generated include (`npm run gen:dataform`), and the model reads them by name, so the
 * warehouse and the model cannot disagree. Each expression reads the mart's `filled` rows (one
 * per pool and hour, hours without an entity filled) joined with the trailing 7-day statistics.
 * USD amounts go through LN(1 + x): an Isolation Forest splits uniformly between min and max, so
 * raw dollars would make "abnormal" mean "big pool".
 */
export interface FeatureSpec {
  readonly name: string;
  readonly sql: string;
  readonly description: string;
}

export const FEATURES: readonly FeatureSpec[] = [
  { name: 'log_volume_usd', sql: 'LN(1 + GREATEST(f.volume_usd, 0))', description: 'log1p of the hour\'s USD volume (0 for hours without an entity)' },
  { name: 'log_tvl_usd', sql: 'LN(1 + GREATEST(f.tvl_usd, 0))', description: 'log1p of TVL in USD, carried forward through quiet hours' },
  { name: 'turnover', sql: 'COALESCE(SAFE_DIVIDE(f.volume_usd, f.tvl_usd), 0)', description: 'volume / TVL' },
  { name: 'tvl_change_1h', sql: 'COALESCE(SAFE_DIVIDE(f.tvl_usd - f.tvl_1h_ago, f.tvl_1h_ago), 0)', description: 'relative TVL change over 1 hour' },
  { name: 'tvl_change_24h', sql: 'COALESCE(SAFE_DIVIDE(f.tvl_usd - f.tvl_24h_ago, f.tvl_24h_ago), 0)', description: 'relative TVL change over 24 hours' },
  {
    name: 'volume_robust_z_7d',
    sql: `CASE WHEN f.history_hours < 24 THEN 0 ELSE COALESCE((LN(1 + GREATEST(f.volume_usd, 0)) - s.median_log_volume_7d) / GREATEST(1.4826 * s.mad_log_volume_7d, 0.1), 0) END`,
    description: 'robust z-score of log1p volume against the pool\'s trailing 7 days (median / MAD, floored at 0.1 so flat histories stay finite; 0 before a day of history)',
  },
  { name: 'log_tx_count', sql: 'LN(1 + GREATEST(f.tx_count, 0))', description: 'log1p of the hour\'s transaction count (every event, not only swaps)' },
  { name: 'price_range', sql: 'COALESCE(SAFE_DIVIDE(f.high - f.low, f.close), 0)', description: '(high - low) / close of the hour (0 where the DEX reports no OHLC)' },
  { name: 'fee_to_tvl', sql: 'COALESCE(SAFE_DIVIDE(f.fees_usd, f.tvl_usd), 0)', description: 'fees / TVL' },
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** Label: the hour's volume above this percentile of the pool's trailing window (past only). */
export const LABEL_PERCENTILE = 0.9;
/** Trailing window of the rolling statistics and of the label, in hours. */
export const TRAILING_HOURS = 168;

/** The Dataform include generated from this file. */
export function renderDataformInclude(): string {
  const features = FEATURES.map((f) => `  { name: ${JSON.stringify(f.name)}, sql: ${JSON.stringify(f.sql)} },`).join('\n');
  return `// Generated from shared/features/feature_spec.ts by \`npm run gen:dataform\`. Do not edit.
const FEATURES = [
${features}
];
const FEATURE_NAMES = FEATURES.map((f) => f.name);
const SELECT_LIST = FEATURES.map((f) => \`\${f.sql} AS \${f.name}\`).join(",\\n  ");
const LABEL_PERCENTILE = ${LABEL_PERCENTILE};
const TRAILING_HOURS = ${TRAILING_HOURS};
module.exports = { FEATURES, FEATURE_NAMES, SELECT_LIST, LABEL_PERCENTILE, TRAILING_HOURS };
`;
}
