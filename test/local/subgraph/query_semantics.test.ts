import { HOUR_SECONDS } from '../../../local/market/market';
import type { LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { littleEndianI32Hex } from '../../../local/subgraph/market_source';
import { postQuery, smallMarket, TEST_END_HOUR, type GraphResponse } from '../../helpers/local_subgraph';
import { startLocalSubgraph } from '../../../local/subgraph/local_subgraph_server';

const market = smallMarket();
let sg: LocalSubgraph;
const v3 = (q: string, v?: Record<string, unknown>) => postQuery(sg.url('uniswap-v3'), q, v);
const v2 = (q: string, v?: Record<string, unknown>) => postQuery(sg.url('sushiswap-v2'), q, v);
const rows = <T>(r: GraphResponse, key: string) => (r.body.data?.[key] ?? []) as T[];

beforeAll(async () => {
  sg = await startLocalSubgraph({ market });
});
afterAll(async () => {
  await sg.close();
});

test('a field the schema does not have is rejected with a GraphQL error', async () => {
  const r = await v3('{ poolHourDatas(first: 1) { id volumeUSDX } }');
  expect(r.status).toBe(200);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors?.[0]?.message).toBe('Cannot query field "volumeUSDX" on type "PoolHourData". Did you mean "volumeUSD"?');
  const r2 = await v2('{ poolHourDatas(first: 1) { id } }');
  expect(r2.body.errors?.[0]?.message).toContain('Cannot query field "poolHourDatas" on type "Query"');
});

test.each([
  ['first: 1001', 'The `first` argument must be between 0 and 1000, but is 1001'],
  ['first: 10, skip: 5001', 'The `skip` argument must be between 0 and 5000, but is 5001'],
])('%s is refused as graph-node refuses it', async (args, message) => {
  const r = await v3(`{ poolHourDatas(${args}) { id } }`);
  expect(r.body.errors?.map((e) => e.message)).toEqual([message]);
  expect(r.body.data).toBeUndefined();
});

test('first defaults to 100', async () => {
  expect(rows(await v3('{ poolHourDatas { id } }'), 'poolHourDatas')).toHaveLength(100);
});

test('an hourly entity exists only for hours with activity, with the subgraph\'s id format', async () => {
  const series = market.subgraphs['uniswap-v3'].series;
  const pools = market.subgraphs['uniswap-v3'].pools;
  const t = market.hours - 2;
  const start = market.startTime + t * HOUR_SECONDS;
  const r = await v3(`{ poolHourDatas(first: 1000, where: { periodStartUnix: ${start} }) { id periodStartUnix pool { id } } }`);
  const got = rows<{ id: string; periodStartUnix: number; pool: { id: string } }>(r, 'poolHourDatas');
  const expected = pools.filter((p) => series[p.index]!.active[t] === 1).map((p) => `${p.address}-${start / HOUR_SECONDS}`).sort();
  expect(got.map((e) => e.id)).toEqual(expected);
  expect(expected.length).toBeLessThan(pools.length);
  for (const e of got) expect(e.id).toBe(`${e.pool.id}-${e.periodStartUnix / HOUR_SECONDS}`);
});

test('Sushi V2 ids are the pair address followed by the little-endian hour index', async () => {
  const r = await v2('{ pairHourDatas(first: 5, orderBy: hourStartUnix, orderDirection: desc) { id hourStartUnix pair { id } } }');
  const got = rows<{ id: string; hourStartUnix: number; pair: { id: string } }>(r, 'pairHourDatas');
  expect(got).toHaveLength(5);
  for (const e of got) expect(e.id).toBe(`${e.pair.id}${littleEndianI32Hex(e.hourStartUnix / HOUR_SECONDS)}`);
  expect(littleEndianI32Hex(498766)).toBe('4e9c0700');
});

test('big numbers are strings and Int fields are numbers', async () => {
  const r = await v3('{ poolHourDatas(first: 1) { periodStartUnix tvlUSD volumeUSD txCount liquidity } }');
  const [row] = rows<Record<string, unknown>>(r, 'poolHourDatas');
  expect(typeof row!.periodStartUnix).toBe('number');
  for (const f of ['tvlUSD', 'volumeUSD', 'txCount', 'liquidity']) expect(row![f]).toMatch(/^-?\d+(\.\d+)?$/);
});

describe('filters', () => {
  const hour = TEST_END_HOUR - 5 * HOUR_SECONDS;
  test.each([
    [`{ periodStartUnix_gte: ${hour}, periodStartUnix_lt: ${hour + 2 * HOUR_SECONDS} }`, (e: Row) => e.periodStartUnix >= hour && e.periodStartUnix < hour + 2 * HOUR_SECONDS],
    [`{ periodStartUnix_in: [${hour}, ${hour + 7200}] }`, (e: Row) => [hour, hour + 7200].includes(e.periodStartUnix)],
    [`{ periodStartUnix_gt: ${hour}, tvlUSD_gt: "100000" }`, (e: Row) => e.periodStartUnix > hour && Number(e.tvlUSD) > 100000],
    [`{ periodStartUnix_gt: ${hour}, pool_: { feeTier: "500" } }`, (e: Row) => e.periodStartUnix > hour && e.pool.feeTier === '500'],
    [`{ periodStartUnix_gt: ${hour}, pool_: { totalValueLockedUSD_gte: "250000" } }`, (e: Row) => e.periodStartUnix > hour && Number(e.pool.totalValueLockedUSD) >= 250000],
    [`{ or: [{ periodStartUnix: ${hour} }, { periodStartUnix: ${hour + 3600}, txCount_lt: "20" }] }`, (e: Row) => e.periodStartUnix === hour || (e.periodStartUnix === hour + 3600 && Number(e.txCount) < 20)],
  ])('where %s keeps exactly the matching rows', async (where, keep) => {
    const fields = 'id periodStartUnix tvlUSD txCount pool { id feeTier totalValueLockedUSD }';
    const all = rows<Row>(await v3(`{ poolHourDatas(first: 1000, where: { periodStartUnix_gte: ${hour - 3600} }) { ${fields} } }`), 'poolHourDatas');
    const filtered = rows<Row>(await v3(`{ poolHourDatas(first: 1000, where: ${where}) { ${fields} } }`), 'poolHourDatas');
    const expected = all.filter(keep).map((e) => e.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(filtered.map((e) => e.id)).toEqual(expected);
  });

  test('pool and pool_in select by reference id', async () => {
    const pool = market.subgraphs['uniswap-v3'].pools[4]!.address;
    const got = rows<Row>(await v3(`{ poolHourDatas(first: 1000, where: { pool: "${pool}" }) { id pool { id } } }`), 'poolHourDatas');
    expect(got.length).toBeGreaterThan(10);
    expect(new Set(got.map((e) => e.pool.id))).toEqual(new Set([pool]));
  });
});

interface Row {
  id: string;
  periodStartUnix: number;
  tvlUSD: string;
  txCount: string;
  pool: { id: string; feeTier: string; totalValueLockedUSD: string };
}

describe('cursor pagination returns every row exactly once', () => {
  test('over id_gt within a time range', async () => {
    const from = TEST_END_HOUR - 23 * HOUR_SECONDS;
    const all = rows<Row>(await v3(`{ poolHourDatas(first: 1000, where: { periodStartUnix_gte: ${from} }) { id } }`), 'poolHourDatas').map((e) => e.id);
    expect(all.length).toBeGreaterThan(150);
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = rows<Row>(await v3(`query($c: ID!, $t: Int!) { poolHourDatas(first: 37, orderBy: id, where: { id_gt: $c, periodStartUnix_gte: $t }) { id } }`, { c: cursor, t: from }), 'poolHourDatas');
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      cursor = page[page.length - 1]!.id;
    }
    expect(seen).toEqual([...all].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  test('over the timestamp field for one pool', async () => {
    const pool = market.subgraphs['uniswap-v3'].pools[2]!;
    const series = market.subgraphs['uniswap-v3'].series[pool.index]!;
    const expected: number[] = [];
    for (let t = 0; t < market.hours; t++) if (series.active[t]) expected.push(market.startTime + t * HOUR_SECONDS);
    const seen: number[] = [];
    let cursor = 0;
    for (;;) {
      const page = rows<Row>(await v3(`{ poolHourDatas(first: 10, orderBy: periodStartUnix, where: { pool: "${pool.address}", periodStartUnix_gt: ${cursor} }) { periodStartUnix } }`), 'poolHourDatas');
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.periodStartUnix));
      cursor = page[page.length - 1]!.periodStartUnix;
    }
    expect(seen).toEqual(expected);
  });
});

describe('block pinning', () => {
  const t = market.hours - 1;
  const start = market.startTime + t * HOUR_SECONDS;

  test('_meta reports the head, or the pinned block, with its timestamp and hash', async () => {
    const head = sg.state('uniswap-v3').headBlock;
    const r = await v3(`{ head: _meta { block { number timestamp hash } deployment hasIndexingErrors } pinned: _meta(block: { number: ${head - 100} }) { block { number timestamp } } }`);
    const data = r.body.data as { head: { block: { number: number; timestamp: number; hash: string }; deployment: string; hasIndexingErrors: boolean }; pinned: { block: { number: number; timestamp: number } } };
    expect(data.head.block.number).toBe(head);
    expect(data.head.block.timestamp).toBe(TEST_END_HOUR + HOUR_SECONDS + 120);
    expect(data.pinned.block).toEqual({ number: head - 100, timestamp: data.head.block.timestamp - 1200 });
    expect(data.head.hasIndexingErrors).toBe(false);
    expect(data.head.deployment).toMatch(/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/);
    const byHash = await v3(`{ _meta(block: { hash: "${data.head.block.hash}" }) { block { number } } }`);
    expect(byHash.body.data).toEqual({ _meta: { block: { number: head } } });
  });

  test('an hour in progress at the pinned block shows only what has happened so far', async () => {
    const clock = sg.state('uniswap-v3').clock;
    const query = (block: number) => v3(`{ poolHourDatas(first: 1000, block: { number: ${block} }, where: { periodStartUnix: ${start} }) { id volumeUSD txCount } }`);
    const done = rows<{ id: string; volumeUSD: string; txCount: string }>(await query(clock.blockAt(start + HOUR_SECONDS + 60)), 'poolHourDatas');
    const half = rows<{ id: string; volumeUSD: string; txCount: string }>(await query(clock.blockAt(start + 1800)), 'poolHourDatas');
    const early = rows<{ id: string }>(await query(clock.blockAt(start)), 'poolHourDatas');
    expect(done.length).toBeGreaterThan(half.length - 1);
    expect(half.length).toBeGreaterThan(early.length);
    const doneById = new Map(done.map((e) => [e.id, e]));
    for (const e of half) {
      const full = doneById.get(e.id)!;
      expect(Number(e.volumeUSD)).toBeLessThanOrEqual(Number(full.volumeUSD));
      expect(Number(e.volumeUSD)).toBeCloseTo(Number(full.volumeUSD) * 0.5, 3);
    }
  });

  test('the same pinned query gives the same answer after the head moves', async () => {
    const state = sg.state('uniswap-v3');
    const pinned = state.headBlock - 10;
    const q = `{ poolHourDatas(first: 50, block: { number: ${pinned} }, orderBy: id, where: { periodStartUnix_gte: ${start - 7200} }) { id tvlUSD volumeUSD pool { totalValueLockedUSD } } }`;
    const before = (await v3(q)).body;
    state.headBlock += 500;
    try {
      expect((await v3(q)).body).toEqual(before);
    } finally {
      state.headBlock -= 500;
    }
  });

  test('a block beyond the indexed head is graph-node\'s not-yet-available error', async () => {
    const state = sg.state('uniswap-v3');
    const r = await v3(`{ poolHourDatas(first: 1, block: { number: ${state.headBlock + 1} }) { id } }`);
    expect(r.body.errors?.[0]?.message).toBe(
      `Failed to decode \`block.number\` value: \`subgraph ${state.deployment} has only indexed up to block number ${state.headBlock} and data for block number ${state.headBlock + 1} is therefore not yet available\``,
    );
    const gte = await v3(`{ _meta(block: { number_gte: ${state.headBlock + 5} }) { block { number } } }`);
    expect(gte.body.errors?.[0]?.message).toContain('has only indexed up to block number');
  });

  test('history pruned before a block is refused with graph-node\'s message', async () => {
    const state = sg.state('uniswap-v3');
    const saved = state.earliestBlock;
    state.earliestBlock = state.headBlock - 1000;
    try {
      const r = await v3(`{ poolHourDatas(first: 1, block: { number: ${state.headBlock - 1001} }) { id } }`);
      expect(r.body.errors?.[0]?.message).toBe(
        `subgraph ${state.deployment} only has data starting at block number ${state.headBlock - 1000} and data for block number ${state.headBlock - 1001} is therefore not available`,
      );
      expect((await v3(`{ poolHourDatas(first: 1, block: { number: ${state.headBlock - 1000} }) { id } }`)).body.errors).toBeUndefined();
    } finally {
      state.earliestBlock = saved;
    }
  });
});

test('pools, tokens, bundles and day data answer too', async () => {
  const r = await v3('{ pools(first: 3, orderBy: totalValueLockedUSD, orderDirection: desc) { id totalValueLockedUSD token0 { symbol } } tokens(first: 2) { id symbol derivedETH } bundle(id: "1") { ethPriceUSD } poolDayDatas(first: 2, orderBy: date, orderDirection: desc) { id date volumeUSD tvlUSD } }');
  expect(r.body.errors).toBeUndefined();
  const pools = rows<{ totalValueLockedUSD: string }>(r, 'pools');
  expect(pools).toHaveLength(3);
  expect(Number(pools[0]!.totalValueLockedUSD)).toBeGreaterThanOrEqual(Number(pools[1]!.totalValueLockedUSD));
  expect(Number((r.body.data!.bundle as { ethPriceUSD: string }).ethPriceUSD)).toBeGreaterThan(100);
  const days = rows<{ id: string; date: number }>(r, 'poolDayDatas');
  expect(days[0]!.date % 86400).toBe(0);
  expect(days[0]!.id.endsWith(`-${days[0]!.date / 86400}`)).toBe(true);
  const pair = await v2('{ pairs(first: 1) { id reserveUSD token0 { symbol } } pairDayDatas(first: 1) { id dailyVolumeUSD } }');
  expect(pair.body.errors).toBeUndefined();
});
