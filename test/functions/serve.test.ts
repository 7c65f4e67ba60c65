import { mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import fc from 'fast-check';
import { answerFrameworkErrorsAsJson } from '../../functions/_runtime/framework_errors';
import { createServeFunction, serveEnvSchema, serveRequestGuard } from '../../functions/serve/handler';
import { parseEnv } from '../../shared/config/env';
import { ConfigError } from '../../shared/errors';
import { serializeModel } from '../../shared/iforest';
import { memoryLogger } from '../../shared/logging';
import { modelFileLoader } from '../../shared/serve/model_file_loader';
import type { LoadedModel, ModelLoader } from '../../shared/serve/model_source';
import { ALERTS, POOL_SCORES } from '../../shared/scoring/tables';
import { warehouseStoredScores } from '../../shared/serve/stored_scores';
import { errorBodySchema, scoreResponseSchema } from '../../shared/serve/score_schema';
import { GcsStore } from '../../shared/storage/gcs_store';
import { openObjectStore } from '../../shared/storage/open_store';
import type { ObjectStore } from '../../shared/storage/object_store';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { publishBenchModel } from '../../scripts/bench/serve';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { FakeGcs } from '../helpers/fake_gcs';
import { trainedForest } from '../helpers/serve_model';

const NAMES = ['volume', 'tvl', 'turnover'];
const KEY = 'models/default/production.json';
const frameworkLogger = memoryLogger();
// Installed before any server is built, as functions/serve/index.ts does at module load.
const hooked = answerFrameworkErrorsAsJson(frameworkLogger, 'serve', serveRequestGuard({ DATA_STORE_URL: tmpdir(), SERVE_MAX_BODY_BYTES: '4096' }));

let dir: string;
let store: ObjectStore;
let server: Server;
let base: string;
let logger: ReturnType<typeof memoryLogger>;
let now: number;
let loads: Promise<LoadedModel>[];
let versionChecks: Promise<string>[];

async function start(env: Record<string, string> = {}, overrides: Parameters<typeof createServeFunction>[1] = {}): Promise<void> {
  const name = `serve_${Math.random().toString(36).slice(2)}`;
  const inner = modelFileLoader(store, KEY);
  const loader: ModelLoader = {
    productionVersion: () => {
      const p = inner.productionVersion();
      versionChecks.push(p);
      return p;
    },
    load: (version) => {
      const p = inner.load(version);
      loads.push(p);
      return p;
    },
  };
  ff.http(name, createServeFunction({ DATA_STORE_URL: dir, ...env }, { logger, clock: () => now, modelLoader: loader, ...overrides }));
  server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const postJson = (body: string, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const oneRow = JSON.stringify({ rows: [{ pool_id: 'p', features: { volume: 0.5, tvl: 0.1, turnover: -0.3 } }] });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-fn-'));
  store = openObjectStore(dir);
  await store.write(KEY, Buffer.from(serializeModel(trainedForest(NAMES, 1).model)));
  logger = memoryLogger();
  now = 0;
  loads = [];
  versionChecks = [];
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  rmSync(dir, { recursive: true, force: true });
});

test('POST /score through the Functions Framework: the model file at SERVE_MODEL_KEY scores, its version in a header; a 2xx is counted in the minute summary line, a 4xx has its own line', async () => {
  await start({}, { logger });
  const version = await modelFileLoader(store, KEY).productionVersion();
  const res = await call('/score', postJson(oneRow, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }));
  expect(res.status).toBe(200);
  expect(res.headers.get('x-model-version')).toBe(version);
  const body = scoreResponseSchema.parse(res.json);
  expect(body.model_version).toBe(version);
  expect(body.results).toHaveLength(1);
  expect(body.results[0]!.pool_id).toBe('p');
  const serveLines = () => logger.lines.filter((l) => typeof l.message === 'string' && l.message.startsWith('serve'));
  expect(serveLines()).toEqual([]);

  const bad = await call('/score', postJson(JSON.stringify({ rows: [] }), { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }));
  expect(bad.status).toBe(400);
  expect(serveLines().map((l) => [l.severity, l.message, l.trace_id])).toEqual([['WARNING', 'serve POST /score -> 400', '4bf92f3577b34da6a3ce929d0e0e4736']]);
  // The line says why, as the answer did.
  expect(serveLines()[0]!.error).toEqual({ message: (errorBodySchema.parse(bad.json).error as { message: string }).message });
  expect((serveLines()[0]!.error as { message: string }).message).toMatch(/^invalid score request: rows: /);

  now += 30_000;
  expect((await call('/score', postJson(oneRow))).status).toBe(200);
  expect(serveLines()).toHaveLength(1);
  // The first answer after the minute writes the summary of the one before it.
  now += 31_000;
  expect((await call('/score', postJson(oneRow))).status).toBe(200);
  expect(serveLines().slice(1)).toEqual([
    { severity: 'INFO', message: 'serve: 2 requests answered 2xx in 61 s', function: 'serve', requests: { answered2xx: 2, byStatus: { 200: 2 }, windowSeconds: 61, latencyMeanMs: 0, latencyMaxMs: 0 } },
  ]);
});

test('answers the framework raises before the function runs are JSON error bodies too', async () => {
  expect(hooked).toBe(true);
  await start();
  const cases: [RequestInit, number][] = [
    [postJson('{"rows": [1,'), 400],
    [postJson('"just a string"'), 400],
    [postJson('{}', { 'content-type': 'application/json; charset=latin1' }), 415],
    [postJson('{}', { 'content-encoding': 'br2' }), 415],
    // Refused before the body is read: the framework would inflate a gzip bomb first.
    [{ method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(1_000_000, 32)) }, 415],
    [postJson(`{"rows": [${' '.repeat(5000)}]}`), 413],
  ];
  for (const [init, status] of cases) {
    const res = await call('/score', init);
    expect([res.status, res.headers.get('content-type')]).toEqual([status, 'application/json; charset=utf-8']);
    expect(errorBodySchema.parse(res.json).error).toEqual({ kind: 'invalid_input', message: expect.any(String) as unknown, retryable: false });
    expect(res.text).not.toContain('node_modules');
  }
  expect((errorBodySchema.parse((await call('/score', postJson('{"rows": [1,'))).json)).error.message).toMatch(/^body is not valid JSON: /);
  expect(frameworkLogger.lines.at(-1)).toMatchObject({ severity: 'WARNING', message: expect.stringMatching(/^serve POST \/score -> 400 \(before the function: body is not valid JSON/) as unknown });
});

test('the production model is refreshed in the background after the check interval, never on the request path', async () => {
  await start({ SERVE_MODEL_CHECK_SECONDS: '30' });
  const first = (await call('/score', postJson(oneRow))).headers.get('x-model-version');
  await store.write(KEY, Buffer.from(serializeModel(trainedForest(NAMES, 2).model)));
  now += 29_000;
  expect((await call('/score', postJson(oneRow))).headers.get('x-model-version')).toBe(first);
  expect(loads).toHaveLength(1);
  now += 1_000;
  // This request starts the check and is answered by the old model.
  expect((await call('/score', postJson(oneRow))).headers.get('x-model-version')).toBe(first);
  expect(versionChecks).toHaveLength(2);
  await versionChecks[1];
  await new Promise((resolve) => setImmediate(resolve));
  expect(loads).toHaveLength(2);
  const second = await loads[1]!;
  await new Promise((resolve) => setImmediate(resolve));
  expect(second.version).not.toBe(first);
  expect((await call('/score', postJson(oneRow))).headers.get('x-model-version')).toBe(second.version);
});

test('no model yet: 503 with the JSON error body, retryable; the next request loads it', async () => {
  await store.delete(KEY);
  await start();
  const res = await call('/score', postJson(oneRow));
  expect([res.status, res.headers.get('retry-after')]).toEqual([503, '5']);
  expect(errorBodySchema.parse(res.json).error).toMatchObject({ kind: 'not_ready', retryable: true });
  await store.write(KEY, Buffer.from(serializeModel(trainedForest(NAMES, 1).model)));
  expect((await call('/score', postJson(oneRow))).status).toBe(200);
});

test('with SERVE_API_KEY_SECRET the key from the secrets backend is required', async () => {
  await start({ SERVE_API_KEY_SECRET: 'serve-api-key', SECRETS_BACKEND: 'env', SECRET_SERVE_API_KEY: 'k-123456' });
  expect((await call('/score', postJson(oneRow))).status).toBe(401);
  expect((await call('/score', postJson(oneRow, { 'x-api-key': 'k-12345' }))).status).toBe(401);
  expect((await call('/score', postJson(oneRow, { 'x-api-key': 'k-123456' }))).status).toBe(200);
  expect((await call('/healthz')).status).toBe(200);
});

test('a key handed over in the environment (secret-manager-env in the cloud) is required at start-up, naming its variable', async () => {
  const cloud = { K_SERVICE: 'serve', DATA_STORE_URL: 'gs://bucket/models', SERVE_API_KEY_SECRET: 'serve-api-key', SECRETS_BACKEND: 'secret-manager-env' };
  expect(() => createServeFunction(cloud, { logger, modelLoader: { productionVersion: () => Promise.resolve('v'), load: () => Promise.reject(new Error('unused')) } })).toThrow(
    "invalid configuration SERVE_API_KEY_SECRET: names secret 'serve-api-key', but SECRET_SERVE_API_KEY is not set (terraform's secret_environment hands it to the function)",
  );
  expect(() => parseEnv(serveEnvSchema, { ...cloud, SECRETS_BACKEND: 'env' })).toThrow("SECRETS_BACKEND: must be 'secret-manager' or 'secret-manager-env' in the cloud (found 'env')");
  await start({ SERVE_API_KEY_SECRET: 'serve-api-key', SECRETS_BACKEND: 'secret-manager-env', SECRET_SERVE_API_KEY: 'k-9' });
  expect((await call('/score', postJson(oneRow))).status).toBe(401);
  expect((await call('/score', postJson(oneRow, { 'x-api-key': 'k-9' }))).status).toBe(200);
});

test('GET /score reads stored scores through the StoredScores port', async () => {
  const wh = await DuckDbWarehouse.open();
  try {
    // The tables as shared/scoring defines them, so a renamed column fails here.
    await wh.ensureTable(POOL_SCORES);
    await wh.ensureTable(ALERTS);
    await wh.query("INSERT INTO dex_anomaly.pool_scores (source, dex, chain, pool_id, pair, hour_ts, score, threshold, is_anomaly, alert_type, model_version, scored_at) VALUES ('uni', 'uniswap', 'ethereum', '0xaa', 'A/B', TIMESTAMP '2026-11-24 07:00:00', 0.7, 0.6, true, 'volume_spike', 'v1', TIMESTAMP '2026-11-24 07:35:00')");
    await start({}, { storedScores: warehouseStoredScores(wh) });
    const hit = await call('/score?source=uni&pool_id=0xaa&hour=2026-11-24T07:00:00Z');
    expect([hit.status, (hit.json as { score: { score: number } }).score.score]).toEqual([200, 0.7]);
    expect((await call('/score?source=uni&pool_id=0xaa')).json).toMatchObject({ latest: { hour: '2026-11-24T07:00:00.000Z' }, alerts: [] });
    expect((await call('/score?source=uni&pool_id=0xaa&hour=2026-11-24T08:00:00Z')).status).toBe(404);
    expect((await call('/score?source=uni&source=sushi&pool_id=0xaa')).status).toBe(400);
  } finally {
    await wh.close();
  }
});

test('in the cloud a local model store is refused at start-up', () => {
  expect(() => parseEnv(serveEnvSchema, { K_SERVICE: 'serve', DATA_STORE_URL: '/tmp/x', SECRETS_BACKEND: 'secret-manager' })).toThrow(ConfigError);
  expect(parseEnv(serveEnvSchema, { DATA_STORE_URL: 'gs://bucket/p' })).toMatchObject({ MODEL_NAME: 'pool-hour-iforest', SERVE_MODEL_CHECK_SECONDS: 60, SERVE_MAX_BODY_BYTES: 8 * 1024 * 1024 });
  expect(() => parseEnv(serveEnvSchema, { DATA_STORE_URL: 'gs://bucket/p', SERVE_MODEL_CHECK_SECONDS: '0' })).toThrow(/SERVE_MODEL_CHECK_SECONDS/);
});

/** Bodies near the valid one, then mutated: the inputs most likely to slip through validation. */
const featureValue = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e39, -1e39, 3.4e38), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }));
const featureName = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 8 }));
const row = fc.record(
  { pool_id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), features: fc.oneof(fc.dictionary(featureName, featureValue, { maxKeys: 5 }), fc.record({ volume: fc.double(), tvl: fc.double(), turnover: fc.double() }), fc.anything()) },
  { requiredKeys: [] },
);
const bodyText = fc.oneof(
  fc.record({ rows: fc.array(row, { maxLength: 4 }) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(oneRow, '', '{', '[]', 'null', '1e999', '{"rows":[{"features":{"volume":1e999,"tvl":0,"turnover":0}}]}', '{"rows":null}', '{"__proto__":{"rows":[]}}'),
  fc.tuple(fc.constantFrom(oneRow), fc.nat({ max: oneRow.length }), fc.string({ maxLength: 3 })).map(([t, i, s]) => t.slice(0, i) + s + t.slice(i + 1)),
);
const request = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  path: fc.constantFrom('/score', '/score', '/score', '/score?source=a', '/healthz', '/openapi.json', '/', '/nope', '/score/extra'),
  contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/cloudevents+json', 'application/octet-stream', undefined),
  body: bodyText,
});

type RandomRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** Sends one request and checks the answer: 2xx, or 4xx with the JSON error body. */
async function checkAnswer(r: RandomRequest): Promise<void> {
  const hasBody = r.method !== 'GET';
  const res = await call(r.path, { method: r.method, headers: r.contentType ? { 'content-type': r.contentType } : {}, ...(hasBody ? { body: r.body } : {}) });
  const context = `${r.method} ${r.path} ${r.contentType ?? '(no content type)'} ${JSON.stringify(r.body).slice(0, 200)} -> ${res.status} ${res.text.slice(0, 200)}`;
  expect([context, res.status < 300 || (res.status >= 400 && res.status < 500)]).toEqual([context, true]);
  if (res.status >= 400) {
    expect([context, res.headers.get('content-type'), errorBodySchema.strict().safeParse(res.json).success]).toEqual([context, 'application/json; charset=utf-8', true]);
  } else if (r.method === 'POST') {
    expect(scoreResponseSchema.parse(res.json).results.length).toBeGreaterThan(0);
  }
}

// 200 runs of 10 concurrent requests: 2000 requests (about a minute on a busy 2-core machine).
test('property: a few thousand random and mutated requests only ever get a 2xx or a 4xx with the JSON error body', async () => {
  await start({ SERVE_MAX_BODY_BYTES: '2048' });
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: 10, maxLength: 10 }), async (batch) => {
      await Promise.all(batch.map(checkAnswer));
    }),
    { numRuns: Number(process.env.SERVE_PROP_RUNS ?? 200), seed: 14 },
  );
  expect(logger.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
}, 600_000);

test('without SERVE_MODEL_KEY the registry loader is imported on first use and asks for the production alias', async () => {
  await start({ DATA_STORE_URL: `memory://serve-no-registry-${Math.random().toString(36).slice(2)}` }, { modelLoader: undefined });
  const res = await call('/score', postJson(oneRow));
  expect(res.status).toBe(503);
  const body = errorBodySchema.parse(res.json);
  expect([body.error.kind, body.error.retryable]).toEqual(['not_ready', true]);
  // The caller is told to retry; where the model was looked for (a bucket) is for the log only.
  expect(body.error.message).toBe('no production model is loaded yet; retry in a few seconds (the function log says why)');
  expect(logger.lines.map((l) => l.message)).toContainEqual(expect.stringContaining("no production model 'pool-hour-iforest' in memory://serve-no-registry-"));
});

test('a gs:// store is read through the JSON API, not the client library: a pinned file and the production alias', async () => {
  const gcs = await new FakeGcs().start();
  // Written first through the client library (which reads STORAGE_EMULATOR_HOST itself): a pinned
  // model file, and a registry version promoted to production by train's registry calls.
  await new GcsStore('gs://models-x', 'models-x', '', { apiEndpoint: gcs.endpoint, projectId: 'p' }).write(KEY, Buffer.from(serializeModel(trainedForest(NAMES, 1).model)));
  const published = await publishBenchModel(new GcsStore('gs://models-x/reg', 'models-x', 'reg', { apiEndpoint: gcs.endpoint, projectId: 'p' }), new Date('2026-12-01T00:00:00Z'), 500);
  const saved = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = gcs.endpoint;
  try {
    gcs.requests.length = 0;
    await start({ DATA_STORE_URL: 'gs://models-x', SERVE_MODEL_KEY: KEY }, { modelLoader: undefined });
    expect((await call('/score', postJson(oneRow))).status).toBe(200);
    // Against an emulator no token is asked for (as the client libraries do); the metadata-server token is tested with the reader.
    expect(gcs.requests.map((r) => [r.path, r.query.alt ?? r.query.prefix, r.authorization])).toEqual([
      ['/storage/v1/b/models-x/o', KEY, undefined],
      ['/storage/v1/b/models-x/o/models%2Fdefault%2Fproduction.json', 'media', undefined],
    ]);
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    await start({ DATA_STORE_URL: 'gs://models-x/reg' }, { modelLoader: undefined });
    const scored = await call('/score', postJson(JSON.stringify({ rows: [{ features: Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0.5])) }] })));
    expect([scored.status, scored.headers.get('x-model-version')]).toEqual([200, published.version]);
  } finally {
    if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = saved;
    await gcs.stop();
  }
});
