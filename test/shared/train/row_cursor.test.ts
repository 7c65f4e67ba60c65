import { forEachRow } from '../../../shared/train/row_cursor';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import type { Warehouse } from '../../../shared/warehouse/warehouse';

test('chunked reads and row objects give the same values, across chunk boundaries', async () => {
  const wh = await DuckDbWarehouse.open();
  try {
    const sql = "SELECT range AS i, CAST(range AS DOUBLE) / 2 AS half, CASE WHEN range % 3 = 0 THEN NULL ELSE 'p' || range END AS name, range % 2 = 0 AS even FROM range(5000) ORDER BY range";
    const columns = ['half', 'name', 'even', 'i', 'absent'];
    const collect = async (w: Warehouse): Promise<unknown[][]> => {
      const out: unknown[][] = [];
      await forEachRow(w, sql, {}, columns, (read) => out.push(columns.map((_, c) => read(c))));
      return out;
    };
    // The same adapter without its chunked reads: the fallback every other warehouse takes.
    const rowsOnly: Warehouse = { dialect: wh.dialect, query: (s, p) => wh.query(s, p), stream: (s, p) => wh.stream(s, p), ensureTable: (t) => wh.ensureTable(t), replaceRows: (t, k, r) => wh.replaceRows(t, k, r), exposeRawLayer: (u) => wh.exposeRawLayer(u), close: () => wh.close() };
    const chunked = await collect(wh);
    expect(chunked).toHaveLength(5000);
    expect(chunked[4097]).toEqual([2048.5, 'p4097', false, 4097, undefined]);
    expect(chunked[3]).toEqual([1.5, null, false, 3, undefined]);
    expect(await collect(rowsOnly)).toEqual(chunked);
  } finally {
    await wh.close();
  }
});
