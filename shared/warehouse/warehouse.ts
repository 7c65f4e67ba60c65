/**
 * The warehouse the pipeline needs: BigQuery in the cloud, embedded DuckDB locally. SQL is written
 * once in a BigQuery subset (see duckdb_dialect.ts); named parameters are `@name`.
 */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'DATE' | 'JSON';
export type QueryParam = string | number | boolean | null | Date;
export type Row = Record<string, unknown>;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly required?: boolean;
}

export interface TableSpec {
  /** BigQuery dataset, DuckDB schema. */
  readonly dataset: string;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly partitionBy?: { readonly column: string; readonly granularity: 'HOUR' | 'DAY' };
  readonly clusterBy?: readonly string[];
}

/** Rows of a result by column: `value(c, r)` is column c (in `columnNames` order) of row r. */
export interface ColumnChunk {
  readonly columnNames: readonly string[];
  readonly rowCount: number;
  value(column: number, row: number): unknown;
}

export interface Warehouse {
  readonly dialect: 'bigquery' | 'duckdb';
  query(sql: string, params?: Readonly<Record<string, QueryParam>>): Promise<Row[]>;
  /** Rows as they arrive, for results too large to hold. */
  stream(sql: string, params?: Readonly<Record<string, QueryParam>>): AsyncIterable<Row>;
  /**
   * Optional, for millions of rows: the result chunk by chunk, read by column and row index, so a
   * reader copies values into flat arrays without building an object per row. Values are
   * converted as `query` converts them.
   */
  streamChunks?(sql: string, params?: Readonly<Record<string, QueryParam>>): AsyncIterable<ColumnChunk>;
  /** Creates the table if missing; 'unchanged' if it matches; a ConfigError naming the drift otherwise. */
  ensureTable(spec: TableSpec): Promise<'created' | 'unchanged'>;
  /** Atomically deletes the rows whose key columns equal `key` and inserts `rows`: a rerun changes nothing. */
  replaceRows(spec: TableSpec, key: Readonly<Record<string, QueryParam>>, rows: readonly Row[]): Promise<void>;
  /**
   * Optional, for loading many keys at once: in one transaction, deletes the rows whose
   * `keyColumns` equal those of any of `rows`, then inserts `rows` (each key's rows replaced, as
   * `replaceRows` does one key at a time; a rerun changes nothing).
   */
  replaceRowsByKeys?(spec: TableSpec, keyColumns: readonly string[], rows: readonly Row[]): Promise<void>;
  /**
   * Makes the raw layer of the store at `storeUrl` queryable as `dex_raw.raw_pool_hour`: a
   * BigQuery external table over gs://.../raw, or a DuckDB view over a local folder. Created if
   * missing, checked if present; the engine-specific part stays behind the port.
   */
  exposeRawLayer(storeUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** Differences between a table's actual columns and its spec, in words; [] when they match. */
export function schemaDrift(spec: TableSpec, actual: readonly { name: string; type: string }[]): string[] {
  const problems: string[] = [];
  const byName = new Map(actual.map((c) => [c.name, c.type]));
  for (const c of spec.columns) {
    const t = byName.get(c.name);
    if (t === undefined) problems.push(`column ${c.name} is missing`);
    else if (t !== c.type) problems.push(`column ${c.name} is ${t}, expected ${c.type}`);
  }
  for (const c of actual) if (!spec.columns.some((s) => s.name === c.name)) problems.push(`unexpected column ${c.name}`);
  return problems;
}
