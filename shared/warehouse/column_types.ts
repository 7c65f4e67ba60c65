import type { ColumnType } from './warehouse';

/**
 * Every column type in each engine's words, in one table: what the BigQuery table API calls it
 * (legacy names, as tables.get returns them), what DuckDB calls it. The reverse maps also accept
 * BigQuery's standard SQL names, which query results and DDL use.
 */
const NAMES: Readonly<Record<ColumnType, { readonly bigqueryApi: string; readonly duckdb: string }>> = {
  STRING: { bigqueryApi: 'STRING', duckdb: 'VARCHAR' },
  INT64: { bigqueryApi: 'INTEGER', duckdb: 'BIGINT' },
  FLOAT64: { bigqueryApi: 'FLOAT', duckdb: 'DOUBLE' },
  BOOL: { bigqueryApi: 'BOOLEAN', duckdb: 'BOOLEAN' },
  TIMESTAMP: { bigqueryApi: 'TIMESTAMP', duckdb: 'TIMESTAMP' },
  DATE: { bigqueryApi: 'DATE', duckdb: 'DATE' },
  JSON: { bigqueryApi: 'JSON', duckdb: 'JSON' },
};

const TYPES = Object.keys(NAMES) as ColumnType[];

/** The type's name in a BigQuery table schema (tables.insert / tables.get). */
export const bigqueryApiType = (type: ColumnType): string => NAMES[type].bigqueryApi;

/** The type's name in DuckDB DDL and information_schema. */
export const duckdbType = (type: ColumnType): string => NAMES[type].duckdb;

/** Our type for a BigQuery schema type (legacy or standard name); the name itself if unknown. */
export function fromBigqueryType(name: string): string {
  return TYPES.find((t) => t === name || NAMES[t].bigqueryApi === name) ?? name;
}

/** Our type for a DuckDB type name; the name itself if unknown. */
export function fromDuckdbType(name: string): string {
  return TYPES.find((t) => NAMES[t].duckdb === name) ?? name;
}
