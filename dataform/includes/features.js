// Generated from shared/features/feature_spec.ts by `npm run gen:dataform`. Do not edit.
const FEATURES = [
  { name: "volume_vs_usual", sql: "LN(1 + COALESCE(SAFE_DIVIDE(GREATEST(f.volume_clean, 0), f.usual_high_volume), CASE WHEN f.volume_clean > 0 THEN 1 ELSE 0 END))" },
  { name: "volume_vs_usual_1h_ago", sql: "LN(1 + COALESCE(SAFE_DIVIDE(GREATEST(COALESCE(f.volume_clean_1h_ago, 0), 0), f.usual_high_volume), CASE WHEN COALESCE(f.volume_clean_1h_ago, 0) > 0 THEN 1 ELSE 0 END))" },
  { name: "tx_vs_usual", sql: "LN(1 + COALESCE(SAFE_DIVIDE(GREATEST(f.tx_count, 0), f.usual_tx), CASE WHEN f.tx_count > 0 THEN 1 ELSE 0 END))" },
  { name: "log_turnover_day", sql: "LN(1 + 24 * GREATEST(COALESCE(SAFE_DIVIDE(f.volume_clean, f.tvl_usd), 0), 0))" },
  { name: "tvl_log_change_1h", sql: "CASE WHEN f.tvl_1h_ago > 0 THEN LN(SAFE_DIVIDE(GREATEST(COALESCE(f.tvl_usd, 0), f.tvl_1h_ago * 0.000001), f.tvl_1h_ago)) ELSE 0 END" },
  { name: "tvl_log_change_24h", sql: "CASE WHEN f.tvl_24h_ago > 0 THEN LN(SAFE_DIVIDE(GREATEST(COALESCE(f.tvl_usd, 0), f.tvl_24h_ago * 0.000001), f.tvl_24h_ago)) ELSE 0 END" },
  { name: "tvl_drawdown_7d", sql: "LEAST(CASE WHEN f.tvl_max_7d > 0 THEN LN(SAFE_DIVIDE(GREATEST(COALESCE(f.tvl_usd, 0), f.tvl_max_7d * 0.000001), f.tvl_max_7d)) ELSE 0 END, 0)" },
  { name: "swap_rate_log_change_1h", sql: "CASE WHEN f.swap_rate > 0 AND f.swap_rate_before > 0 THEN LN(SAFE_DIVIDE(f.swap_rate, f.swap_rate_before)) ELSE 0 END" },
  { name: "price_range", sql: "COALESCE(SAFE_DIVIDE(f.high - f.low, f.close), 0)" },
  { name: "active_share_7d", sql: "SAFE_DIVIDE(f.active_hours_7d, GREATEST(LEAST(f.history_hours, 168), 1))" },
  { name: "market_volume_move", sql: "COALESCE(f.market_volume_move, 0)" },
  { name: "market_tvl_move", sql: "COALESCE(f.market_tvl_move, 0)" },
  { name: "token_volume_move", sql: "COALESCE(f.token_volume_move, 0)" },
  { name: "token_tvl_move", sql: "COALESCE(f.token_tvl_move, 0)" },
];
const FEATURE_NAMES = FEATURES.map((f) => f.name);
const FEATURE_SQL = Object.fromEntries(FEATURES.map((f) => [f.name, f.sql]));
const SELECT_LIST = FEATURES.map((f) => `${f.sql} AS ${f.name}`).join(",\n  ");
const LABEL_PERCENTILE = 0.9;
const TRAILING_HOURS = 168;
const WARMUP_HOURS = 72;
const MISPRICED_PRICE_FACTOR = 10;
module.exports = { FEATURES, FEATURE_NAMES, FEATURE_SQL, SELECT_LIST, LABEL_PERCENTILE, TRAILING_HOURS, WARMUP_HOURS, MISPRICED_PRICE_FACTOR };
