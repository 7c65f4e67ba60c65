-- reads: dex_anomaly.pool_scores(source, pool_id, hour_ts, score)
-- reads: dex_anomaly.mart_pool_features_labeled (Dataform mart)
-- The last 30 days of each pool's features next to its score, one row per pool and hour.
SELECT
  m.*,
  s.score
FROM `${project}.dex_anomaly.mart_pool_features_labeled` AS m
LEFT JOIN `${project}.dex_anomaly.pool_scores` AS s
  ON s.source = m.source AND s.pool_id = m.pool_id AND s.hour_ts = m.hour_ts
WHERE m.hour_ts >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 30 DAY)
