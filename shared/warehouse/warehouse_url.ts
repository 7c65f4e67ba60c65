import { ConfigError } from '../errors';

export type WarehouseLocation =
  | { readonly kind: 'bigquery'; readonly projectId: string; readonly location: string }
  | { readonly kind: 'duckdb'; readonly path: string };

// Project ids: 6-30 lower-case letters, digits and '-', starting with a letter (optionally domain-scoped).
const BIGQUERY = /^bigquery:\/\/((?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9])(?:\?location=([A-Za-z0-9-]+))?$/;

/**
 * Reads a warehouse URL: `bigquery://<project>[?location=<location>]` (default location US) or
 * `duckdb:<file>` / `duckdb::memory:` for local runs.
 */
export function parseWarehouseUrl(url: string): WarehouseLocation {
  const text = url.trim();
  if (text.startsWith('bigquery')) {
    const match = BIGQUERY.exec(text);
    if (!match) throw new ConfigError(`'${url}' is not a valid BigQuery warehouse URL: expected bigquery://<project id>[?location=<location>]`);
    return { kind: 'bigquery', projectId: match[1]!, location: match[2] ?? 'US' };
  }
  if (text.startsWith('duckdb:')) {
    const path = text.slice('duckdb:'.length);
    if (path.length === 0) throw new ConfigError(`'${url}' names no DuckDB file: expected duckdb:<file> or duckdb::memory:`);
    return { kind: 'duckdb', path };
  }
  throw new ConfigError(`'${url}' is not a warehouse URL: expected bigquery://<project>[?location=US] or duckdb:<file>`);
}
