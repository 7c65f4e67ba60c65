-- reads: dex_anomaly.alerts(source, pool_id, hour_ts, score)
-- Every alert, newest first; Looker Studio sorts and filters on hour_ts and source.
SELECT
  a.*,
  DATE(a.hour_ts) AS alert_date
FROM `${project}.dex_anomaly.alerts` AS a
