import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { createScoreFunction } from '../../functions/score/handler';
import type { AlertMessage } from '../../shared/alerts/slack_blocks';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { memoryLogger } from '../../shared/logging';
import { openObjectStore } from '../../shared/storage/open_store';
import { trainModel } from '../../shared/train/train_model';
import { parseTrainOptions } from '../../shared/train/train_options';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { createSyntheticMart } from '../helpers/synthetic_mart';

const END = '2026-11-01T00:00:00Z';
const LAST = Date.parse(END) / 1000 - 3600;
let wh: DuckDbWarehouse;
let server: Server;
let base: string;
let dir: string;
const sent: AlertMessage[] = [];
const fnLogger = memoryLogger();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'score-fn-'));
  wh = await DuckDbWarehouse.open();
  await createSyntheticMart(wh, { sources: ['uni', 'sushi'], poolsPerSource: 20, hours: 240, end: END, featureNames: FEATURE_NAMES, salt: 5 });
  // The synthetic mart carries what training reads; the scorer also reads the pool's DEX and chain.
  await wh.query("ALTER TABLE dex_anomaly.mart_pool_features_labeled ADD COLUMN dex VARCHAR DEFAULT 'uniswap'");
  await wh.query("ALTER TABLE dex_anomaly.mart_pool_features_labeled ADD COLUMN chain VARCHAR DEFAULT 'ethereum'");
  await wh.query('CREATE TABLE dex_anomaly.stg_pool_hour (source VARCHAR, pool_id VARCHAR, hour_ts TIMESTAMP, token0_symbol VARCHAR, token1_symbol VARCHAR)');
  const store = openObjectStore(dir);
  await trainModel({ warehouse: wh, store, now: () => new Date('2026-10-31T00:10:00Z'), logger: memoryLogger() }, parseTrainOptions({ windowEnd: '2026-10-31T00:00:00Z', windowDays: 9, evalDays: 2, trees: 30, trainRows: 2000 }));
  const name = `score_${Math.random().toString(36).slice(2)}`;
  ff.http(name, createScoreFunction({ DATA_STORE_URL: dir, WAREHOUSE: 'duckdb::memory:' }, { logger: fnLogger, warehouse: wh, now: () => new Date(END), notifier: { name: 'file', send: (m) => { sent.push(m); return Promise.resolve(); } } }));
  server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: unknown) => {
  const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const stored = () => wh.query('SELECT source, pool_id, hour_ts, score, model_version FROM `dex_anomaly.pool_scores` ORDER BY source, pool_id, hour_ts');

test('the last complete hour by default: every pool scored once into pool_scores; a rerun replaces, never duplicates, and posts nothing again', async () => {
  const first = await post({});
  expect(first.status).toBe(200);
  const hours = first.body.hours as { hour: string; pools: number }[];
  expect(hours.map((h) => [h.hour, h.pools])).toEqual([[new Date(LAST * 1000).toISOString().replace('.000', ''), 40]]);
  const rows = await stored();
  expect(rows).toHaveLength(40);
  const messages = sent.length;
  expect(fnLogger.lines.filter((l) => l.freshness !== undefined).map((l) => (l.freshness as { kind: string; source: string }).source).sort()).toEqual(['sushi', 'uni']);
  expect(fnLogger.lines.filter((l) => l.alert_rate !== undefined)).toHaveLength(2);
  expect((await post({ hour: new Date(LAST * 1000).toISOString() })).status).toBe(200);
  expect(await stored()).toEqual(rows);
  expect(sent.length).toBe(messages);
});

test('a range scores hour by hour; an hour the mart does not have yet is retryable (503), never an empty success', async () => {
  const range = await post({ from: new Date((LAST - 2 * 3600) * 1000).toISOString(), to: new Date((LAST - 3600) * 1000).toISOString() });
  expect(range.status).toBe(200);
  expect((range.body.hours as unknown[]).length).toBe(2);
  const missing = await post({ hour: END });
  expect(missing.status).toBe(503);
  expect(missing.body).toMatchObject({ error: { kind: 'not_ready', retryable: true } });
});

test('a default run also scores the hours missed since the newest scored one (a late Dataform run), oldest first', async () => {
  // The two newest hours were not scored (the mart was late beyond the scheduler's retries).
  await wh.query('DELETE FROM dex_anomaly.pool_scores WHERE hour_ts > TIMESTAMP_SECONDS(@h)', { h: LAST - 2 * 3600 });
  const next = await post({});
  expect(next.status).toBe(200);
  expect((next.body.hours as { hour: string }[]).map((h) => h.hour)).toEqual([LAST - 3600, LAST].map((t) => new Date(t * 1000).toISOString().replace('.000', '')));
  const perHour = await wh.query('SELECT UNIX_SECONDS(hour_ts) AS h, COUNT(*) AS n FROM dex_anomaly.pool_scores WHERE hour_ts >= TIMESTAMP_SECONDS(@h) GROUP BY 1 ORDER BY 1', { h: LAST - 2 * 3600 });
  expect(perHour.map((r) => [Number(r.h), Number(r.n)])).toEqual([[LAST - 2 * 3600, 40], [LAST - 3600, 40], [LAST, 40]]);
});

test.each([
  [{ hour: 'yesterday' }, "invalid score request 'hour': must be a whole UTC hour"],
  [{ from: END }, "'from' and 'to' go together"],
  [{ hour: END, from: END, to: END }, 'give hour, or from and to, not both'],
  [{ nope: 1 }, 'invalid score request'],
])('a bad request %j answers 400: %s', async (body, message) => {
  const { status, body: answer } = await post(body);
  expect(status).toBe(400);
  expect((answer.error as { message: string }).message).toContain(message);
});
afterAll(() => {
  for (const l of fnLogger.lines) if (l.severity === 'ERROR') console.log(JSON.stringify(l));
});
