import type { ColumnSpec } from '../warehouse/warehouse';
import { rawPoolHourSchema } from './raw_record';

/**
 * Warehouse types of the raw record's fields, in the record's order: the schema of the external
 * table over raw/ (BigQuery) and of the local view (DuckDB). Checked against the zod schema in
 * the tests, so the two cannot drift. Big numbers stay STRING, exactly as fetched.
 */
const INT_FIELDS = new Set(['hour_start_unix', 'block_number', 'block_timestamp']);

export const RAW_COLUMNS: readonly ColumnSpec[] = Object.keys(rawPoolHourSchema.shape).map((name) => ({ name, type: INT_FIELDS.has(name) ? 'INT64' : 'STRING' }));

/** Hive partition columns the path adds to every raw row. */
export const RAW_PARTITION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'source', type: 'STRING' },
  { name: 'dt', type: 'DATE' },
  { name: 'hour', type: 'INT64' },
];
