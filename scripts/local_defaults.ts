import type { Env } from '../shared/config/env';

/**
 * The laptop defaults of the local runners (CLIs, the local pipeline): the only place a local
 * store or warehouse is assumed. Functions never see these; in the cloud every setting is explicit.
 */
export const LOCAL_DEFAULTS = {
  DATA_STORE_URL: 'data/lake',
  WAREHOUSE: 'duckdb:data/lake/warehouse.duckdb',
} as const;

/** The environment with the local defaults filled in where a variable is unset. */
export function withLocalDefaults(env: Env = process.env): Env {
  return { ...LOCAL_DEFAULTS, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) };
}
