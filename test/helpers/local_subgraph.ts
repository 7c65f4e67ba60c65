import type { Market, SubgraphKind } from '../../local/market/market';
import { simulateMarket } from '../../local/market/simulate_market';
import { startLocalSubgraph, type LocalSubgraph } from '../../local/subgraph/local_subgraph_server';

/** 2026-11-24T23:00:00Z: the last hour of every test market. */
export const TEST_END_HOUR = Date.UTC(2026, 10, 24, 23) / 1000;

export function smallMarket(seed = 3, pools = 30, days = 4): Market {
  return simulateMarket({ seed, pools, days, endHour: TEST_END_HOUR });
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown>; errors?: { message: string }[] };
}

/** POSTs a GraphQL query the way graphql-request does. */
export async function postQuery(url: string, query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<GraphResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? (JSON.parse(text) as GraphResponse['body']) : { errors: [{ message: text }] } };
}

export async function withSubgraph<T>(market: Market, run: (sg: LocalSubgraph, query: (kind: SubgraphKind, q: string, v?: Record<string, unknown>) => Promise<GraphResponse>) => Promise<T>): Promise<T> {
  const sg = await startLocalSubgraph({ market });
  try {
    return await run(sg, (kind, q, v) => postQuery(sg.url(kind), q, v));
  } finally {
    await sg.close();
  }
}

/** Fetch dependencies that try once and never sleep: a test's failures show at once. */
export const NO_RETRY = { retryPolicy: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 }, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 } };
