import type { TableSpec, Warehouse } from './warehouse';

/** Tables already checked, per warehouse object. */
const ensured = new WeakMap<Warehouse, Set<TableSpec>>();

/**
 * ensureTable once per warehouse object and table: the check is a metadata query (a BigQuery
 * tables.get, an information_schema read on DuckDB) that an hourly job need not repeat every hour
 * and every write. A warm instance checks again when it restarts; a failed check is not remembered.
 */
export async function ensureTableOnce(warehouse: Warehouse, spec: TableSpec): Promise<void> {
  const done = ensured.get(warehouse) ?? new Set<TableSpec>();
  ensured.set(warehouse, done);
  if (done.has(spec)) return;
  await warehouse.ensureTable(spec);
  done.add(spec);
}
