import { GraphQLClient } from 'graphql-request';
import type { Source } from '../config/sources';
import { UpstreamError } from '../errors';
import type { Secrets } from '../secrets/secrets';
import { parseRetryAfterMs } from '../retry';

/** The gateway retries other indexers for up to 60 s itself, so a client must wait longer. */
export const DEFAULT_TIMEOUT_MS = 90_000;

export interface GraphResult {
  readonly data: Record<string, unknown> | undefined;
  readonly errors: readonly string[];
}

/** One GraphQL request to a source; HTTP and network failures become typed, classified errors. */
export interface SubgraphClient {
  request(query: string, variables: Record<string, unknown>): Promise<GraphResult>;
}

/** The endpoint URL of a source (the gateway form needs the API key from secrets). */
export async function endpointUrl(source: Source, secrets: Secrets): Promise<{ url: string; secret?: string }> {
  if ('url' in source.endpoint) return { url: source.endpoint.url };
  const key = await secrets.get(source.endpoint.apiKeySecret);
  return { url: `${source.endpoint.gatewayBaseUrl}/api/${encodeURIComponent(key)}/subgraphs/id/${source.endpoint.gatewaySubgraphId}`, secret: key };
}

/**
 * A graphql-request client whose fetch enforces a timeout and turns HTTP 429 (with its
 * Retry-After), 5xx, other 4xx and network failures into UpstreamErrors that name the source but
 * never the URL (a gateway URL carries the API key).
 */
export function createSubgraphClient(sourceId: string, url: string, options: { timeoutMs?: number; fetchImpl?: typeof fetch; now?: () => number } = {}): SubgraphClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetchImpl ?? fetch;
  const now = options.now ?? Date.now;
  const guardedFetch: typeof fetch = async (input, init) => {
    let response: Response;
    try {
      response = await fetchImpl(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new UpstreamError(timedOut ? `subgraph '${sourceId}': no answer within ${timeoutMs / 1000} s` : `subgraph '${sourceId}': network error: ${(err as Error).message}`, true, { cause: err });
    }
    if (response.status === 429) {
      throw new UpstreamError(`subgraph '${sourceId}': HTTP 429 Too Many Requests`, true, { retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), now()) });
    }
    if (response.status >= 500) throw new UpstreamError(`subgraph '${sourceId}': HTTP ${response.status}`, true);
    if (response.status >= 400 && response.status !== 400) throw new UpstreamError(`subgraph '${sourceId}': HTTP ${response.status}`, false);
    return response;
  };
  const client = new GraphQLClient(url, { fetch: guardedFetch, errorPolicy: 'all' });
  return {
    async request(query, variables) {
      try {
        const result = await client.rawRequest<Record<string, unknown>>(query, variables);
        return { data: result.data, errors: (result.errors ?? []).map((e) => e.message) };
      } catch (err) {
        if (err instanceof UpstreamError) throw err;
        // graphql-request's own failures (unparsable body...) are transient upstream trouble.
        throw new UpstreamError(`subgraph '${sourceId}': ${(err as Error).message.split('\n')[0]}`, true, { cause: err });
      }
    },
  };
}
