import type { TableSpec } from '../warehouse/warehouse';

/**
 * One row per scored pool-hour: what the model said, against which threshold, and why (the top
 * features as JSON [{feature, value, baseline, contribution}]). Rewritten whole per hour.
 */
export const POOL_SCORES: TableSpec = {
  dataset: 'dex_anomaly',
  name: 'pool_scores',
  columns: [
    { name: 'source', type: 'STRING', required: true },
    { name: 'dex', type: 'STRING', required: true },
    { name: 'chain', type: 'STRING', required: true },
    { name: 'pool_id', type: 'STRING', required: true },
    { name: 'pair', type: 'STRING' },
    { name: 'hour_ts', type: 'TIMESTAMP', required: true },
    { name: 'score', type: 'FLOAT64', required: true },
    { name: 'threshold', type: 'FLOAT64', required: true },
    { name: 'is_anomaly', type: 'BOOL', required: true },
    { name: 'alert_type', type: 'STRING' },
    { name: 'severity', type: 'STRING' },
    { name: 'model_version', type: 'STRING', required: true },
    { name: 'top_features', type: 'JSON' },
    { name: 'scored_at', type: 'TIMESTAMP', required: true },
  ],
  partitionBy: { column: 'hour_ts', granularity: 'DAY' },
  clusterBy: ['source', 'pool_id'],
};

/**
 * One row per alert episode of a (chain, dex, pool, alert type): the deduplication state and the
 * delivery outbox in one place. `hour_ts` is the latest hour the episode was seen; `payload` holds
 * everything needed to rebuild the message, so undelivered alerts are retried from this table alone.
 */
export const ALERTS: TableSpec = {
  dataset: 'dex_anomaly',
  name: 'alerts',
  columns: [
    { name: 'alert_id', type: 'STRING', required: true },
    { name: 'source', type: 'STRING', required: true },
    { name: 'dex', type: 'STRING', required: true },
    { name: 'chain', type: 'STRING', required: true },
    { name: 'pool_id', type: 'STRING', required: true },
    { name: 'pair', type: 'STRING' },
    { name: 'alert_type', type: 'STRING', required: true },
    { name: 'severity', type: 'STRING', required: true },
    { name: 'episode_start', type: 'TIMESTAMP', required: true },
    { name: 'hour_ts', type: 'TIMESTAMP', required: true },
    { name: 'score', type: 'FLOAT64', required: true },
    { name: 'summary', type: 'STRING' },
    { name: 'payload', type: 'JSON', required: true },
    { name: 'delivery_status', type: 'STRING', required: true },
    { name: 'attempts', type: 'INT64', required: true },
    { name: 'last_error', type: 'STRING' },
    { name: 'created_at', type: 'TIMESTAMP', required: true },
    { name: 'delivered_at', type: 'TIMESTAMP' },
  ],
  partitionBy: { column: 'episode_start', granularity: 'DAY' },
  clusterBy: ['chain', 'pool_id'],
};
