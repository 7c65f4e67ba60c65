import { poolLinks } from '../../../shared/alerts/pool_links';

test.each([
  ['uniswap', 'ethereum', 'v3', { dex: { label: 'Uniswap', url: 'https://app.uniswap.org/explore/pools/ethereum/0xabc' }, explorer: { label: 'etherscan.io', url: 'https://etherscan.io/address/0xabc' } }],
  ['uniswap', 'arbitrum', 'v3', { dex: { label: 'Uniswap', url: 'https://app.uniswap.org/explore/pools/arbitrum/0xabc' }, explorer: { label: 'arbiscan.io', url: 'https://arbiscan.io/address/0xabc' } }],
  ['sushiswap', 'ethereum', 'v2', { dex: { label: 'Sushi', url: 'https://www.sushi.com/ethereum/pool/v2/0xabc' }, explorer: { label: 'etherscan.io', url: 'https://etherscan.io/address/0xabc' } }],
  ['sushiswap', 'base', 'v3', { dex: { label: 'Sushi', url: 'https://www.sushi.com/base/pool/v3/0xabc' }, explorer: { label: 'basescan.org', url: 'https://basescan.org/address/0xabc' } }],
  ['curve', 'fantom', 'v2', {}],
] as const)('%s on %s (%s)', (dex, chain, version, expected) => {
  expect(poolLinks(dex, chain, '0xabc', version)).toEqual(expected);
});
