/** The subgraph schemas the fetcher reads; Sushi V3 is a Uniswap V3 fork with the same hourly entity. */
export const SUBGRAPH_KINDS = ['uniswap-v3', 'sushiswap-v2', 'sushiswap-v3'] as const;
export type SubgraphKind = (typeof SUBGRAPH_KINDS)[number];
