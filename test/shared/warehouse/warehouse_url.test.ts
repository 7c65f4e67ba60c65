import { parseWarehouseUrl } from '../../../shared/warehouse/warehouse_url';
import { openWarehouse } from '../../../shared/warehouse/open_warehouse';

test.each([
  ['bigquery://my-project', { kind: 'bigquery', projectId: 'my-project', location: 'US' }],
  ['bigquery://my-project?location=europe-west1', { kind: 'bigquery', projectId: 'my-project', location: 'europe-west1' }],
  ['bigquery://example.com:my-project', { kind: 'bigquery', projectId: 'example.com:my-project', location: 'US' }],
  ['duckdb:/tmp/w.duckdb', { kind: 'duckdb', path: '/tmp/w.duckdb' }],
  ['duckdb::memory:', { kind: 'duckdb', path: ':memory:' }],
])('%s is %j', (url, expected) => {
  expect(parseWarehouseUrl(url)).toEqual(expected);
});

test.each([
  ['bigquery', "'bigquery' is not a valid BigQuery warehouse URL: expected bigquery://<project id>"],
  ['bigquery://My_Project', "'bigquery://My_Project' is not a valid BigQuery warehouse URL"],
  ['duckdb:', "'duckdb:' names no DuckDB file"],
  ['postgres://x', "'postgres://x' is not a warehouse URL: expected bigquery://<project>[?location=US] or duckdb:<file>"],
])('%j is refused: %s', (url, message) => {
  expect(() => parseWarehouseUrl(url)).toThrow(message);
});

test('openWarehouse opens DuckDB for a duckdb: URL and BigQuery (without any call) for bigquery://', async () => {
  const duck = await openWarehouse('duckdb::memory:');
  expect(duck.dialect).toBe('duckdb');
  expect(await duck.query('SELECT 1 + 1 AS two')).toEqual([{ two: 2 }]);
  await duck.close();
  const bq = await openWarehouse('bigquery://my-project?location=EU');
  expect(bq.dialect).toBe('bigquery');
  await bq.close();
});

test('the raw layer of a store the engine cannot read is refused, naming the variable', async () => {
  const duck = await openWarehouse('duckdb::memory:');
  await expect(duck.exposeRawLayer('gs://bucket/lake')).rejects.toThrow("DuckDB reads the raw layer from a local folder only; DATA_STORE_URL is 'gs://bucket/lake'");
  await duck.close();
  const bq = await openWarehouse('bigquery://my-project');
  await expect(bq.exposeRawLayer('/tmp/lake')).rejects.toThrow("BigQuery reads the raw layer from GCS only; DATA_STORE_URL is '/tmp/lake'");
});
