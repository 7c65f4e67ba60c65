import * as z from 'zod';
import { ConfigError } from '../errors';
import { parseStoreUrl } from '../storage/store_url';
import { parseWarehouseUrl } from '../warehouse/warehouse_url';
import { parseOrThrow } from '../validation';

/** Environment variables as the process has them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * True inside Cloud Functions / Cloud Run, detected from the runtime's own variables. There a
 * missing setting must fail at start-up rather than fall back to a laptop default.
 */
export function isCloudRuntime(env: Env): boolean {
  return Boolean(env.K_SERVICE || env.FUNCTION_TARGET || env.CLOUD_RUN_JOB);
}

/** `DATA_STORE_URL`: where raw data, manifests, state and models live. */
export const storeUrlVar = z.string({ error: 'required: gs://bucket[/prefix], memory://name or a local folder path' }).superRefine((value, ctx) => {
  try {
    parseStoreUrl(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/** `WAREHOUSE`: `bigquery://<project>[?location=<location>]` or `duckdb:<file>` (local runs). */
export const warehouseUrlVar = z.string({ error: "required: bigquery://<project>[?location=US] or duckdb:<file>" }).superRefine((value, ctx) => {
  try {
    parseWarehouseUrl(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/**
 * `SECRETS_BACKEND`: Secret Manager in the cloud, environment variables (`SECRET_<NAME>`) locally.
 * `secret-manager-env` is Secret Manager too: Cloud Functions reads the secret at instance start
 * and hands it to the function as `SECRET_<NAME>` (terraform's secret_environment), so the
 * function loads no client library and makes no call before its first answer (serve).
 */
export const secretsBackendVar = z.enum(['env', 'secret-manager', 'secret-manager-env'], { error: "must be 'env', 'secret-manager' or 'secret-manager-env'" });

export type SecretsBackend = z.output<typeof secretsBackendVar>;

/** The backends that read Secret Manager, the only ones a function may use in the cloud. */
const CLOUD_SECRETS_BACKENDS: readonly string[] = ['secret-manager', 'secret-manager-env'];

/** A whole UTC hour in ISO form, e.g. 2026-11-24T00:00:00Z. */
export const isoHourVar = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && Date.parse(s) % 3_600_000 === 0, 'must be a whole UTC hour such as 2026-11-24T00:00:00Z');

/** The variables every function reads, whatever else it needs. */
export const baseEnvShape = {
  DATA_STORE_URL: storeUrlVar,
  SECRETS_BACKEND: secretsBackendVar.optional(),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
};

/**
 * Parses a function's or a CLI's environment with its schema. Every problem is reported at once,
 * each naming the variable and what it expects; in the cloud, local stores and warehouses are
 * refused (a deployed function writing to its own throw-away disk would report success).
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.output<S> {
  const parsed = parseOrThrow(schema, env, 'invalid configuration', (m) => new ConfigError(m), (path) => path);
  if (isCloudRuntime(env)) {
    const problems: string[] = [];
    const store = (parsed as { DATA_STORE_URL?: string }).DATA_STORE_URL;
    if (store !== undefined && parseStoreUrl(store).kind !== 'gcs') problems.push(`DATA_STORE_URL: '${store}' is local; in the cloud it must be gs://bucket[/prefix]`);
    const warehouse = (parsed as { WAREHOUSE?: string }).WAREHOUSE;
    if (warehouse !== undefined && parseWarehouseUrl(warehouse).kind !== 'bigquery') problems.push(`WAREHOUSE: '${warehouse}' is local; in the cloud it must be bigquery://<project>`);
    const secrets = (parsed as { SECRETS_BACKEND?: string }).SECRETS_BACKEND;
    if ('SECRETS_BACKEND' in schema.shape && (secrets === undefined || !CLOUD_SECRETS_BACKENDS.includes(secrets))) problems.push(`SECRETS_BACKEND: must be 'secret-manager' or 'secret-manager-env' in the cloud (found ${secrets === undefined ? 'nothing' : `'${secrets}'`})`);
    if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed;
}

/** Parses a JSON-valued variable, naming it when the text is not JSON. */
export function parseJsonVar(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`invalid configuration ${name}: not JSON (${(err as Error).message})`);
  }
}
