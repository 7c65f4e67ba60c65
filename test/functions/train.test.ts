import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { createTrainFunction } from '../../functions/train/handler';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { memoryLogger } from '../../shared/logging';
import { openRegistry } from '../../shared/model_registry/registry';
import { registryModelLoader } from '../../shared/serve/registry_model_loader';
import { openObjectStore } from '../../shared/storage/open_store';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { createSyntheticMart } from '../helpers/synthetic_mart';

const END = '2026-11-01T00:00:00Z';
let wh: DuckDbWarehouse;
let server: Server;
let base: string;
let storeUrl: string;

beforeAll(async () => {
  wh = await DuckDbWarehouse.open();
  await createSyntheticMart(wh, { sources: ['uni', 'sushi'], poolsPerSource: 20, hours: 240, end: END, featureNames: FEATURE_NAMES, salt: 3 });
  storeUrl = `memory://train-fn-${Math.random().toString(36).slice(2)}`;
  const name = `train_${Math.random().toString(36).slice(2)}`;
  ff.http(name, createTrainFunction({ DATA_STORE_URL: storeUrl, WAREHOUSE: 'duckdb::memory:', TRAIN_TREES: '30', TRAIN_WINDOW_DAYS: '10', TRAIN_EVAL_DAYS: '3', TRAIN_TRAIN_ROWS: '2000' }, { logger: memoryLogger(), warehouse: wh, now: () => new Date('2026-11-01T00:20:00Z') }));
  server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  await wh.close();
});

const post = async (body: unknown) => {
  const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

test('a run trains, registers and promotes the first model; its answer says what happened', async () => {
  const { status, body } = await post({ windowEnd: END });
  expect(status).toBe(200);
  expect(body).toMatchObject({ promoted: true, productionBefore: null, rows: { train: expect.any(Number) as number } });
  const alias = await openRegistry(openObjectStore(storeUrl), String(body.modelName)).productionAlias();
  expect(alias.record?.version).toBe(body.version);
  // What serve loads: the promoted version with the threshold trained with it.
  const loader = registryModelLoader(openObjectStore(storeUrl), String(body.modelName));
  expect(await loader.productionVersion()).toBe(body.version);
  const loaded = await loader.load(String(body.version));
  expect([loaded.version, loaded.threshold, loaded.featureNames]).toEqual([body.version, body.threshold, FEATURE_NAMES]);
});

test('before any training, serve is told there is no production model yet (retryable)', async () => {
  await expect(registryModelLoader(openObjectStore('memory://empty-registry'), 'pool-hour-iforest').productionVersion()).rejects.toThrow("no production model 'pool-hour-iforest' in memory://empty-registry yet: run train");
});

test('a bad option in the body answers 400 naming it; an env option that is bad fails the cold start', async () => {
  const { status, body } = await post({ windowEnd: END, trees: 0 });
  expect(status).toBe(400);
  expect(body).toEqual({ error: { kind: 'invalid_input', message: expect.stringContaining("option 'trees'") as string, retryable: false } });
  expect((await post([1, 2])).status).toBe(400);
  expect(() => createTrainFunction({ DATA_STORE_URL: storeUrl, WAREHOUSE: 'duckdb::memory:', TRAIN_TREES: 'many' })).toThrow("invalid training option 'trees'");
  expect(() => createTrainFunction({ DATA_STORE_URL: storeUrl })).toThrow('invalid configuration WAREHOUSE: required');
});

test('an empty window is not ready (503), so the scheduler retries', async () => {
  const { status, body } = await post({ windowEnd: '2025-01-01T00:00:00Z' });
  expect(status).toBe(503);
  expect(body).toMatchObject({ error: { kind: 'not_ready', retryable: true } });
});
