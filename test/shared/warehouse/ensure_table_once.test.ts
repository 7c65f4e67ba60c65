import { ConfigError } from '../../../shared/errors';
import { ensureTableOnce } from '../../../shared/warehouse/ensure_table_once';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import type { TableSpec, Warehouse } from '../../../shared/warehouse/warehouse';

const T: TableSpec = { dataset: 'ds', name: 't', columns: [{ name: 'a', type: 'STRING', required: true }] };
const U: TableSpec = { dataset: 'ds', name: 'u', columns: [{ name: 'b', type: 'INT64' }] };

/** The warehouse with its ensureTable calls recorded. */
function recording(inner: Warehouse, calls: string[]): Warehouse {
  return { ...inner, dialect: inner.dialect, query: (s, p) => inner.query(s, p), stream: (s, p) => inner.stream(s, p), replaceRows: (s, k, r) => inner.replaceRows(s, k, r), exposeRawLayer: (u) => inner.exposeRawLayer(u), close: () => inner.close(), ensureTable: (spec) => (calls.push(spec.name), inner.ensureTable(spec)) };
}

test('each table is checked once per warehouse; another warehouse checks again; a failed check is retried', async () => {
  const duck = await DuckDbWarehouse.open();
  try {
    const calls: string[] = [];
    const wh = recording(duck, calls);
    await ensureTableOnce(wh, T);
    await ensureTableOnce(wh, T);
    await ensureTableOnce(wh, U);
    await ensureTableOnce(wh, U);
    expect(calls).toEqual(['t', 'u']);
    const other = recording(duck, calls);
    await ensureTableOnce(other, T);
    expect(calls).toEqual(['t', 'u', 't']);
    expect((await duck.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'ds' ORDER BY 1")).map((r) => r.table_name)).toEqual(['t', 'u']);

    const drifted: TableSpec = { ...T, columns: [{ name: 'a', type: 'INT64', required: true }] };
    await expect(ensureTableOnce(wh, drifted)).rejects.toThrow(ConfigError);
    await expect(ensureTableOnce(wh, drifted)).rejects.toThrow('column a is STRING, expected INT64');
  } finally {
    await duck.close();
  }
});
