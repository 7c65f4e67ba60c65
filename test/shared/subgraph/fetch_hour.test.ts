import { HOUR_SECONDS } from '../../../local/market/market';
import { GATEWAY_MESSAGES } from '../../../local/subgraph/faults';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources, parseSources, type Source } from '../../../shared/config/sources';
import { ConfigError, NotReadyError, UpstreamError } from '../../../shared/errors';
import { fetchHour } from '../../../shared/subgraph/fetch_hour';
import { graphErrorToAppError } from '../../../shared/subgraph/graph_errors';
import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { smallMarket, TEST_END_HOUR } from '../../helpers/local_subgraph';

const market = smallMarket(7, 40, 3);
let sg: LocalSubgraph;
let sources: Source[];
const source = (kind: 'uniswap-v3' | 'sushiswap-v2' | 'sushiswap-v3', overrides: Partial<Source> = {}): Source => ({ ...sources.find((s) => s.kind === kind)!, ...overrides });
// A timeout only the hang test is meant to reach: a loaded machine can take seconds to answer a local request.
const clientFor = (s: Source, timeoutMs = 45_000) => createSubgraphClient(s.id, (s.endpoint as { url: string }).url, { timeoutMs });
const HOUR = TEST_END_HOUR - 3 * HOUR_SECONDS;

function expectedIds(kind: 'uniswap-v3' | 'sushiswap-v2' | 'sushiswap-v3', hourStart: number): string[] {
  const t = (hourStart - market.startTime) / HOUR_SECONDS;
  const { pools, series } = market.subgraphs[kind];
  return pools.filter((p) => series[p.index]!.active[t] === 1).map((p) => p.address).sort();
}

beforeAll(async () => {
  sg = await startLocalSubgraph({ market });
  sources = localSources(`http://127.0.0.1:${sg.port}`);
});
afterAll(async () => {
  await sg.close();
});
afterEach(() => {
  sg.faults.clear();
});

test('fetches every pool of the hour, page by page, pinned to the first page\'s block', async () => {
  const s = source('uniswap-v3');
  const before = sg.requests['uniswap-v3'];
  const result = await fetchHour(clientFor(s), s, HOUR, 7);
  expect(result.rows.map((r) => r.pool_id).sort()).toEqual(expectedIds('uniswap-v3', HOUR));
  expect(result.pages).toBe(Math.floor(result.rows.length / 7) + 1);
  expect(sg.requests['uniswap-v3'] - before).toBe(result.pages);
  expect(result.block.number).toBe(sg.state('uniswap-v3').headBlock);
  expect(result.quarantined).toEqual([]);
  const row = result.rows[0]!;
  expect(row.hour_start_unix).toBe(HOUR);
  expect(row.entity_id).toBe(`${row.pool_id}-${HOUR / HOUR_SECONDS}`);
  expect(row.block_number).toBe(result.block.number);
  expect(row.tvl_usd).toMatch(/^\d+(\.\d+)?$/);
});

test('Sushi V2 rows map into the same record shape, the hour read from hourStartUnix', async () => {
  const s = source('sushiswap-v2');
  const result = await fetchHour(clientFor(s), s, HOUR, 6);
  expect(result.rows.map((r) => r.pool_id).sort()).toEqual(expectedIds('sushiswap-v2', HOUR));
  const row = result.rows[0]!;
  expect(row.kind).toBe('sushiswap-v2');
  expect(row.fee_tier).toBe('3000');
  expect(row.fees_usd).toBeNull();
  expect(row.open).toBeNull();
  expect(row.reserve0).toMatch(/^\d/);
  expect(row.entity_id.startsWith(row.pool_id)).toBe(true);
});

test('a minimum TVL keeps only the pools above it', async () => {
  const all = await fetchHour(clientFor(source('uniswap-v3')), source('uniswap-v3'), HOUR);
  const s = source('uniswap-v3', { minTvlUsd: 200_000 });
  const big = await fetchHour(clientFor(s), s, HOUR);
  expect(big.rows.length).toBeGreaterThan(0);
  expect(big.rows.length).toBeLessThan(all.rows.length);
});

test('an hour the subgraph has not finished is a retryable NotReadyError, never an empty hour', async () => {
  const s = source('uniswap-v3');
  const err = await fetchHour(clientFor(s), s, TEST_END_HOUR + HOUR_SECONDS).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NotReadyError);
  expect((err as NotReadyError).retryable).toBe(true);
  expect((err as Error).message).toMatch(/has indexed up to 2026-11-25T00:02:00Z \(block \d+\); hour 2026-11-25T00:00:00Z is not complete there yet/);
});

test('a head moving between pages changes nothing: pages stay on the first block', async () => {
  const s = source('uniswap-v3');
  const clean = await fetchHour(clientFor(s), s, HOUR, 5);
  const head = sg.state('uniswap-v3').headBlock;
  sg.faults.add({ fault: { kind: 'head-advances', blocks: 40 } });
  try {
    const moved = await fetchHour(clientFor(s), s, HOUR, 5);
    expect(moved.block.number).toBe(head);
    expect(moved.rows).toEqual(clean.rows);
  } finally {
    sg.state('uniswap-v3').headBlock = head;
  }
});

test('rows repeated across pages are kept once and counted', async () => {
  const s = source('uniswap-v3');
  sg.faults.add({ fault: { kind: 'repeat-rows' } });
  const result = await fetchHour(clientFor(s), s, HOUR, 5);
  expect(result.rows.map((r) => r.pool_id).sort()).toEqual(expectedIds('uniswap-v3', HOUR));
  expect(result.duplicateRows).toBe(result.pages - 1);
});

test('malformed rows are quarantined with the field and reason; the good rows are kept', async () => {
  const s = source('uniswap-v3');
  sg.faults.add({ fault: { kind: 'malformed-rows', field: 'volumeUSD', mode: 'not-a-number', every: 3 }, times: 1 });
  sg.faults.add({ fault: { kind: 'malformed-rows', field: 'tvlUSD', mode: 'missing', every: 4 }, times: 1 });
  const result = await fetchHour(clientFor(s), s, HOUR);
  const expected = expectedIds('uniswap-v3', HOUR);
  expect(result.rows.length + result.quarantined.length).toBe(expected.length);
  expect(result.quarantined.length).toBeGreaterThanOrEqual(Math.floor(expected.length / 3));
  const reasons = new Set(result.quarantined.map((q) => q.reason));
  expect(reasons).toContain("field 'volumeUSD': must be a decimal number string");
  expect([...reasons].some((r) => r.startsWith("field 'tvlUSD': Invalid input"))).toBe(true);
  expect((result.quarantined[0]!.row as { id: string }).id).toMatch(/^0x/);
});

describe('indexing errors', () => {
  afterEach(() => {
    sg.state('uniswap-v3').indexingErrors = false;
  });

  test('policy fail: the hour fails retryably', async () => {
    sg.state('uniswap-v3').indexingErrors = true;
    const s = source('uniswap-v3');
    const err = await fetchHour(clientFor(s), s, HOUR).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).retryable).toBe(true);
    expect((err as Error).message).toContain('reports indexing errors');
  });

  test('policy mark: the data is kept and the hour marked', async () => {
    sg.state('uniswap-v3').indexingErrors = true;
    const s = source('uniswap-v3', { onIndexingErrors: 'mark' });
    const result = await fetchHour(clientFor(s), s, HOUR);
    expect(result.hasIndexingErrors).toBe(true);
    expect(result.rows.length).toBe(expectedIds('uniswap-v3', HOUR).length);
  });
});

test.each([
  [{ kind: 'rate-limited' as const, retryAfterSeconds: 9 }, (e: UpstreamError) => { expect([e.retryable, e.retryAfterMs]).toEqual([true, 9000]); }],
  [{ kind: 'server-error' as const, status: 502 }, (e: UpstreamError) => { expect([e.retryable, e.message]).toEqual([true, "subgraph 'uniswap-v3-ethereum': HTTP 502"]); }],
  [{ kind: 'gateway-error' as const, message: GATEWAY_MESSAGES.noIndexers }, (e: UpstreamError) => { expect(e.retryable).toBe(true); }],
  [{ kind: 'gateway-error' as const, message: GATEWAY_MESSAGES.badIndexers(5, 3) }, (e: UpstreamError) => { expect([e.retryable, e.message.includes('Unavailable(missing block: 5, latest: 3)')]).toEqual([true, true]); }],
  [{ kind: 'gateway-error' as const, message: GATEWAY_MESSAGES.auth }, (e: UpstreamError) => { expect([e instanceof ConfigError, e.retryable]).toEqual([true, false]); }],
])('fault %j is classified', async (fault, check) => {
  const s = source('uniswap-v3');
  sg.faults.add({ fault, times: 1 });
  const err = (await fetchHour(clientFor(s), s, HOUR).catch((e: unknown) => e)) as UpstreamError;
  expect(err).toBeInstanceOf(Error);
  check(err);
});

test('a hanging subgraph times out as a retryable error', async () => {
  const s = source('uniswap-v3');
  sg.faults.add({ fault: { kind: 'hang' }, times: 1 });
  const err = (await fetchHour(clientFor(s, 200), s, HOUR).catch((e: unknown) => e)) as UpstreamError;
  expect(err.message).toBe("subgraph 'uniswap-v3-ethereum': no answer within 0.2 s");
  expect(err.retryable).toBe(true);
});

test('a block the indexer serving a later page has not reached is retryable (not yet indexed)', async () => {
  const s = source('uniswap-v3');
  sg.faults.add({ fault: { kind: 'head-behind', blocks: 50 }, skip: 1, times: 1 });
  const err = (await fetchHour(clientFor(s), s, HOUR, 5).catch((e: unknown) => e)) as NotReadyError;
  expect(err).toBeInstanceOf(NotReadyError);
  expect(err.message).toContain('has only indexed up to block number');
});

test('history pruned by the indexer is a non-retryable error that says the backfill cannot reach it', async () => {
  const s = source('uniswap-v3');
  const state = sg.state('uniswap-v3');
  const saved = state.earliestBlock;
  state.earliestBlock = state.headBlock - 10;
  try {
    const result = await clientFor(s).request('query($b: Int!) { poolHourDatas(first: 1, block: { number: $b }) { id } }', { b: state.headBlock - 11 });
    expect(result.errors[0]).toContain('only has data starting at block number');
    const appError = graphErrorToAppError(s.id, result.errors[0]!);
    expect(appError.retryable).toBe(false);
    expect(appError.message).toContain("history before that block is pruned by the indexer, so this backfill reaches beyond the subgraph's retention");
  } finally {
    state.earliestBlock = saved;
  }
});

test('a source list with a bad entry fails naming the field', () => {
  expect(() => parseSources([{ id: 'Bad Id', dex: 'x', chain: 'y', kind: 'uniswap-v3', endpoint: { url: 'http://a' } }])).toThrow("invalid source list at '0.id'");
  expect(() => parseSources([{ id: 'a', dex: 'x', chain: 'y', kind: 'curve', endpoint: { url: 'http://a' } }])).toThrow("invalid source list at '0.kind'");
});
