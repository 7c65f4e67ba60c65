import { parseFetchConfig } from '../../../shared/fetch/fetch_config';

test('defaults: the three Ethereum sources through the gateway, a local folder, env secrets', () => {
  const c = parseFetchConfig({});
  expect(c.sources.map((s) => [s.id, s.kind])).toEqual([
    ['uniswap-v3-ethereum', 'uniswap-v3'],
    ['sushiswap-v2-ethereum', 'sushiswap-v2'],
    ['sushiswap-v3-ethereum', 'sushiswap-v3'],
  ]);
  expect(c.sources[0]!.endpoint).toEqual({ gatewaySubgraphId: '5zvR82QoaXYFyDEKLZ9t6v9adgnptxYpKpSbxtgVENFV', apiKeySecret: 'thegraph-api-key', gatewayBaseUrl: 'https://gateway.thegraph.com' });
  expect([c.storeUrl, c.secretsBackend, c.maxHoursPerRun, c.timeoutMs]).toEqual(['data/lake', 'env', 24, 90_000]);
});

test('adding a chain is configuration: DEX_SOURCES', () => {
  const c = parseFetchConfig({ DEX_SOURCES: JSON.stringify([{ id: 'uniswap-v3-arbitrum', dex: 'uniswap', chain: 'arbitrum', kind: 'uniswap-v3', endpoint: { gatewaySubgraphId: 'FbCGRftH4a3yZugY7TnbYgPJVEv2LvMT6oF1fxPe9aJM', apiKeySecret: 'thegraph-api-key' }, minTvlUsd: 50000 }]) });
  expect(c.sources.map((s) => [s.id, s.chain, s.minTvlUsd])).toEqual([['uniswap-v3-arbitrum', 'arbitrum', 50000]]);
});

test.each([
  [{ FETCH_MAX_HOURS_PER_RUN: 'lots' }, 'invalid configuration FETCH_MAX_HOURS_PER_RUN'],
  [{ FETCH_START_HOUR: '2026-11-24T07:30:00Z' }, 'invalid configuration FETCH_START_HOUR: must be a whole UTC hour'],
  [{ SECRETS_BACKEND: 'secret-manager' }, 'invalid configuration GOOGLE_CLOUD_PROJECT: required when SECRETS_BACKEND=secret-manager'],
  [{ DEX_SOURCES: '[{' }, 'invalid configuration DEX_SOURCES: not JSON'],
  [{ DEX_SOURCES: '[]' }, "invalid source list at ''"],
])('%j fails in one line: %s', (env, message) => {
  expect(() => parseFetchConfig(env)).toThrow(message);
});
