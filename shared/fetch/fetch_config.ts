import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { DEFAULT_SOURCES, localSources, parseSources, type Source } from '../config/sources';
import { baseEnvShape, isCloudRuntime, isoHourVar, parseEnv, parseJsonVar, type Env, type SecretsBackend } from '../config/env';
import { ConfigError } from '../errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry';
import { DEFAULT_TIMEOUT_MS } from '../subgraph/subgraph_client';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as http://127.0.0.1:8000' });

/** Everything the fetch function and the backfill CLI read from the environment. */
export const fetchEnvSchema = z.object({
  ...baseEnvShape,
  DEX_SOURCES: z.string().min(1).optional(),
  DEX_SOURCES_FILE: z.string().min(1).optional(),
  LOCAL_SUBGRAPH_URL: httpUrl.optional(),
  FETCH_MAX_HOURS_PER_RUN: z.coerce.number().int().min(1).max(24 * 31).default(24),
  FETCH_START_HOUR: isoHourVar.optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_TIMEOUT_MS),
  FETCH_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  FETCH_RETRY_BASE_MS: z.coerce.number().int().min(0).default(DEFAULT_RETRY_POLICY.baseDelayMs),
});

export interface FetchConfig {
  readonly storeUrl: string;
  readonly sources: Source[];
  readonly secretsBackend: SecretsBackend;
  readonly projectId: string | undefined;
  readonly maxHoursPerRun: number;
  /** Unix seconds, or undefined for "24 hours before the last full hour". */
  readonly startHour: number | undefined;
  readonly timeoutMs: number;
  readonly retryPolicy: RetryPolicy;
}

/** Reads the fetch configuration; anything wrong fails at start-up naming the variable. */
export function parseFetchConfig(env: Env): FetchConfig {
  const e = parseEnv(fetchEnvSchema, env);
  const secretsBackend = e.SECRETS_BACKEND ?? 'env';
  if (secretsBackend === 'secret-manager' && !e.GOOGLE_CLOUD_PROJECT) throw new ConfigError('invalid configuration GOOGLE_CLOUD_PROJECT: required when SECRETS_BACKEND=secret-manager');
  const given = (['DEX_SOURCES', 'DEX_SOURCES_FILE', 'LOCAL_SUBGRAPH_URL'] as const).filter((name) => e[name] !== undefined);
  if (given.length > 1) throw new ConfigError(`invalid configuration: ${given.join(' and ')} are both set; set only one source list`);
  if (e.LOCAL_SUBGRAPH_URL && isCloudRuntime(env)) throw new ConfigError('invalid configuration LOCAL_SUBGRAPH_URL: the local subgraph is for local runs; set DEX_SOURCES in the cloud');
  let sources: Source[];
  if (e.LOCAL_SUBGRAPH_URL) sources = localSources(e.LOCAL_SUBGRAPH_URL.replace(/\/$/, ''));
  else if (e.DEX_SOURCES) sources = parseSources(parseJsonVar(e.DEX_SOURCES, 'DEX_SOURCES'), 'DEX_SOURCES');
  else if (e.DEX_SOURCES_FILE) sources = parseSources(parseJsonVar(readSourcesFile(e.DEX_SOURCES_FILE), 'DEX_SOURCES_FILE'), 'DEX_SOURCES_FILE');
  else sources = parseSources(DEFAULT_SOURCES);
  return {
    storeUrl: e.DATA_STORE_URL,
    sources,
    secretsBackend,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    maxHoursPerRun: e.FETCH_MAX_HOURS_PER_RUN,
    startHour: e.FETCH_START_HOUR ? Date.parse(e.FETCH_START_HOUR) / 1000 : undefined,
    timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, attempts: e.FETCH_RETRY_ATTEMPTS, baseDelayMs: e.FETCH_RETRY_BASE_MS },
  };
}

function readSourcesFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration DEX_SOURCES_FILE: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
