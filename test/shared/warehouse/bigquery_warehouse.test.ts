import { ConfigError } from '../../../shared/errors';
import { INGESTION_LOG } from '../../../shared/load/ingestion_log';
import { BigQueryWarehouse } from '../../../shared/warehouse/bigquery_warehouse';
import { rawExternalTableDefinition, replaceRowsSql, tableDefinition } from '../../../shared/warehouse/bigquery_sql';
import { FakeBigQuery } from '../../helpers/fake_bigquery';

const bq = new FakeBigQuery();
let wh: BigQueryWarehouse;
beforeAll(async () => {
  await bq.start();
  wh = new BigQueryWarehouse('test-project', 'US', { apiEndpoint: bq.endpoint });
});
afterAll(async () => {
  await bq.stop();
});
beforeEach(() => {
  bq.requests.length = 0;
});

test('ensureTable creates the dataset in the location and the table with its definition, once', async () => {
  expect(await wh.ensureTable(INGESTION_LOG)).toBe('created');
  const dataset = bq.requests.find((r) => r.method === 'POST' && r.path.endsWith('/datasets'))!;
  expect(dataset.body).toMatchObject({ datasetReference: { datasetId: 'dex_ops' }, location: 'US' });
  const table = bq.requests.find((r) => r.method === 'POST' && r.path.endsWith('/datasets/dex_ops/tables'))!;
  expect(table.body).toMatchObject({ tableReference: { tableId: 'ingestion_log' }, ...tableDefinition(INGESTION_LOG) });
  expect(await wh.ensureTable(INGESTION_LOG)).toBe('unchanged');
});

test('a drifted table is a configuration error', async () => {
  await wh.ensureTable(INGESTION_LOG);
  const drifted = { ...INGESTION_LOG, columns: [...INGESTION_LOG.columns, { name: 'extra', type: 'STRING' as const }] };
  await expect(wh.ensureTable(drifted)).rejects.toBeInstanceOf(ConfigError);
});

test('the raw external table is created from its definition', async () => {
  expect(await wh.ensureRawExternalTable('dex_raw', 'raw_pool_hour', 'gs://raw-bucket/lake/raw')).toBe('created');
  const create = bq.requests.find((r) => r.method === 'POST' && r.path.endsWith('/datasets/dex_raw/tables'))!;
  expect(create.body).toMatchObject({ tableReference: { tableId: 'raw_pool_hour' }, ...rawExternalTableDefinition('gs://raw-bucket/lake/raw') });
  expect(await wh.ensureRawExternalTable('dex_raw', 'raw_pool_hour', 'gs://raw-bucket/lake/raw')).toBe('unchanged');
  await expect(wh.ensureRawExternalTable('dex_raw', 'raw_pool_hour', 'gs://other/raw')).rejects.toThrow('external table dex_raw.raw_pool_hour reads ["gs://raw-bucket/lake/raw/*"]');
});

test('an external table whose schema drifted from the raw record is a configuration error', async () => {
  bq.tables.set('dex_raw.raw_drifted', { ...rawExternalTableDefinition('gs://raw-bucket/lake/raw'), schema: { fields: [{ name: 'entity_id', type: 'INTEGER' }, { name: 'source', type: 'STRING' }] } });
  await expect(wh.ensureRawExternalTable('dex_raw', 'raw_drifted', 'gs://raw-bucket/lake/raw')).rejects.toThrow('external table dex_raw.raw_drifted drifted from the raw record: column entity_id is INT64, expected STRING');
});

test('replaceRows sends the golden transaction with the key and the rows as parameters', async () => {
  await wh.replaceRows(INGESTION_LOG, { source: 'uni', hour_ts: new Date('2026-11-24T07:00:00Z'), manifest_sha256: 'ab' }, [{ source: 'uni', hour_ts: '2026-11-24T07:00:00.000Z', manifest_sha256: 'ab', rows: 3 }]);
  const sent = bq.requests.find((r) => r.method === 'POST' && /\/(jobs|queries)$/.test(r.path))!;
  const text = JSON.stringify(sent.body);
  expect(text).toContain(JSON.stringify(replaceRowsSql(INGESTION_LOG, ['source', 'hour_ts', 'manifest_sha256'])).slice(1, -1));
  expect(text).toContain('"name":"key_source"');
  expect(text).toContain('"name":"rows"');
});

test('query returns plain rows', async () => {
  bq.canned = { match: /SELECT 1 AS x/, fields: [{ name: 'x', type: 'INTEGER' }, { name: 's', type: 'STRING' }], rows: [['1', 'a']] };
  expect(await wh.query('SELECT 1 AS x, "a" AS s')).toEqual([{ x: 1, s: 'a' }]);
});
