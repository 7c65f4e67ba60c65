import type { Warehouse } from '../warehouse/warehouse';
import { MODEL_RUNS_TABLE, type ModelRunRow } from './model_runs_table';

/** Appends a run to model_runs; keyed by run_id so a retried write changes nothing. */
export async function recordModelRun(warehouse: Warehouse, row: ModelRunRow): Promise<void> {
  await warehouse.ensureTable(MODEL_RUNS_TABLE);
  await warehouse.replaceRows(MODEL_RUNS_TABLE, { run_id: row.run_id }, [{ ...row }]);
}
