import { parseFetchConfig } from '../../../shared/fetch/fetch_config';

const STORE = { DATA_STORE_URL: '/tmp/lake' };

test('defaults: the three Ethereum sources through the gateway, env secrets; the store is always given', () => {
  const c = parseFetchConfig(STORE);
  expect(c.sources.map((s) => [s.id, s.kind])).toEqual([
    ['uniswap-v3-ethereum', 'uniswap-v3'],
    ['sushiswap-v2-ethereum', 'sushiswap-v2'],
    ['sushiswap-v3-ethereum', 'sushiswap-v3'],
  ]);
  expect(c.sources[0]!.endpoint).toEqual({ gatewaySubgraphId: '5zvR82QoaXYFyDEKLZ9t6v9adgnptxYpKpSbxtgVENFV', apiKeySecret: 'thegraph-api-key', gatewayBaseUrl: 'https://gateway.thegraph.com' });
  expect([c.storeUrl, c.secretsBackend, c.maxHoursPerRun, c.timeoutMs]).toEqual(['/tmp/lake', 'env', 24, 90_000]);
});

test('adding a chain is configuration: DEX_SOURCES', () => {
  const c = parseFetchConfig({ ...STORE, DEX_SOURCES: JSON.stringify([{ id: 'uniswap-v3-arbitrum', dex: 'uniswap', chain: 'arbitrum', kind: 'uniswap-v3', endpoint: { gatewaySubgraphId: 'FbCGRftH4a3yZugY7TnbYgPJVEv2LvMT6oF1fxPe9aJM', apiKeySecret: 'thegraph-api-key' }, minTvlUsd: 50000 }]) });
  expect(c.sources.map((s) => [s.id, s.chain, s.minTvlUsd])).toEqual([['uniswap-v3-arbitrum', 'arbitrum', 50000]]);
});

test.each([
  [{}, 'invalid configuration DATA_STORE_URL: required: gs://bucket[/prefix], memory://name or a local folder path'],
  [{ ...STORE, FETCH_MAX_HOURS_PER_RUN: 'lots' }, 'invalid configuration FETCH_MAX_HOURS_PER_RUN'],
  [{ ...STORE, FETCH_START_HOUR: '2026-11-24T07:30:00Z' }, 'invalid configuration FETCH_START_HOUR: must be a whole UTC hour'],
  [{ ...STORE, SECRETS_BACKEND: 'secret-manager' }, 'invalid configuration GOOGLE_CLOUD_PROJECT: required when SECRETS_BACKEND=secret-manager'],
  [{ ...STORE, SECRETS_BACKEND: 'vault' }, "invalid configuration SECRETS_BACKEND: must be 'env', 'secret-manager' or 'secret-manager-env'"],
  [{ ...STORE, DEX_SOURCES: '[{' }, 'invalid configuration DEX_SOURCES: not JSON'],
  [{ ...STORE, DEX_SOURCES: '[]' }, 'invalid DEX_SOURCES: Too small'],
  [{ ...STORE, DEX_SOURCES: '[{"id":"Bad Id"}]' }, "invalid DEX_SOURCES at '0.id': must be lower case letters"],
  [{ ...STORE, DEX_SOURCES_FILE: '/nonexistent/sources.json' }, "invalid configuration DEX_SOURCES_FILE: cannot read '/nonexistent/sources.json' (ENOENT)"],
  [{ ...STORE, DEX_SOURCES: '[]', LOCAL_SUBGRAPH_URL: 'http://127.0.0.1:8000' }, 'invalid configuration: DEX_SOURCES and LOCAL_SUBGRAPH_URL are both set; set only one source list'],
  [{ ...STORE, LOCAL_SUBGRAPH_URL: 'localhost:8000' }, 'invalid configuration LOCAL_SUBGRAPH_URL: must be an http:// or https:// URL'],
  [{ DATA_STORE_URL: 'gs:/bucket' }, "invalid configuration DATA_STORE_URL: 'gs:/bucket' is not a valid GCS URL"],
  [{ DATA_STORE_URL: 'memory:/x' }, "invalid configuration DATA_STORE_URL: 'memory:/x' is not a valid memory store URL"],
  [{ DATA_STORE_URL: '~/lake' }, "invalid configuration DATA_STORE_URL: '~/lake' starts with '~'"],
  [{ K_SERVICE: 'fetch', DATA_STORE_URL: 'gs://bucket/lake' }, "SECRETS_BACKEND: must be 'secret-manager' or 'secret-manager-env' in the cloud (found nothing)"],
  [{ K_SERVICE: 'fetch', DATA_STORE_URL: 'gs://bucket/lake', SECRETS_BACKEND: 'env' }, "SECRETS_BACKEND: must be 'secret-manager' or 'secret-manager-env' in the cloud (found 'env')"],
  [{ K_SERVICE: 'fetch', DATA_STORE_URL: 'memory://x', SECRETS_BACKEND: 'secret-manager', GOOGLE_CLOUD_PROJECT: 'p' }, "DATA_STORE_URL: 'memory://x' is local; in the cloud it must be gs://bucket[/prefix]"],
  [{ K_SERVICE: 'fetch', DATA_STORE_URL: 'gs://bucket/lake', SECRETS_BACKEND: 'secret-manager', GOOGLE_CLOUD_PROJECT: 'p', LOCAL_SUBGRAPH_URL: 'http://127.0.0.1:8000' }, 'invalid configuration LOCAL_SUBGRAPH_URL: the local subgraph is for local runs'],
])('%j fails in one line: %s', (env, message) => {
  expect(() => parseFetchConfig(env)).toThrow(message);
});

test('every problem is reported at once, each naming its variable', () => {
  expect(() => parseFetchConfig({ FETCH_MAX_HOURS_PER_RUN: '0', SUBGRAPH_TIMEOUT_MS: 'x' })).toThrow(/DATA_STORE_URL: required.*; invalid configuration FETCH_MAX_HOURS_PER_RUN: .*; invalid configuration SUBGRAPH_TIMEOUT_MS: /);
});

test('a cloud configuration with everything set parses', () => {
  const c = parseFetchConfig({ K_SERVICE: 'fetch', DATA_STORE_URL: 'gs://bucket/lake/', SECRETS_BACKEND: 'secret-manager', GOOGLE_CLOUD_PROJECT: 'my-project' });
  expect([c.storeUrl, c.secretsBackend, c.projectId]).toEqual(['gs://bucket/lake/', 'secret-manager', 'my-project']);
});
