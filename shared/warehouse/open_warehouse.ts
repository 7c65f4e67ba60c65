import { ConfigError } from '../errors';
import { BigQueryWarehouse } from './bigquery_warehouse';
import type { Warehouse } from './warehouse';
import { parseWarehouseUrl } from './warehouse_url';

/**
 * Opens the warehouse a URL names (see parseWarehouseUrl). DuckDB is loaded only when asked for,
 * so a BigQuery deployment never loads the native addon (cloud bundles do not carry it).
 */
export async function openWarehouse(url: string): Promise<Warehouse> {
  const location = parseWarehouseUrl(url);
  if (location.kind === 'bigquery') return new BigQueryWarehouse(location.projectId, location.location);
  let duckdb: typeof import('./duckdb_warehouse');
  try {
    duckdb = await import('./duckdb_warehouse');
  } catch (err) {
    throw new ConfigError(`WAREHOUSE '${url}' needs DuckDB, which this build does not carry (cloud bundles use BigQuery): ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return duckdb.DuckDbWarehouse.open(location.path === ':memory:' ? ':memory:' : location.path);
}
