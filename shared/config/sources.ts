import * as z from 'zod';
import { ConfigError } from '../errors';
import { SUBGRAPH_KINDS } from '../subgraph/kinds';
import { parseOrThrow } from '../validation';

export const GATEWAY_BASE_URL = 'https://gateway.thegraph.com';

const endpointSchema = z.union([
  z.object({ url: z.url() }).strict(),
  z
    .object({
      /** The gateway's subgraph id (base58), as in /api/<key>/subgraphs/id/<id>. */
      gatewaySubgraphId: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,50}$/, 'must be a base58 subgraph id'),
      /** Name of the secret holding the API key (Secret Manager in the cloud, env locally). */
      apiKeySecret: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be a secret name'),
      gatewayBaseUrl: z.url().default(GATEWAY_BASE_URL),
    })
    .strict(),
]);

export const sourceSchema = z
  .object({
    /** Stable id, used in storage paths (`source=<id>`): lower case, digits, '-' and '_'. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be lower case letters, digits, '-' or '_'"),
    dex: z.string().min(1),
    chain: z.string().min(1),
    kind: z.enum(SUBGRAPH_KINDS),
    endpoint: endpointSchema,
    /** Only pools whose TVL (USD) is at least this; 0 fetches every pool with an hourly entity. */
    minTvlUsd: z.number().min(0).default(0),
    /**
     * What to do when the subgraph reports a non-fatal indexing error: 'fail' the hour (a
     * retryable error; the default, since such data can be wrong) or 'mark' it in the manifest.
     */
    onIndexingErrors: z.enum(['fail', 'mark']).default('fail'),
  })
  .strict();

export type Source = z.output<typeof sourceSchema>;
export type SourceInput = z.input<typeof sourceSchema>;

const sourcesSchema = z
  .array(sourceSchema)
  .min(1)
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate source id '${s.id}'` });
      seen.add(s.id);
    });
  });

/** Parses a source list; an invalid one fails with the variable, the field's path and the reason. */
export function parseSources(input: unknown, origin = 'source list'): Source[] {
  return parseOrThrow(sourcesSchema, input, `invalid ${origin}`, (m) => new ConfigError(m), (path) => `at '${path}'`);
}

/**
 * The default: Uniswap V3 and SushiSwap (V2, V3) on Ethereum mainnet through The Graph's gateway
 * (ids from Uniswap's and Sushi's published configuration). Another chain is another entry.
 */
export const DEFAULT_SOURCES: readonly SourceInput[] = [
  { id: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3', endpoint: { gatewaySubgraphId: '5zvR82QoaXYFyDEKLZ9t6v9adgnptxYpKpSbxtgVENFV', apiKeySecret: 'thegraph-api-key' } },
  { id: 'sushiswap-v2-ethereum', dex: 'sushiswap', chain: 'ethereum', kind: 'sushiswap-v2', endpoint: { gatewaySubgraphId: 'GyZ9MgVQkTWuXGMSd3LXESvpevE8S8aD3uktJh7kbVmc', apiKeySecret: 'thegraph-api-key' } },
  { id: 'sushiswap-v3-ethereum', dex: 'sushiswap', chain: 'ethereum', kind: 'sushiswap-v3', endpoint: { gatewaySubgraphId: '5nnoU1nUFeWqtXgbpC54L9PWdpgo7Y9HYinR3uTMsfzs', apiKeySecret: 'thegraph-api-key' } },
];

/** The same three sources served by the local subgraph at `baseUrl` (e.g. http://127.0.0.1:8000). */
export function localSources(baseUrl: string): Source[] {
  return parseSources(DEFAULT_SOURCES.map((s) => ({ ...s, endpoint: { url: `${baseUrl}/subgraphs/name/${s.kind}` } })));
}
