-- reads: dex_ops.model_runs(run_id, trained_at, pr_auc, precision_at_10, recall_at_10)
-- One row per training run: the metrics to chart over time.
SELECT
  run_id,
  trained_at,
  pr_auc,
  precision_at_10,
  recall_at_10
FROM `${project}.dex_ops.model_runs`
