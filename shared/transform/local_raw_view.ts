import { RAW_COLUMNS, RAW_PARTITION_COLUMNS } from '../raw/raw_columns';
import { duckdbType } from '../warehouse/column_types';
import type { Warehouse } from '../warehouse/warehouse';


/**
 * The local counterpart of the BigQuery external table: a DuckDB view `dex_raw.raw_pool_hour`
 * over the raw folder's hive partitions, with the raw record's declared types (nothing inferred).
 * Without any raw file yet, an empty table with the same columns stands in.
 */
export async function ensureLocalRawView(warehouse: Warehouse, rawRoot: string, hasFiles: boolean): Promise<void> {
  await warehouse.query('CREATE SCHEMA IF NOT EXISTS dex_raw');
  // DuckDB refuses DROP VIEW IF EXISTS on a table of that name (and the reverse): drop what is there.
  const [existing] = await warehouse.query("SELECT table_type FROM information_schema.tables WHERE table_schema = 'dex_raw' AND table_name = 'raw_pool_hour'");
  if (existing) await warehouse.query(existing.table_type === 'VIEW' ? 'DROP VIEW dex_raw.raw_pool_hour' : 'DROP TABLE dex_raw.raw_pool_hour');
  if (!hasFiles) {
    const columns = [...RAW_COLUMNS, ...RAW_PARTITION_COLUMNS].map((c) => `"${c.name}" ${duckdbType(c.type)}`).join(', ');
    await warehouse.query(`CREATE TABLE dex_raw.raw_pool_hour (${columns})`);
    return;
  }
  const columns = RAW_COLUMNS.map((c) => `'${c.name}': '${duckdbType(c.type)}'`).join(', ');
  const glob = `${rawRoot.replace(/'/g, "''")}/raw/source=*/dt=*/hour=*/*.jsonl.gz`;
  // Declared partition types (hour=05 would otherwise be text): a filter on dt and hour against
  // constants then prunes the files DuckDB opens, as BigQuery prunes the external table's.
  const hiveTypes = RAW_PARTITION_COLUMNS.map((c) => `'${c.name}': '${duckdbType(c.type)}'`).join(', ');
  await warehouse.query(
    `CREATE VIEW dex_raw.raw_pool_hour AS SELECT * FROM read_json('${glob}', format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, hive_types = {${hiveTypes}}, columns = {${columns}})`,
  );
}
