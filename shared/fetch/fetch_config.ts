import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_SOURCES, localSources, parseSources, type Source } from '../config/sources';
import { ConfigError } from '../errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry';
import { DEFAULT_TIMEOUT_MS } from '../subgraph/subgraph_client';

const isoHour = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && Date.parse(s) % 3_600_000 === 0, 'must be a whole UTC hour such as 2026-11-24T00:00:00Z');

const envSchema = z.object({
  DATA_STORE_URL: z.string().min(1).default('data/lake'),
  DEX_SOURCES: z.string().optional(),
  DEX_SOURCES_FILE: z.string().optional(),
  LOCAL_SUBGRAPH_URL: z.url().optional(),
  SECRETS_BACKEND: z.enum(['env', 'secret-manager']).default('env'),
  GOOGLE_CLOUD_PROJECT: z.string().optional(),
  FETCH_MAX_HOURS_PER_RUN: z.coerce.number().int().min(1).max(24 * 31).default(24),
  FETCH_START_HOUR: isoHour.optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_TIMEOUT_MS),
  FETCH_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  FETCH_RETRY_BASE_MS: z.coerce.number().int().min(0).default(DEFAULT_RETRY_POLICY.baseDelayMs),
});

export interface FetchConfig {
  readonly storeUrl: string;
  readonly sources: Source[];
  readonly secretsBackend: 'env' | 'secret-manager';
  readonly projectId: string | undefined;
  readonly maxHoursPerRun: number;
  /** Unix seconds, or undefined for "24 hours before the last full hour". */
  readonly startHour: number | undefined;
  readonly timeoutMs: number;
  readonly retryPolicy: RetryPolicy;
}

/** Reads the fetch function's configuration; anything wrong fails in one line naming the variable. */
export function parseFetchConfig(env: Readonly<Record<string, string | undefined>>): FetchConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.SECRETS_BACKEND === 'secret-manager' && !e.GOOGLE_CLOUD_PROJECT) throw new ConfigError('invalid configuration GOOGLE_CLOUD_PROJECT: required when SECRETS_BACKEND=secret-manager');
  let sources: Source[];
  if (e.LOCAL_SUBGRAPH_URL) sources = localSources(e.LOCAL_SUBGRAPH_URL.replace(/\/$/, ''));
  else if (e.DEX_SOURCES) sources = parseSources(parseJson(e.DEX_SOURCES, 'DEX_SOURCES'));
  else if (e.DEX_SOURCES_FILE) sources = parseSources(parseJson(readFileSync(e.DEX_SOURCES_FILE, 'utf8'), 'DEX_SOURCES_FILE'));
  else sources = parseSources(DEFAULT_SOURCES);
  return {
    storeUrl: e.DATA_STORE_URL,
    sources,
    secretsBackend: e.SECRETS_BACKEND,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    maxHoursPerRun: e.FETCH_MAX_HOURS_PER_RUN,
    startHour: e.FETCH_START_HOUR ? Date.parse(e.FETCH_START_HOUR) / 1000 : undefined,
    timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, attempts: e.FETCH_RETRY_ATTEMPTS, baseDelayMs: e.FETCH_RETRY_BASE_MS },
  };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`invalid configuration ${name}: not JSON (${(err as Error).message})`);
  }
}
