/**
 * Links to a pool on its DEX's page and on its chain's block explorer. Chains are named as the
 * source list names them (shared/config/sources.ts).
 */
const EXPLORERS: Readonly<Record<string, string>> = {
  ethereum: 'https://etherscan.io',
  arbitrum: 'https://arbiscan.io',
  optimism: 'https://optimistic.etherscan.io',
  base: 'https://basescan.org',
  polygon: 'https://polygonscan.com',
  bnb: 'https://bscscan.com',
  avalanche: 'https://snowtrace.io',
};

/** The chain's name in Sushi's URLs, where it differs from ours. */
const SUSHI_CHAINS: Readonly<Record<string, string>> = { bnb: 'bsc' };

export interface PoolLinks {
  readonly dex?: { readonly label: string; readonly url: string };
  readonly explorer?: { readonly label: string; readonly url: string };
}

/** Links for a pool; a DEX or chain without a known page simply has no link. */
export function poolLinks(dex: string, chain: string, poolId: string, protocolVersion: 'v2' | 'v3' | undefined): PoolLinks {
  const explorer = EXPLORERS[chain];
  const explorerLink = explorer ? { label: new URL(explorer).hostname, url: `${explorer}/address/${poolId}` } : undefined;
  let dexLink: PoolLinks['dex'];
  if (dex === 'uniswap') dexLink = { label: 'Uniswap', url: `https://app.uniswap.org/explore/pools/${chain}/${poolId}` };
  else if (dex === 'sushiswap' || dex === 'sushi') dexLink = { label: 'Sushi', url: `https://www.sushi.com/${SUSHI_CHAINS[chain] ?? chain}/pool/${protocolVersion ?? 'v3'}/${poolId}` };
  return { ...(dexLink ? { dex: dexLink } : {}), ...(explorerLink ? { explorer: explorerLink } : {}) };
}
