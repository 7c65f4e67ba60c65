import type { TableSpec } from '../warehouse/warehouse';
import type { TruthDetection } from './version_metadata';

/**
 * dex_ops.model_runs: one row per training run, import, manual promotion or rollback, promoted or
 * not, with the figures and the decision's reason (read by Looker Studio). The one definition
 * of the table: Terraform generates its schema from here.
 */
export const MODEL_RUNS_TABLE: TableSpec = {
  dataset: 'dex_ops',
  name: 'model_runs',
  columns: [
    { name: 'run_id', type: 'STRING', required: true },
    { name: 'run_at', type: 'TIMESTAMP', required: true },
    { name: 'action', type: 'STRING', required: true },
    { name: 'model_name', type: 'STRING', required: true },
    { name: 'version', type: 'STRING', required: true },
    { name: 'promoted', type: 'BOOL', required: true },
    { name: 'decision_reason', type: 'STRING', required: true },
    { name: 'triggered_by', type: 'STRING', required: true },
    { name: 'production_before', type: 'STRING' },
    { name: 'window_start', type: 'TIMESTAMP' },
    { name: 'eval_start', type: 'TIMESTAMP' },
    { name: 'window_end', type: 'TIMESTAMP' },
    { name: 'train_rows', type: 'INT64' },
    { name: 'eval_rows', type: 'INT64' },
    { name: 'pr_auc', type: 'FLOAT64' },
    { name: 'roc_auc', type: 'FLOAT64' },
    { name: 'precision_at_10', type: 'FLOAT64' },
    { name: 'recall_at_10', type: 'FLOAT64' },
    { name: 'alert_rate', type: 'FLOAT64' },
    { name: 'target_alert_rate', type: 'FLOAT64' },
    { name: 'production_pr_auc', type: 'FLOAT64' },
    { name: 'production_alert_rate', type: 'FLOAT64' },
    { name: 'metrics', type: 'JSON' },
    { name: 'code_version', type: 'STRING' },
    // Detection against a ground truth (the local simulator only; NULL in the cloud): market event types summed; per type in metrics.
    { name: 'truth_market_events', type: 'INT64' },
    { name: 'truth_market_caught_1h', type: 'INT64' },
    { name: 'truth_market_caught_2h', type: 'INT64' },
    { name: 'truth_alert_precision', type: 'FLOAT64' },
    { name: 'truth_false_alerts_per_1000_pools_day', type: 'FLOAT64' },
    { name: 'truth_mispriced_as_data_error', type: 'FLOAT64' },
  ],
  partitionBy: { column: 'run_at', granularity: 'DAY' },
  clusterBy: ['model_name'],
};

export type ModelRunAction = 'train' | 'import' | 'promote' | 'rollback';

export interface ModelRunRow {
  readonly run_id: string;
  readonly run_at: string;
  readonly action: ModelRunAction;
  readonly model_name: string;
  readonly version: string;
  readonly promoted: boolean;
  readonly decision_reason: string;
  readonly triggered_by: string;
  readonly production_before: string | null;
  readonly window_start: string | null;
  readonly eval_start: string | null;
  readonly window_end: string | null;
  readonly train_rows: number | null;
  readonly eval_rows: number | null;
  readonly pr_auc: number | null;
  readonly roc_auc: number | null;
  readonly precision_at_10: number | null;
  readonly recall_at_10: number | null;
  readonly alert_rate: number | null;
  readonly target_alert_rate: number | null;
  readonly production_pr_auc: number | null;
  readonly production_alert_rate: number | null;
  readonly metrics: string | null;
  readonly code_version: string | null;
  readonly truth_market_events: number | null;
  readonly truth_market_caught_1h: number | null;
  readonly truth_market_caught_2h: number | null;
  readonly truth_alert_precision: number | null;
  readonly truth_false_alerts_per_1000_pools_day: number | null;
  readonly truth_mispriced_as_data_error: number | null;
}

type TruthColumns = Pick<ModelRunRow, 'truth_market_events' | 'truth_market_caught_1h' | 'truth_market_caught_2h' | 'truth_alert_precision' | 'truth_false_alerts_per_1000_pools_day' | 'truth_mispriced_as_data_error'>;

/** The ground-truth columns of a run: its detection figures summed over types, NULL without a ground truth. */
export function truthColumns(detection: TruthDetection | undefined): TruthColumns {
  if (detection?.available !== true) {
    return { truth_market_events: null, truth_market_caught_1h: null, truth_market_caught_2h: null, truth_alert_precision: null, truth_false_alerts_per_1000_pools_day: null, truth_mispriced_as_data_error: null };
  }
  const f = detection.figures;
  // Market events only: a mispriced token is routed as a data error, counted in its own column.
  const market = Object.entries(f.types).filter(([type]) => type !== 'mispriced_token').map(([, t]) => t);
  const sum = (pick: (t: (typeof market)[number]) => number): number => market.reduce((a, t) => a + pick(t), 0);
  return {
    truth_market_events: sum((t) => t.events),
    truth_market_caught_1h: sum((t) => t.caught_1h),
    truth_market_caught_2h: sum((t) => t.caught_2h),
    truth_alert_precision: f.alert_precision,
    truth_false_alerts_per_1000_pools_day: f.alerts_per_1000_pools_day,
    truth_mispriced_as_data_error: f.mispriced_as_data_error,
  };
}
