import { INGESTION_LOG } from '../load/ingestion_log';
import { MODEL_RUNS_TABLE } from '../model_registry/model_runs_table';
import { DEAD_LETTERS } from '../ops/dead_letters';
import { ALERTS, POOL_SCORES } from '../scoring/tables';
import type { TableSpec } from './warehouse';

/**
 * Every native table the code writes, in one list: `npm run gen:schemas` turns each into the
 * schema file terraform applies (terraform/schemas/<dataset>.<table>.json), and a test fails when
 * a table here has no file or a file no table. A use-case that writes a new table adds its spec here.
 */
export const TABLE_SPECS: readonly TableSpec[] = [INGESTION_LOG, DEAD_LETTERS, MODEL_RUNS_TABLE, POOL_SCORES, ALERTS];

/** The external table over raw/ that exposeRawLayer maintains (BigQuery adapter). */
export const RAW_EXTERNAL_TABLE = { dataset: 'dex_raw', name: 'raw_pool_hour' } as const;
