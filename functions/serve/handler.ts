import type { Request } from '@google-cloud/functions-framework';
import * as z from 'zod';
import { baseEnvShape, isCloudRuntime, parseEnv, warehouseUrlVar, type Env } from '../../shared/config/env';
import { jsonLogger, type Logger } from '../../shared/logging';
import { openSecrets } from '../../shared/secrets/open_secrets';
import { secretEnvName, type Secrets } from '../../shared/secrets/secrets';
import { ConfigError } from '../../shared/errors';
import { apiKeyChecker } from '../../shared/serve/api_key';
import { batchedLineWriter } from '../../shared/serve/batched_lines';
import { modelFileLoader } from '../../shared/serve/model_file_loader';
import { lazyModelLoader } from '../../shared/serve/lazy_model_loader';
import { refreshingModelSource, type ModelLoader } from '../../shared/serve/model_source';
import { createServeApi, type ServeApi, type ServeRequest } from '../../shared/serve/serve_api';
import { bodyTooLargeMessage } from '../../shared/serve/serve_answer';
import { warehouseStoredScores, type StoredScores } from '../../shared/serve/stored_scores';
import { openReadOnlyObjectStore } from '../../shared/storage/open_store';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import type { RequestGuard } from '../_runtime/framework_errors';
import { httpFunction, type HttpEntry } from '../_runtime/http_function';
import { requestSummary } from '../_runtime/request_summary';

const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Everything the serve function reads from the environment. */
export const serveEnvSchema = z.object({
  DATA_STORE_URL: baseEnvShape.DATA_STORE_URL,
  SECRETS_BACKEND: baseEnvShape.SECRETS_BACKEND,
  GOOGLE_CLOUD_PROJECT: baseEnvShape.GOOGLE_CLOUD_PROJECT,
  /** Where stored scores are read (GET /score); without it GET /score answers 501. */
  WAREHOUSE: warehouseUrlVar.optional(),
  /** Pins one model file (a key in the store) instead of following the registry's production alias. */
  SERVE_MODEL_KEY: z.string().min(1).optional(),
  /** The registry's model name (models/<name>/...): the one train writes. */
  MODEL_NAME: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -').default('pool-hour-iforest'),
  /** At most one check of the production alias per this many seconds. */
  SERVE_MODEL_CHECK_SECONDS: count(1, 86_400, 60),
  /** Secret holding the API key callers must send as x-api-key; unset: IAM alone guards the function. */
  SERVE_API_KEY_SECRET: z.string().min(1).optional(),
  /** Largest POST body accepted (Cloud Run itself refuses more than 32 MiB). */
  SERVE_MAX_BODY_BYTES: count(1024, 32 * 1024 * 1024, 8 * 1024 * 1024),
});

/** The function's log lines: one write per turn of the event loop, not one per request. */
const stdoutLines = batchedLineWriter((text) => process.stdout.write(text));

export interface ServeFunctionOverrides {
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly modelLoader?: ModelLoader;
  readonly storedScores?: StoredScores;
  readonly secrets?: Secrets;
}

/**
 * The serve function (HTTPS, private: IAM invokers only), built once per instance: configuration
 * is checked and the production model starts loading at cold start; the API key (optional) is
 * read from Secret Manager once; the warehouse opens on the first stored-score lookup.
 */
export function createServeFunction(env: Env, overrides: ServeFunctionOverrides = {}): HttpEntry {
  const e = parseEnv(serveEnvSchema, env);
  const logger = overrides.logger ?? jsonLogger(stdoutLines.writeLine, { component: 'serve' });
  const clock = overrides.clock ?? Date.now;
  // Serve only reads the store: in the cloud through the JSON API, without the client library.
  const store = openReadOnlyObjectStore(e.DATA_STORE_URL);
  const modelName = e.MODEL_NAME;
  const loader =
    overrides.modelLoader ??
    (e.SERVE_MODEL_KEY !== undefined
      ? modelFileLoader(store, e.SERVE_MODEL_KEY)
      : lazyModelLoader(() => import('../../shared/serve/registry_model_loader').then((m) => m.registryModelLoader(store, modelName))));
  const models = refreshingModelSource(loader, {
    checkEverySeconds: e.SERVE_MODEL_CHECK_SECONDS,
    clock,
    logger,
  });
  // The model source logs why a load failed (a WARNING per attempt); the instance's first failure is an ERROR.
  models.current().catch((err: unknown) => {
    const cause = (err as Error).cause;
    logger.log('ERROR', `cold start: the production model could not be loaded: ${cause instanceof Error ? cause.message : (err as Error).message}`);
  });

  let warehouse: Promise<Warehouse> | undefined;
  const warehouseOnce = (url: string) =>
    // Imported on first use: BigQuery's client takes longer to load than the rest of the function.
    (warehouse ??= import('../../shared/warehouse/open_warehouse').then((m) => m.openWarehouse(url)).catch((err: unknown) => {
      warehouse = undefined;
      throw err;
    }));
  const warehouseUrl = e.WAREHOUSE;
  const storedScores: StoredScores | undefined =
    overrides.storedScores ??
    (warehouseUrl === undefined
      ? undefined
      : {
          scoreAt: async (...args) => warehouseStoredScores(await warehouseOnce(warehouseUrl)).scoreAt(...args),
          latest: async (...args) => warehouseStoredScores(await warehouseOnce(warehouseUrl)).latest(...args),
        });

  const keySecret = e.SERVE_API_KEY_SECRET;
  const secretsBackend = e.SECRETS_BACKEND ?? 'env';
  // A key handed over in the environment is there at start or never: say so now, not per request.
  if (keySecret !== undefined && secretsBackend !== 'secret-manager' && !overrides.secrets && !env[secretEnvName(keySecret)]) {
    throw new ConfigError(`invalid configuration SERVE_API_KEY_SECRET: names secret '${keySecret}', but ${secretEnvName(keySecret)} is not set${secretsBackend === 'secret-manager-env' ? " (terraform's secret_environment hands it to the function)" : ''}`);
  }
  let api: Promise<ServeApi> | undefined;
  let apiReady: ServeApi | undefined;
  const apiOnce = () =>
    (api ??= (async () => {
      let checkApiKey: ((presented: string | undefined) => boolean) | undefined;
      if (keySecret !== undefined) {
        const secrets = overrides.secrets ?? (await openSecrets(secretsBackend, e.GOOGLE_CLOUD_PROJECT, env));
        checkApiKey = apiKeyChecker(await secrets.get(keySecret));
      }
      return (apiReady = createServeApi({ models, storedScores, checkApiKey, maxBodyBytes: e.SERVE_MAX_BODY_BYTES }));
    })().catch((err: unknown) => {
      api = undefined;
      throw err;
    }));
  void apiOnce().catch(() => undefined);

  const successes = requestSummary('serve', logger.child({ function: 'serve' }), clock);
  // The last window's line at shutdown, written with the batched lines (whose own flush at exit
  // may have run already). Tests pass their own logger and flush themselves.
  if (!overrides.logger) {
    process.once('exit', () => {
      successes.flush();
      stdoutLines.flush();
    });
  }

  // Once the API is set up, a request goes to it directly: no promise of its own on the hot path.
  return httpFunction('serve', (req) => (apiReady ? apiReady(serveRequestOf(req)) : apiOnce().then((ready) => ready(serveRequestOf(req)))), {
    logger,
    projectId: isCloudRuntime(env) ? e.GOOGLE_CLOUD_PROJECT : undefined,
    clock,
    successes: successes.record,
  });
}

/**
 * What serve refuses before the framework reads a body: a compressed one (body-parser would
 * inflate it up to its fixed 1 GB limit first, so a 600 KB gzip bomb cost a second of CPU and a
 * gigabyte of memory, enough to kill an instance serving 40 requests), and one whose declared size
 * is over SERVE_MAX_BODY_BYTES (the same 413 the API gives, without reading it).
 */
export function serveRequestGuard(env: Env): RequestGuard {
  const maxBodyBytes = parseEnv(serveEnvSchema, env).SERVE_MAX_BODY_BYTES;
  return (req) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return { status: 415, message: `compressed request bodies are not accepted (content-encoding: ${encoding.slice(0, 40)}); send the JSON uncompressed` };
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) return { status: 413, message: bodyTooLargeMessage(declared, maxBodyBytes) };
    return undefined;
  };
}

/**
 * The parts of a Functions Framework request the serve API reads. A class, so each request's view
 * is one plain object with its getter on the prototype (built for every request).
 */
class FrameworkServeRequest implements ServeRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly apiKey: string | undefined;
  readonly bodyBytes: number;
  readonly body: unknown;

  constructor(private readonly req: Request) {
    const headers = req.headers;
    this.method = req.method;
    this.path = req.path;
    // req.get(name) reads req.headers[name] (lower-case) for these names, through two more calls.
    this.contentType = headers['content-type'];
    this.apiKey = headerValue(headers['x-api-key']);
    this.bodyBytes = req.rawBody?.length ?? Number(headers['content-length'] ?? 0);
    this.body = req.body as unknown;
  }

  // Express parses the query string on every read of req.query; only GET /score needs it.
  get query(): unknown {
    return this.req.query;
  }
}

function serveRequestOf(req: Request): ServeRequest {
  return new FrameworkServeRequest(req);
}

/** A custom header Node received several times arrives joined with ", " as one string; kept as is. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
