import { GATEWAY_MESSAGES } from '../../../local/subgraph/faults';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { postQuery, smallMarket, TEST_END_HOUR } from '../../helpers/local_subgraph';

const market = smallMarket(5, 20, 2);
let sg: LocalSubgraph;
const url = () => sg.url('uniswap-v3');
const PAGE = `{ poolHourDatas(first: 5, orderBy: id, where: { periodStartUnix: ${TEST_END_HOUR} }) { id volumeUSD tvlUSD } }`;

beforeAll(async () => {
  sg = await startLocalSubgraph({ market });
});
afterAll(async () => {
  await sg.close();
});
afterEach(() => {
  sg.faults.clear();
});

test('HTTP 429 with Retry-After, for the next N requests only', async () => {
  sg.faults.add({ fault: { kind: 'rate-limited', retryAfterSeconds: 7 }, times: 2 });
  const first = await postQuery(url(), PAGE);
  expect(first.status).toBe(429);
  expect(first.headers.get('retry-after')).toBe('7');
  expect((await postQuery(url(), PAGE)).status).toBe(429);
  expect((await postQuery(url(), PAGE)).status).toBe(200);
});

test('HTTP 5xx after letting some requests through, only on the chosen subgraph', async () => {
  sg.faults.add({ fault: { kind: 'server-error', status: 503 }, subgraph: 'uniswap-v3', skip: 1, times: 1 });
  expect((await postQuery(sg.url('sushiswap-v2'), '{ _meta { block { number } } }')).status).toBe(200);
  expect((await postQuery(url(), PAGE)).status).toBe(200);
  expect((await postQuery(url(), PAGE)).status).toBe(503);
  expect((await postQuery(url(), PAGE)).status).toBe(200);
});

test('a slow response misses a client deadline shorter than its delay, then answers', async () => {
  sg.faults.add({ fault: { kind: 'slow', delayMs: 400 }, times: 2 });
  await expect(postQuery(url(), PAGE, {}, AbortSignal.timeout(50))).rejects.toThrow();
  const r = await postQuery(url(), PAGE, {}, AbortSignal.timeout(10_000));
  expect(r.status).toBe(200);
  expect((r.body.data!.poolHourDatas as unknown[]).length).toBe(5);
});

test('a hanging response never answers; the client has to give up', async () => {
  sg.faults.add({ fault: { kind: 'hang' }, times: 1 });
  await expect(postQuery(url(), PAGE, {}, AbortSignal.timeout(300))).rejects.toThrow(/abort|timeout/i);
  expect((await postQuery(url(), PAGE)).status).toBe(200);
});

test.each([
  [GATEWAY_MESSAGES.auth],
  [GATEWAY_MESSAGES.noIndexers],
  [GATEWAY_MESSAGES.badIndexers(19_000_123, 19_000_100)],
])('gateway error delivered as HTTP 200: %s', async (message) => {
  sg.faults.add({ fault: { kind: 'gateway-error', message }, times: 1 });
  const r = await postQuery(url(), PAGE);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ errors: [{ message }] });
});

describe('non-fatal indexing error', () => {
  beforeEach(() => {
    sg.state('uniswap-v3').indexingErrors = true;
  });
  afterEach(() => {
    sg.state('uniswap-v3').indexingErrors = false;
  });

  test('by default the answer is only the error (and _meta)', async () => {
    const r = await postQuery(url(), `{ _meta { hasIndexingErrors } poolHourDatas(first: 2) { id } }`);
    expect(r.body).toEqual({ data: { _meta: { hasIndexingErrors: true } }, errors: [{ message: 'indexing_error' }] });
  });

  test('with subgraphError: allow the data comes with the error', async () => {
    const r = await postQuery(url(), `{ _meta { hasIndexingErrors } poolHourDatas(first: 2, subgraphError: allow) { id } }`);
    expect(r.body.errors).toEqual([{ message: 'indexing_error' }]);
    expect((r.body.data!.poolHourDatas as unknown[]).length).toBe(2);
    expect(r.body.data!._meta).toEqual({ hasIndexingErrors: true });
  });
});

test('an indexer behind the head: the pinned block is not yet available', async () => {
  const head = sg.state('uniswap-v3').headBlock;
  sg.faults.add({ fault: { kind: 'head-behind', blocks: 300 }, times: 1 });
  const r = await postQuery(url(), `{ poolHourDatas(first: 1, block: { number: ${head} }) { id } }`);
  expect(r.body.errors?.[0]?.message).toContain(`has only indexed up to block number ${head - 300} and data for block number ${head}`);
  expect((await postQuery(url(), `{ poolHourDatas(first: 1, block: { number: ${head} }) { id } }`)).body.errors).toBeUndefined();
});

test.each([
  ['not-a-number' as const, (row: Record<string, unknown>) => { expect(row.volumeUSD).toBe('not-a-number'); }],
  ['missing' as const, (row: Record<string, unknown>) => { expect('volumeUSD' in row).toBe(false); }],
])('malformed rows (%s): every 2nd row is broken, the others intact', async (mode, check) => {
  sg.faults.add({ fault: { kind: 'malformed-rows', field: 'volumeUSD', mode, every: 2 }, times: 1 });
  const broken = (await postQuery(url(), PAGE)).body.data!.poolHourDatas as Record<string, unknown>[];
  const clean = (await postQuery(url(), PAGE)).body.data!.poolHourDatas as Record<string, unknown>[];
  check(broken[1]!);
  check(broken[3]!);
  expect(broken[0]).toEqual(clean[0]);
  expect(broken[2]).toEqual(clean[2]);
  expect(clean[1]!.volumeUSD).toMatch(/^\d+(\.\d+)?$/);
});

test('repeated rows: the cursor row comes back on the next page', async () => {
  const q = (cursor: string) => postQuery(url(), `{ poolHourDatas(first: 3, orderBy: id, where: { id_gt: "${cursor}", periodStartUnix: ${TEST_END_HOUR} }) { id } }`);
  const page1 = (await q('')).body.data!.poolHourDatas as { id: string }[];
  sg.faults.add({ fault: { kind: 'repeat-rows' }, times: 1 });
  const page2 = (await q(page1[2]!.id)).body.data!.poolHourDatas as { id: string }[];
  expect(page2[0]!.id).toBe(page1[2]!.id);
  const page2Clean = (await q(page1[2]!.id)).body.data!.poolHourDatas as { id: string }[];
  expect(page2Clean[0]!.id > page1[2]!.id).toBe(true);
});

test('_meta moves between pages while the head advances', async () => {
  const state = sg.state('uniswap-v3');
  const start = state.headBlock;
  sg.faults.add({ fault: { kind: 'head-advances', blocks: 25 }, times: 2 });
  try {
    const blocks: number[] = [];
    for (let i = 0; i < 3; i++) blocks.push(((await postQuery(url(), '{ _meta { block { number } } }')).body.data!._meta as { block: { number: number } }).block.number);
    expect(blocks).toEqual([start, start + 25, start + 50]);
  } finally {
    state.headBlock = start;
  }
});

describe('gateway path /api/<key>/subgraphs/id/<id>', () => {
  test('the right key and id answer like the named path', async () => {
    const viaGateway = await postQuery(sg.gatewayUrl('uniswap-v3'), PAGE);
    expect(viaGateway.body).toEqual((await postQuery(url(), PAGE)).body);
    expect(sg.gatewayUrl('sushiswap-v2')).toMatch(/\/api\/local-dev-key\/subgraphs\/id\/[1-9A-HJ-NP-Za-km-z]{44}$/);
  });

  test('a wrong key is an auth error, an unknown id has no allocations', async () => {
    expect((await postQuery(sg.gatewayUrl('uniswap-v3', 'wrong-key'), PAGE)).body).toEqual({ errors: [{ message: GATEWAY_MESSAGES.auth }] });
    const unknown = sg.gatewayUrl('uniswap-v3').replace(/id\/\w+$/, 'id/5zvR82QoaXYFyDEKLZ9t6v9adgnptxYpKpSbxtgVENFV');
    expect((await postQuery(unknown, PAGE)).body).toEqual({ errors: [{ message: GATEWAY_MESSAGES.noAllocations }] });
  });
});

test('requests are counted per subgraph', async () => {
  const before = sg.requests['sushiswap-v3'];
  await postQuery(sg.url('sushiswap-v3'), '{ _meta { block { number } } }');
  expect(sg.requests['sushiswap-v3']).toBe(before + 1);
});
