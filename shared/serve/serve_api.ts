import type { z } from 'zod';
import type { LoadedModel, ModelSource } from './model_source';
import { openApiDocument } from './openapi';
import { wellFormedRows } from './score_fast_path';
import { scoreRows, scoreRowsJson } from './score_rows';
import { scoreRequestSchema, storedScoreQuerySchema } from './score_schema';
import { bodyTooLargeMessage, errorAnswer, invalidRequest, issuesOf, jsonTextAnswer, type ServeAnswer } from './serve_answer';
import type { StoredScores } from './stored_scores';

/** An HTTP request as the serve API needs it, whatever server carried it. */
export interface ServeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: unknown;
  readonly contentType: string | undefined;
  readonly apiKey: string | undefined;
  /** Size of the body as received. */
  readonly bodyBytes: number;
  /** The parsed JSON body (when the content type is JSON). */
  readonly body: unknown;
}

export interface ServeDeps {
  readonly models: ModelSource;
  /** Absent when no warehouse is configured: GET /score then answers 501. */
  readonly storedScores?: StoredScores | undefined;
  /** Absent when no API key is configured (the function is still IAM-only in the cloud). */
  readonly checkApiKey?: ((presented: string | undefined) => boolean) | undefined;
  readonly maxBodyBytes: number;
}

/** Answers a request: at once when it needs no I/O (a scored POST with the model loaded). */
export type ServeApi = (req: ServeRequest) => ServeAnswer | Promise<ServeAnswer>;

/** Header carrying the version of the model that answered. */
export const MODEL_VERSION_HEADER = 'x-model-version';

// HEAD where a probe or a cache may ask for it: answered as GET, without the body (Node drops it).
const ROUTES: Readonly<Record<string, readonly string[]>> = { '/score': ['GET', 'POST'], '/healthz': ['GET', 'HEAD'], '/openapi.json': ['GET', 'HEAD'] };
const OPEN_PATHS = new Set(['/healthz', '/openapi.json']);

/**
 * The serve API: POST /score, GET /score, GET /healthz, GET /openapi.json. Every answer to a
 * caller's mistake is a 4xx with the JSON error body (404 path, 405 method, 401 key, 413 size,
 * 415 content type, 400 naming each offending path); a model not loaded yet is a 503.
 */
export function createServeApi(deps: ServeDeps): ServeApi {
  const requestSchemas = new WeakMap<LoadedModel, z.ZodType<z.output<ReturnType<typeof scoreRequestSchema>>>>();
  const schemaFor = (loaded: LoadedModel) => {
    let schema = requestSchemas.get(loaded);
    if (!schema) requestSchemas.set(loaded, (schema = scoreRequestSchema(loaded.featureNames)));
    return schema;
  };

  const versionHeaders = new WeakMap<LoadedModel, Readonly<Record<string, string>>>();
  const headersFor = (loaded: LoadedModel) => {
    let headers = versionHeaders.get(loaded);
    if (!headers) versionHeaders.set(loaded, (headers = { [MODEL_VERSION_HEADER]: loaded.version }));
    return headers;
  };

  const scoreWith = (loaded: LoadedModel, body: unknown): ServeAnswer => {
    const headers = headersFor(loaded);
    const rows = wellFormedRows(body, loaded.featureNames);
    if (rows) return jsonTextAnswer(200, scoreRowsJson(loaded, rows), headers);
    const parsed = schemaFor(loaded).safeParse(body);
    if (!parsed.success) return { ...invalidRequest('score request', issuesOf(parsed.error)), headers };
    return { status: 200, body: scoreRows(loaded, parsed.data.rows), headers };
  };

  // Not async: with the model loaded, a request is answered without creating a promise (each one
  // costs an async-hook call and a GC-tracked destroy hook under the framework's domains).
  const postScore = (req: ServeRequest): ServeAnswer | Promise<ServeAnswer> => {
    if (req.bodyBytes > deps.maxBodyBytes) return errorAnswer(413, 'invalid_input', bodyTooLargeMessage(req.bodyBytes, deps.maxBodyBytes));
    if (mediaType(req.contentType) !== 'application/json') return errorAnswer(415, 'invalid_input', `content type must be application/json, got ${req.contentType ? `'${req.contentType}'` : 'none'}`);
    const loaded = deps.models.loadedNow?.();
    if (loaded) return scoreWith(loaded, req.body);
    return deps.models.current().then((model) => scoreWith(model, req.body));
  };

  const getScore = async (req: ServeRequest): Promise<ServeAnswer> => {
    const parsed = storedScoreQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return invalidRequest('query', issuesOf(parsed.error));
    if (!deps.storedScores) return errorAnswer(501, 'invalid_config', 'stored scores are not available: this deployment has no WAREHOUSE');
    const { source, pool_id: poolId, hour } = parsed.data;
    if (hour !== undefined) {
      const score = await deps.storedScores.scoreAt(source, poolId, Date.parse(hour) / 1000);
      return score ? { status: 200, body: { score } } : errorAnswer(404, 'invalid_input', `no stored score for source '${source}', pool '${poolId}', hour ${hour}`);
    }
    const { score, alerts } = await deps.storedScores.latest(source, poolId);
    return score ? { status: 200, body: { latest: score, alerts } } : errorAnswer(404, 'invalid_input', `no stored score for source '${source}', pool '${poolId}'`);
  };

  const modelInfo = async (path: string): Promise<ServeAnswer> => {
    const loaded = await deps.models.current();
    const headers = headersFor(loaded);
    if (path === '/healthz') return { status: 200, body: { status: 'ok', model_version: loaded.version }, headers };
    return { status: 200, body: openApiDocument(loaded.featureNames, loaded.version, deps.checkApiKey !== undefined), headers };
  };

  return (req) => {
    const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
    const methods = ROUTES[path];
    if (!methods) return errorAnswer(404, 'invalid_input', `no such path '${truncate(path)}'; paths: ${Object.keys(ROUTES).join(', ')}`);
    if (!methods.includes(req.method)) return errorAnswer(405, 'invalid_input', `method ${truncate(req.method)} is not allowed on ${path}; allowed: ${methods.join(', ')}`, { headers: { allow: methods.join(', ') } });
    if (deps.checkApiKey && !OPEN_PATHS.has(path) && !deps.checkApiKey(req.apiKey)) {
      return errorAnswer(401, 'invalid_input', req.apiKey === undefined ? 'missing x-api-key header' : 'wrong API key', { headers: { 'www-authenticate': 'ApiKey header="x-api-key"' } });
    }
    if (path === '/score') return req.method === 'POST' ? postScore(req) : getScore(req);
    return modelInfo(path);
  };
}

/** 'application/json; charset=utf-8' -> 'application/json'. */
function mediaType(contentType: string | undefined): string | undefined {
  // What clients almost always send, without the three strings the general case makes.
  if (contentType === 'application/json') return contentType;
  return contentType?.split(';', 1)[0]!.trim().toLowerCase();
}

function truncate(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 100)}...`;
}
