import * as z from 'zod';
import { explainDiffi, matrixFromArrays } from '../../../shared/iforest';
import { memoryLogger } from '../../../shared/logging';
import { refreshingModelSource } from '../../../shared/serve/model_source';
import { createServeApi, type ServeDeps, type ServeRequest } from '../../../shared/serve/serve_api';
import { MAX_ROWS, scoreResponseSchema } from '../../../shared/serve/score_schema';
import { apiKeyChecker } from '../../../shared/serve/api_key';
import { fakeRegistry, loadedModel } from '../../helpers/serve_model';

// Tests build their own names: the project's feature list changes independently of serving.
const NAMES = ['volume', 'tvl', 'turnover'];
const model = loadedModel(NAMES, 'v7');

function api(overrides: Partial<ServeDeps> = {}) {
  const models = refreshingModelSource(fakeRegistry(model), { checkEverySeconds: 60, clock: () => 0, logger: memoryLogger() });
  return createServeApi({ models, maxBodyBytes: 10_000, ...overrides });
}

function post(body: unknown, extra: Partial<ServeRequest> = {}): ServeRequest {
  return { method: 'POST', path: '/score', query: {}, contentType: 'application/json', apiKey: undefined, bodyBytes: JSON.stringify(body ?? null).length, body, ...extra };
}

const row = (volume: number, tvl = 0, turnover = 0) => ({ features: { volume, tvl, turnover } });

test('POST /score: scores, thresholds and explains each row, with the model version in a header', async () => {
  const rows = [row(0.1, -0.2, 0.3), { pool_id: '0xabc', ...row(9, 9, -9) }];
  const answer = await api()(post({ rows }));
  expect(answer.status).toBe(200);
  expect(answer.headers).toEqual({ 'x-model-version': 'v7' });
  const body = scoreResponseSchema.parse(answer.body);
  const matrix = matrixFromArrays(NAMES, [[0.1, -0.2, 0.3], [9, 9, -9]]);
  const samples = model.model.scoreSamples(matrix);
  const labels = model.model.predict(matrix);
  const diffi = explainDiffi(model.model.model, matrix);
  expect(body.model_version).toBe('v7');
  expect(body.threshold).toBe(-model.model.model.offset);
  expect(body.results.map((r) => r.score)).toEqual([-samples[0]!, -samples[1]!]);
  // is_anomaly agrees with scikit-learn's predict(): -1 exactly when score > threshold.
  expect(body.results.map((r) => r.is_anomaly)).toEqual([labels[0] === -1, labels[1] === -1]);
  expect(body.results.map((r) => r.is_anomaly)).toEqual([false, true]);
  expect(body.results[1]!.pool_id).toBe('0xabc');
  expect(body.results[0]!.pool_id).toBeUndefined();
  const second = body.results[1]!.contributions;
  expect(second.map((c) => c.feature).sort()).toEqual([...NAMES].sort());
  for (const c of second) expect(c.contribution).toBe(diffi[3 + NAMES.indexOf(c.feature)]!);
  expect(second.map((c) => c.contribution)).toEqual([...second.map((c) => c.contribution)].sort((a, b) => b - a));
  expect(second.find((c) => c.feature === 'turnover')!.value).toBe(-9);
});

test.each([
  ['not an object', [1, 2], [{ path: '', message: 'the body must be a JSON object { "rows": [...] }' }]],
  ['no body', undefined, [{ path: '', message: 'required' }]],
  ['rows missing', {}, [{ path: 'rows', message: 'required' }]],
  ['empty batch', { rows: [] }, [{ path: 'rows', message: 'must hold at least 1 row' }]],
  ['unknown top-level key', { rows: [row(1)], extra: 1 }, [{ path: 'extra', message: 'unknown name' }]],
  [
    'unknown and missing feature names',
    { rows: [row(1), { features: { volume: 1, tvl: 2, turnvoer: 3 } }] },
    [
      { path: 'rows.1.features.turnover', message: 'required' },
      { path: 'rows.1.features.turnvoer', message: 'unknown name' },
    ],
  ],
  ['wrong type', { rows: [{ features: { volume: '1', tvl: null, turnover: true } }] }, [
    { path: 'rows.0.features.volume', message: 'must be a finite number' },
    { path: 'rows.0.features.tvl', message: 'must be a finite number' },
    { path: 'rows.0.features.turnover', message: 'must be a finite number' },
  ]],
  ['infinite (1e999 in JSON)', { rows: [row(Infinity, -Infinity, NaN)] }, [
    { path: 'rows.0.features.volume', message: 'must be a finite number' },
    { path: 'rows.0.features.tvl', message: 'must be a finite number' },
    { path: 'rows.0.features.turnover', message: 'must be a finite number' },
  ]],
  ['beyond float32', { rows: [row(1e39)] }, [{ path: 'rows.0.features.volume', message: 'must be within float32 range (|x| <= 3.4e38)' }]],
  ['pool_id not a string', { rows: [{ pool_id: 7, ...row(1) }] }, [{ path: 'rows.0.pool_id', message: 'must be a string' }]],
  ['pool_id empty or too long', { rows: [{ pool_id: '', ...row(1) }, { pool_id: 'x'.repeat(257), ...row(1) }] }, [
    { path: 'rows.0.pool_id', message: 'must be 1 to 256 characters' },
    { path: 'rows.1.pool_id', message: 'must be 1 to 256 characters' },
  ]],
  ['features not an object', { rows: [{ features: [1, 2, 3] }] }, [{ path: 'rows.0.features', message: 'must be an object of feature name to number' }]],
])('POST /score with %s: 400 naming each offending path', async (_label, body, issues) => {
  const answer = await api({ maxBodyBytes: 10_000_000 })(post(body));
  expect(answer.status).toBe(400);
  const error = (answer.body as { error: { kind: string; message: string; retryable: boolean; issues: unknown } }).error;
  expect(error.kind).toBe('invalid_input');
  expect(error.retryable).toBe(false);
  expect(error.issues).toEqual(issues);
  for (const issue of issues) expect(error.message).toContain(`${issue.path || '(whole)'}: ${issue.message}`);
});

test('an oversize batch is a 400 on rows; the body limit is a 413', async () => {
  const rows = Array.from({ length: MAX_ROWS + 1 }, () => row(1));
  const tooMany = await api({ maxBodyBytes: 10_000_000 })(post({ rows }));
  expect(tooMany.status).toBe(400);
  expect((tooMany.body as { error: { issues: unknown } }).error.issues).toEqual([{ path: 'rows', message: `must hold at most ${MAX_ROWS} rows` }]);
  const tooBig = await api({ maxBodyBytes: 1000 })(post({ rows: rows.slice(0, 100) }));
  expect(tooBig.status).toBe(413);
  expect(tooBig.body).toEqual({ error: { kind: 'invalid_input', message: expect.stringMatching(/^body of \d+ bytes exceeds the limit of 1000 bytes/) as unknown, retryable: false } });
});

test('a thousand bad rows list the first 100 issues and count the rest', async () => {
  const answer = await api({ maxBodyBytes: 10_000_000 })(post({ rows: Array.from({ length: 1000 }, () => row(Number.NaN)) }));
  const error = (answer.body as { error: { issues: unknown[]; message: string } }).error;
  expect(error.issues).toHaveLength(100);
  expect(error.message).toMatch(/; and 900 more$/);
});

test.each([
  [{ method: 'POST', path: '/nope' }, 404, undefined],
  [{ method: 'GET', path: '/' }, 404, undefined],
  [{ method: 'DELETE', path: '/score' }, 405, 'GET, POST'],
  [{ method: 'POST', path: '/healthz' }, 405, 'GET, HEAD'],
  [{ method: 'PUT', path: '/openapi.json' }, 405, 'GET, HEAD'],
  [{ method: 'HEAD', path: '/score' }, 405, 'GET, POST'],
  [{ contentType: 'text/plain' }, 415, undefined],
  [{ contentType: undefined }, 415, undefined],
])('%j answers %i with the JSON error shape', async (extra, status, allow) => {
  const answer = await api()(post({ rows: [row(1)] }, extra));
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: { kind: 'invalid_input', message: expect.any(String) as unknown, retryable: false } });
  expect(answer.headers?.allow).toBe(allow);
});

test('HEAD /healthz and HEAD /openapi.json answer as GET does (the server drops the body)', async () => {
  for (const path of ['/healthz', '/openapi.json']) {
    const [head, get] = [await api()(post({}, { method: 'HEAD', path })), await api()(post({}, { method: 'GET', path }))];
    expect([head.status, head.body]).toEqual([200, get.body]);
  }
});

test('a trailing slash and a JSON charset are accepted', async () => {
  expect((await api()(post({ rows: [row(1)] }, { path: '/score/', contentType: 'application/json; charset=utf-8' }))).status).toBe(200);
});

test('with an API key configured, /score needs it and /healthz does not', async () => {
  const serve = api({ checkApiKey: apiKeyChecker('s3cret') });
  const missing = await serve(post({ rows: [row(1)] }));
  expect([missing.status, (missing.body as { error: { message: string } }).error.message]).toEqual([401, 'missing x-api-key header']);
  expect((await serve(post({ rows: [row(1)] }, { apiKey: 's3cre' }))).status).toBe(401);
  expect((await serve(post({ rows: [row(1)] }, { apiKey: 's3cret' }))).status).toBe(200);
  expect((await serve({ ...post(null), method: 'GET', path: '/healthz' })).body).toEqual({ status: 'ok', model_version: 'v7' });
});

test('GET /openapi.json describes POST /score with the served model\'s features, from the validating schema', async () => {
  const answer = await api()({ ...post(null), method: 'GET', path: '/openapi.json' });
  const doc = answer.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/openapi.json', '/score']);
  const schema = doc.paths['/score']!.post!.requestBody!.content['application/json']!.schema;
  // The document's schema, turned back into a validator, agrees with the API on good and bad bodies.
  const validator = z.fromJSONSchema(schema);
  expect(validator.safeParse({ rows: [row(1, 2, 3)] }).success).toBe(true);
  expect(validator.safeParse({ rows: [{ features: { volume: 1, tvl: 2 } }] }).success).toBe(false);
  expect(validator.safeParse({ rows: [] }).success).toBe(false);
  expect(JSON.stringify(schema)).toContain('"required":["volume","tvl","turnover"]');
});

test('GET /score without a warehouse answers 501; with a bad query 400', async () => {
  const get = (query: unknown) => api()({ ...post(null), method: 'GET', query });
  expect((await get({ source: 's', pool_id: 'p' })).status).toBe(501);
  const bad = await get({ source: ['a', 'b'], hour: '2026-11-24T07:30:00Z', x: '1' });
  expect(bad.status).toBe(400);
  expect((bad.body as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toEqual(['source', 'pool_id', 'hour', 'x']);
  const outOfRange = await get({ source: '', pool_id: 'p'.repeat(257) });
  expect((outOfRange.body as { error: { issues: unknown } }).error.issues).toEqual([
    { path: 'source', message: 'must be 1 to 128 characters' },
    { path: 'pool_id', message: 'must be 1 to 256 characters' },
  ]);
});

test('POST /score with the model loaded answers at once (no promise) with the body as JSON text, the same value as body', async () => {
  const serve = api();
  await serve({ ...post(null), method: 'GET', path: '/healthz' });
  const answer = serve(post({ rows: [row(0.1, -0.2, 0.3), { pool_id: 'p', ...row(1e21, 5e-324, -0) }] }));
  expect(answer).not.toBeInstanceOf(Promise);
  const { bodyJson, body } = answer as { bodyJson: string; body: unknown };
  expect(typeof bodyJson).toBe('string');
  expect(JSON.stringify(body)).toBe(bodyJson);
  expect(scoreResponseSchema.parse(body).results.map((r) => r.contributions.length)).toEqual([3, 3]);
});

test('POST /score before the model is loaded waits for it', async () => {
  const answer = api()(post({ rows: [row(0.1)] }));
  expect(answer).toBeInstanceOf(Promise);
  expect((await answer).status).toBe(200);
});
