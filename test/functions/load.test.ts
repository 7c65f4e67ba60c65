import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { createLoadFunction } from '../../functions/load/handler';
import { localSources } from '../../shared/config/sources';
import { UpstreamError } from '../../shared/errors';
import { memoryLogger } from '../../shared/logging';
import { manifestKey } from '../../shared/raw/raw_layout';
import { writeHour } from '../../shared/raw/write_hour';
import { LocalFolderStore } from '../../shared/storage/local_folder_store';
import type { HourFetch } from '../../shared/subgraph/fetch_hour';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';

const source = localSources('http://127.0.0.1:1')[0]!;
const HOUR = Date.UTC(2026, 10, 24, 7) / 1000;
let dir: string;
let server: Server;
let base: string;
let warehouse: DuckDbWarehouse;
let logger: ReturnType<typeof memoryLogger>;

const fetched: HourFetch = {
  hourStart: HOUR,
  rows: [{ entity_id: `0xaa-${HOUR / 3600}`, pool_id: '0xaa', hour_start_unix: HOUR, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3', token0_id: '0x1', token0_symbol: 'A', token0_decimals: '18', token1_id: '0x2', token1_symbol: 'B', token1_decimals: '18', fee_tier: '500', tvl_usd: '1000', volume_usd: '42', fees_usd: '0.5', volume_token0: '1', volume_token1: '1', tx_count: '3', token0_price: '1', token1_price: '1', open: '1', high: '1', low: '1', close: '1', liquidity: '1', reserve0: null, reserve1: null, block_number: 9, block_timestamp: HOUR + 3700 }],
  quarantined: [],
  block: { number: 9, timestamp: HOUR + 3700, hash: '0x9' },
  pages: 1,
  duplicateRows: 0,
  hasIndexingErrors: false,
};

/** Posts a storage CloudEvent in binary mode, as Eventarc does. */
async function post(data: unknown, id = String(Math.random())): Promise<{ status: number; text: string }> {
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.storage.object.v1.finalized', 'ce-source': '//storage.googleapis.com/projects/_/buckets/raw', 'ce-id': id, 'ce-subject': 'objects/x' },
    body: JSON.stringify(data),
  });
  return { status: res.status, text: await res.text() };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'load-fn-'));
  warehouse = await DuckDbWarehouse.open();
  logger = memoryLogger();
  const name = `load_${Math.random().toString(36).slice(2)}`;
  ff.cloudEvent(name, createLoadFunction({ DATA_STORE_URL: dir, WAREHOUSE: 'duckdb::memory:' }, { logger, warehouse, now: () => new Date('2026-11-24T08:10:00Z') }));
  server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

const deadLetters = () => warehouse.query('SELECT function_name, event_id, error_kind, message FROM `dex_ops.dead_letters` ORDER BY event_id').catch(() => []);

test('a manifest event records the hour once, however often it is delivered', async () => {
  await writeHour(new LocalFolderStore(dir), source, fetched, new Date());
  const event = { bucket: 'raw', name: manifestKey(source.id, HOUR), generation: '1' };
  expect((await post(event)).status).toBe(204);
  expect((await post(event)).status).toBe(204);
  expect(await warehouse.query('SELECT source, hour_ts, rows FROM `dex_ops.ingestion_log`')).toEqual([{ source: source.id, hour_ts: '2026-11-24T07:00:00.000Z', rows: 1 }]);
  expect(logger.lines.filter((l) => l.severity === 'INFO' && l.function === 'load' && (l.result as { status?: string } | undefined)?.status === 'loaded')).toHaveLength(2);
});

test('a malformed event is acknowledged, logged as ERROR and kept as a dead letter, once per event id', async () => {
  for (let i = 0; i < 2; i++) expect((await post({ bucket: 'raw' }, 'evt-1')).status).toBe(204);
  expect(await deadLetters()).toEqual([{ function_name: 'load', event_id: 'evt-1', error_kind: 'invalid_input', message: "malformed storage event: data 'name': Invalid input: expected string, received undefined" }]);
  const errors = logger.lines.filter((l) => l.severity === 'ERROR');
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatchObject({ function: 'load', event_id: 'evt-1', acknowledged: true, error: { kind: 'invalid_input', retryable: false } });
  expect(JSON.stringify(errors)).not.toContain('    at ');
});

test('a manifest that can never be loaded is acknowledged and recorded, not redelivered', async () => {
  await new LocalFolderStore(dir).write(manifestKey(source.id, HOUR), Buffer.from('{"schema_version": 2}'));
  const answer = await post({ bucket: 'raw', name: manifestKey(source.id, HOUR) }, 'evt-2');
  expect(answer.status).toBe(204);
  const [letter] = await deadLetters();
  expect(letter).toMatchObject({ event_id: 'evt-2', error_kind: 'invalid_input' });
  expect(String(letter!.message)).toContain(`manifest ${manifestKey(source.id, HOUR)} is invalid`);
});

test('a failure a retry can cure (the warehouse unavailable) answers 5xx so Eventarc redelivers it, with no dead letter and no stack trace', async () => {
  await writeHour(new LocalFolderStore(dir), source, fetched, new Date());
  const flaky = Object.assign(Object.create(warehouse) as DuckDbWarehouse, {
    replaceRows: () => Promise.reject(new UpstreamError('BigQuery replaceRows dex_ops.ingestion_log: 503 backend error', true)),
  });
  const name = `load_flaky_${Math.random().toString(36).slice(2)}`;
  ff.cloudEvent(name, createLoadFunction({ DATA_STORE_URL: dir, WAREHOUSE: 'duckdb::memory:' }, { logger, warehouse: flaky }));
  const flakyServer = getTestServer(name);
  await new Promise<void>((resolve) => flakyServer.listen(0, '127.0.0.1', resolve));
  const saved = base;
  base = `http://127.0.0.1:${(flakyServer.address() as AddressInfo).port}/`;
  try {
    const answer = await post({ bucket: 'raw', name: manifestKey(source.id, HOUR) }, 'evt-3');
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('503 backend error');
    expect(answer.text).not.toContain('    at ');
  } finally {
    base = saved;
    await new Promise<void>((resolve) => flakyServer.close(() => { resolve(); }));
  }
  expect(await deadLetters()).toEqual([]);
  expect(logger.lines.find((l) => l.severity === 'WARNING')).toMatchObject({ event_id: 'evt-3', error: { kind: 'upstream', retryable: true } });
});

test('a manifest that is gone is permanent: acknowledged and recorded', async () => {
  expect((await post({ bucket: 'raw', name: manifestKey(source.id, HOUR) }, 'evt-4')).status).toBe(204);
  expect(await deadLetters()).toMatchObject([{ event_id: 'evt-4', error_kind: 'invalid_input' }]);
});

test('a Cloud Storage Pub/Sub notification (the deployed trigger) loads the same manifest', async () => {
  await writeHour(new LocalFolderStore(dir), source, fetched, new Date());
  const message = { message: { attributes: { bucketId: 'raw', objectId: manifestKey(source.id, HOUR), eventType: 'OBJECT_FINALIZE' }, data: '' }, subscription: 'projects/p/subscriptions/s' };
  expect((await post(message)).status).toBe(204);
  expect(await warehouse.query('SELECT source, rows FROM `dex_ops.ingestion_log`')).toEqual([{ source: source.id, rows: 1 }]);
});

test('objects that are not manifests are ignored', async () => {
  expect((await post({ bucket: 'raw', name: 'raw/source=x/dt=2026-11-24/hour=07/part-00000.jsonl.gz' })).status).toBe(204);
  expect(logger.lines.find((l) => l.function === 'load')).toMatchObject({ severity: 'INFO', result: { status: 'ignored' } });
});

test.each([
  [{ DATA_STORE_URL: '/tmp/x' }, 'invalid configuration WAREHOUSE: required'],
  [{ DATA_STORE_URL: 'gs:/bucket', WAREHOUSE: 'duckdb::memory:' }, "invalid configuration DATA_STORE_URL: 'gs:/bucket' is not a valid GCS URL"],
  [{ DATA_STORE_URL: '/tmp/x', WAREHOUSE: 'bigquery' }, "invalid configuration WAREHOUSE: 'bigquery' is not a valid BigQuery warehouse URL"],
  [{ K_SERVICE: 'load', DATA_STORE_URL: 'gs://raw-bucket/lake', WAREHOUSE: 'duckdb:/tmp/w.duckdb' }, "WAREHOUSE: 'duckdb:/tmp/w.duckdb' is local; in the cloud it must be bigquery://<project>"],
])('configuration %j fails at cold start: %s', (env, message) => {
  expect(() => createLoadFunction(env)).toThrow(message);
});
