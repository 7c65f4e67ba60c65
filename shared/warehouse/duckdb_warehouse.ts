import { DuckDBConnection, DuckDBInstance, DuckDBTimestampTZValue, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { parseStoreUrl } from '../storage/store_url';
import { ensureLocalRawView } from '../transform/local_raw_view';
import { DUCKDB_MACROS, toDuckDbSql } from './duckdb_dialect';
import { duckdbType, fromDuckdbType } from './column_types';
import { schemaDrift, type ColumnChunk, type QueryParam, type Row, type TableSpec, type Warehouse } from './warehouse';


/** DuckDB values as plain JSON-friendly values: safe bigints as numbers, timestamps as ISO text. */
function plain(value: DuckDBValue): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n)).toISOString();
  if (value !== null && typeof value === 'object') return String(value);
  return value;
}

function duckParams(params: Readonly<Record<string, QueryParam>> | undefined): Record<string, string | number | boolean | null> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}

/** A key column's value as a statement parameter (a timestamp as ISO text, as `duckParams` passes it). */
function keyValue(value: unknown, column: string): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new RangeError(`key column ${column}: a ${typeof value} is not a string, number, boolean, date or null`);
}

/** Embedded DuckDB, one database file (or ':memory:'), sessions in UTC with BigQuery's macros. */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb';

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path = ':memory:'): Promise<DuckDbWarehouse> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    for (const macro of DUCKDB_MACROS) await connection.run(macro);
    return new DuckDbWarehouse(instance, connection);
  }

  async query(sql: string, params?: Readonly<Record<string, QueryParam>>): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(toDuckDbSql(sql), duckParams(params));
    const names = reader.columnNames();
    return reader.getRows().map((values) => Object.fromEntries(values.map((v, i) => [names[i]!, plain(v)])));
  }

  async *stream(sql: string, params?: Readonly<Record<string, QueryParam>>): AsyncIterable<Row> {
    const result = await this.connection.stream(toDuckDbSql(sql), duckParams(params));
    const names = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      for (const values of chunk.getRows()) yield Object.fromEntries(values.map((v, i) => [names[i]!, plain(v)]));
    }
  }

  async *streamChunks(sql: string, params?: Readonly<Record<string, QueryParam>>): AsyncIterable<ColumnChunk> {
    const result = await this.connection.stream(toDuckDbSql(sql), duckParams(params));
    const columnNames = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      // Vectors read typed memory in place (a DOUBLE column is a Float64Array view).
      const vectors = columnNames.map((_, c) => chunk.getColumnVector(c));
      yield { columnNames, rowCount: chunk.rowCount, value: (c, r) => plain(vectors[c]!.getItem(r)) };
    }
  }

  async ensureTable(spec: TableSpec): Promise<'created' | 'unchanged'> {
    const existing = await this.query('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position', { s: spec.dataset, t: spec.name });
    if (existing.length > 0) {
      const drift = schemaDrift(spec, existing.map((c) => ({ name: String(c.column_name), type: fromDuckdbType(String(c.data_type)) })));
      if (drift.length > 0) throw new ConfigError(`table ${spec.dataset}.${spec.name} drifted from its definition: ${drift.join('; ')}`);
      return 'unchanged';
    }
    const columns = spec.columns.map((c) => `"${c.name}" ${duckdbType(c.type)}${c.required ? ' NOT NULL' : ''}`).join(', ');
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS "${spec.dataset}"`);
    await this.connection.run(`CREATE TABLE "${spec.dataset}"."${spec.name}" (${columns})`);
    return 'created';
  }

  async replaceRows(spec: TableSpec, key: Readonly<Record<string, QueryParam>>, rows: readonly Row[]): Promise<void> {
    const table = `"${spec.dataset}"."${spec.name}"`;
    const where = Object.keys(key).map((k) => `"${k}" = $${k}`).join(' AND ');
    await this.inTransaction(async () => {
      await this.connection.run(`DELETE FROM ${table} WHERE ${where}`, duckParams(key));
      await this.append(spec, rows);
    });
  }

  async replaceRowsByKeys(spec: TableSpec, keyColumns: readonly string[], rows: readonly Row[]): Promise<void> {
    if (keyColumns.length === 0) throw new RangeError(`replaceRowsByKeys on ${spec.dataset}.${spec.name} needs at least one key column`);
    const table = `"${spec.dataset}"."${spec.name}"`;
    const where = keyColumns.map((k) => `"${k}" = $${k}`).join(' AND ');
    const keys = new Map<string, Record<string, string | number | boolean | null>>();
    for (const row of rows) {
      const key = Object.fromEntries(keyColumns.map((k) => [k, keyValue(row[k], k)]));
      keys.set(JSON.stringify(key), key);
    }
    await this.inTransaction(async () => {
      const remove = await this.connection.prepare(`DELETE FROM ${table} WHERE ${where}`);
      for (const key of keys.values()) {
        remove.bind(key);
        await remove.run();
      }
      await this.append(spec, rows);
    });
  }

  private async inTransaction(work: () => Promise<void>): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.connection.run('COMMIT');
    } catch (err) {
      await this.connection.run('ROLLBACK');
      throw err;
    }
  }

  private async append(spec: TableSpec, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const appender = await this.connection.createAppender(spec.name, spec.dataset);
    for (const row of rows) {
      for (const c of spec.columns) {
        const v = row[c.name];
        if (v === null || v === undefined) appender.appendNull();
        else if (c.type === 'INT64') appender.appendBigInt(BigInt(v as number | string));
        else if (c.type === 'FLOAT64') appender.appendDouble(Number(v));
        else if (c.type === 'BOOL') appender.appendBoolean(Boolean(v));
        else if (c.type === 'TIMESTAMP') appender.appendTimestamp(new DuckDBTimestampValue(BigInt(new Date(v as string | number | Date).getTime()) * 1000n));
        else appender.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  async exposeRawLayer(storeUrl: string): Promise<void> {
    const store = parseStoreUrl(storeUrl);
    if (store.kind !== 'folder') throw new ConfigError(`DuckDB reads the raw layer from a local folder only; DATA_STORE_URL is '${storeUrl}'`);
    await ensureLocalRawView(this, store.path, existsSync(join(store.path, 'raw')));
  }

  close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    return Promise.resolve();
  }
}
