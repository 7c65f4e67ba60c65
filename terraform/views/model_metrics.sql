-- reads: dex_ops.model_runs(run_id, run_at, action, model_name, version, promoted, decision_reason, pr_auc, roc_auc, precision_at_10, recall_at_10, alert_rate, target_alert_rate)
-- One row per training run (and each promotion or rollback by hand): the metrics to chart over time.
SELECT
  run_id,
  run_at,
  action,
  model_name,
  version,
  promoted,
  decision_reason,
  pr_auc,
  roc_auc,
  precision_at_10,
  recall_at_10,
  alert_rate,
  target_alert_rate
FROM `${project}.dex_ops.model_runs`
