import { ConfigError } from '../../../shared/errors';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import type { TableSpec } from '../../../shared/warehouse/warehouse';

const LOG: TableSpec = {
  dataset: 'dex_ops',
  name: 'ingestion_log',
  columns: [
    { name: 'source', type: 'STRING', required: true },
    { name: 'hour_ts', type: 'TIMESTAMP', required: true },
    { name: 'rows', type: 'INT64' },
    { name: 'tvl', type: 'FLOAT64' },
    { name: 'flagged', type: 'BOOL' },
  ],
  partitionBy: { column: 'hour_ts', granularity: 'DAY' },
};

let wh: DuckDbWarehouse;
beforeEach(async () => {
  wh = await DuckDbWarehouse.open();
});
afterEach(async () => {
  await wh.close();
});

test('ensureTable creates once, then leaves a matching table alone', async () => {
  expect(await wh.ensureTable(LOG)).toBe('created');
  expect(await wh.ensureTable(LOG)).toBe('unchanged');
});

test('a drifted table is a clear configuration error', async () => {
  await wh.ensureTable(LOG);
  const drifted: TableSpec = { ...LOG, columns: [...LOG.columns.filter((c) => c.name !== 'tvl'), { name: 'tvl', type: 'STRING' }, { name: 'extra', type: 'INT64' }] };
  const err = await wh.ensureTable(drifted).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe('table dex_ops.ingestion_log drifted from its definition: column tvl is FLOAT64, expected STRING; column extra is missing');
});

test('replaceRows is idempotent per key and leaves other keys alone', async () => {
  await wh.ensureTable(LOG);
  const hour = '2026-11-24T07:00:00.000Z';
  const rows = [{ source: 'uni', hour_ts: hour, rows: 420, tvl: 1.5e6, flagged: false }];
  await wh.replaceRows(LOG, { source: 'uni', hour_ts: new Date(hour) }, rows);
  await wh.replaceRows(LOG, { source: 'uni', hour_ts: new Date(hour) }, rows);
  await wh.replaceRows(LOG, { source: 'sushi', hour_ts: new Date(hour) }, [{ source: 'sushi', hour_ts: hour, rows: 7, tvl: null, flagged: true }]);
  const all = await wh.query('SELECT source, hour_ts, rows, tvl, flagged FROM `dex_ops.ingestion_log` ORDER BY source');
  expect(all).toEqual([
    { source: 'sushi', hour_ts: hour, rows: 7, tvl: null, flagged: true },
    { source: 'uni', hour_ts: hour, rows: 420, tvl: 1.5e6, flagged: false },
  ]);
});

test('replaceRowsByKeys replaces the rows of every key it is given, in one transaction, and leaves other keys alone', async () => {
  await wh.ensureTable(LOG);
  const h7 = '2026-11-24T07:00:00.000Z';
  const h8 = '2026-11-24T08:00:00.000Z';
  await wh.replaceRows(LOG, { source: 'uni', hour_ts: new Date(h7) }, [{ source: 'uni', hour_ts: h7, rows: 1, tvl: null, flagged: false }, { source: 'uni', hour_ts: h7, rows: 2, tvl: null, flagged: false }]);
  await wh.replaceRows(LOG, { source: 'sushi', hour_ts: new Date(h7) }, [{ source: 'sushi', hour_ts: h7, rows: 7, tvl: null, flagged: true }]);
  const batch = [
    { source: 'uni', hour_ts: h7, rows: 420, tvl: 1.5e6, flagged: false },
    { source: 'uni', hour_ts: h8, rows: 421, tvl: 2.5e6, flagged: true },
  ];
  await wh.replaceRowsByKeys(LOG, ['source', 'hour_ts'], batch);
  await wh.replaceRowsByKeys(LOG, ['source', 'hour_ts'], batch);
  const all = () => wh.query('SELECT source, hour_ts, rows, tvl, flagged FROM `dex_ops.ingestion_log` ORDER BY source, hour_ts');
  const expected = [
    { source: 'sushi', hour_ts: h7, rows: 7, tvl: null, flagged: true },
    { source: 'uni', hour_ts: h7, rows: 420, tvl: 1.5e6, flagged: false },
    { source: 'uni', hour_ts: h8, rows: 421, tvl: 2.5e6, flagged: true },
  ];
  expect(await all()).toEqual(expected);
  // A row that cannot be inserted (source is required) undoes the whole batch, deletes included.
  await expect(wh.replaceRowsByKeys(LOG, ['source', 'hour_ts'], [{ source: 'uni', hour_ts: h8, rows: 1 }, { source: null, hour_ts: h7, rows: 2 }])).rejects.toThrow();
  expect(await all()).toEqual(expected);
});

test('named parameters and streaming reads', async () => {
  const streamed: unknown[] = [];
  for await (const row of wh.stream('SELECT i FROM range(0, @n) t(i) WHERE i % @k = 0', { n: 5000, k: 1000 })) streamed.push(row.i);
  expect(streamed).toEqual([0, 1000, 2000, 3000, 4000]);
});
