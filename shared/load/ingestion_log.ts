import type { TableSpec } from '../warehouse/warehouse';

/**
 * One row per source and hour: what its current manifest (the one load verified last) brought in.
 * A refetch that changed the hour replaces the row; per-hour sums over it count each hour once.
 */
export const INGESTION_LOG: TableSpec = {
  dataset: 'dex_ops',
  name: 'ingestion_log',
  columns: [
    { name: 'source', type: 'STRING', required: true },
    { name: 'hour_ts', type: 'TIMESTAMP', required: true },
    { name: 'manifest_sha256', type: 'STRING', required: true },
    { name: 'rows', type: 'INT64' },
    { name: 'quarantined_rows', type: 'INT64' },
    { name: 'duplicate_rows', type: 'INT64' },
    { name: 'block_number', type: 'INT64' },
    { name: 'block_timestamp', type: 'INT64' },
    { name: 'has_indexing_errors', type: 'BOOL' },
    { name: 'objects', type: 'STRING' },
    { name: 'fetched_at', type: 'TIMESTAMP' },
    { name: 'loaded_at', type: 'TIMESTAMP' },
  ],
  partitionBy: { column: 'hour_ts', granularity: 'DAY' },
  clusterBy: ['source'],
};
