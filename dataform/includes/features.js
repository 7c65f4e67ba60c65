// Generated from shared/features/feature_spec.ts by `npm run gen:dataform`. Do not edit.
const FEATURES = [
  { name: "log_volume_usd", sql: "LN(1 + GREATEST(f.volume_usd, 0))" },
  { name: "log_tvl_usd", sql: "LN(1 + GREATEST(f.tvl_usd, 0))" },
  { name: "turnover", sql: "COALESCE(SAFE_DIVIDE(f.volume_usd, f.tvl_usd), 0)" },
  { name: "tvl_change_1h", sql: "COALESCE(SAFE_DIVIDE(f.tvl_usd - f.tvl_1h_ago, f.tvl_1h_ago), 0)" },
  { name: "tvl_change_24h", sql: "COALESCE(SAFE_DIVIDE(f.tvl_usd - f.tvl_24h_ago, f.tvl_24h_ago), 0)" },
  { name: "volume_robust_z_7d", sql: "CASE WHEN f.history_hours < 24 THEN 0 ELSE COALESCE((LN(1 + GREATEST(f.volume_usd, 0)) - s.median_log_volume_7d) / GREATEST(1.4826 * s.mad_log_volume_7d, 0.1), 0) END" },
  { name: "log_tx_count", sql: "LN(1 + GREATEST(f.tx_count, 0))" },
  { name: "price_range", sql: "COALESCE(SAFE_DIVIDE(f.high - f.low, f.close), 0)" },
  { name: "fee_to_tvl", sql: "COALESCE(SAFE_DIVIDE(f.fees_usd, f.tvl_usd), 0)" },
];
const FEATURE_NAMES = FEATURES.map((f) => f.name);
const SELECT_LIST = FEATURES.map((f) => `${f.sql} AS ${f.name}`).join(",\n  ");
const LABEL_PERCENTILE = 0.9;
const TRAILING_HOURS = 168;
module.exports = { FEATURES, FEATURE_NAMES, SELECT_LIST, LABEL_PERCENTILE, TRAILING_HOURS };
