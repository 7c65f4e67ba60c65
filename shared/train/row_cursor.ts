import type { QueryParam, Warehouse } from '../warehouse/warehouse';

/** One row of a result, read by column index: the same view over a chunk or over a row object. */
export type ColumnReader = (column: number) => unknown;

/**
 * Calls `onRow` for every row of the result with a reader of its columns (in `columns` order).
 * Uses the warehouse's chunked reads when it has them (no object per row), its row stream otherwise.
 */
export async function forEachRow(warehouse: Warehouse, sql: string, params: Readonly<Record<string, QueryParam>>, columns: readonly string[], onRow: (read: ColumnReader) => void): Promise<void> {
  if (warehouse.streamChunks) {
    for await (const chunk of warehouse.streamChunks(sql, params)) {
      const index = columns.map((name) => chunk.columnNames.indexOf(name));
      let row = 0;
      const read: ColumnReader = (c) => (index[c]! < 0 ? undefined : chunk.value(index[c]!, row));
      for (; row < chunk.rowCount; row++) onRow(read);
    }
    return;
  }
  for await (const record of warehouse.stream(sql, params)) onRow((c) => record[columns[c]!]);
}
