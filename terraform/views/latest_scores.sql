-- reads: dex_anomaly.pool_scores(source, pool_id, hour_ts, score)
-- Each pool's newest score (lower = more abnormal), ranked within its hour.
SELECT
  source,
  pool_id,
  hour_ts,
  score,
  RANK() OVER (PARTITION BY hour_ts ORDER BY score ASC) AS rank_in_hour
FROM `${project}.dex_anomaly.pool_scores`
WHERE hour_ts >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 7 DAY)
QUALIFY ROW_NUMBER() OVER (PARTITION BY source, pool_id ORDER BY hour_ts DESC) = 1
