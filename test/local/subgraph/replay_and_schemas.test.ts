import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { loadReplay } from '../../../local/subgraph/replay_source';
import { SCHEMA_DIR } from '../../../local/subgraph/subgraph_runtime';
import { SHARED_REFERENCE_DIR } from '../../helpers/odds';
import { postQuery } from '../../helpers/local_subgraph';

// Third-party reference material, not committed: runs where ../shared sits beside the repo (CI).
const THEGRAPH_DIR = join(SHARED_REFERENCE_DIR, 'thegraph');
const REALDATA_DIR = join(SHARED_REFERENCE_DIR, 'fixtures', 'thegraph-realdata');
if (!existsSync(THEGRAPH_DIR)) console.warn(`schema drift check skipped: ${THEGRAPH_DIR} not found`);
if (!existsSync(REALDATA_DIR)) console.warn(`replay tests skipped: ${REALDATA_DIR} not found`);

(existsSync(THEGRAPH_DIR) ? describe : describe.skip)('served schemas', () => {
  test('are byte-identical copies of ../shared/thegraph', () => {
    const ours = readdirSync(SCHEMA_DIR).sort();
    expect(ours).toEqual(readdirSync(THEGRAPH_DIR).filter((f) => f.endsWith('.graphql')).sort());
    for (const file of ours) expect(readFileSync(join(SCHEMA_DIR, file), 'utf8')).toBe(readFileSync(join(THEGRAPH_DIR, file), 'utf8'));
  });
});

(existsSync(REALDATA_DIR) ? describe : describe.skip)('replaying recorded Uniswap V3 responses', () => {
  let sg: LocalSubgraph;
  beforeAll(async () => {
    sg = await startLocalSubgraph({ data: loadReplay(REALDATA_DIR) });
  });
  afterAll(async () => {
    await sg.close();
  });

  test('the WBTC/WETH daily export comes back with its recorded values', async () => {
    const r = await postQuery(sg.url('uniswap-v3'), '{ poolDayDatas(first: 1, orderBy: date, orderDirection: desc, where: { pool: "0xcbcdf9626bc03e24f779434178a73a0b4bad62ed" }) { id date tvlUSD volumeUSD txCount liquidity pool { token0 { symbol } token1 { symbol } } } }');
    expect(r.body.data).toEqual({
      poolDayDatas: [{
        id: '0xcbcdf9626bc03e24f779434178a73a0b4bad62ed-19731',
        date: 1704758400,
        tvlUSD: '315708202.507606971841516397',
        volumeUSD: '20926255.801523793643922511',
        txCount: '67',
        liquidity: '366087338222386370',
        pool: { token0: { symbol: 'WBTC' }, token1: { symbol: 'WETH' } },
      }],
    });
  });

  test('all 6,476 recorded hours of pool 0x9b08... page through exactly once, with the 5-hour hole', async () => {
    const seen: number[] = [];
    let cursor = 0;
    for (;;) {
      const r = await postQuery(sg.url('uniswap-v3'), `{ poolHourDatas(first: 1000, orderBy: periodStartUnix, where: { periodStartUnix_gt: ${cursor} }) { periodStartUnix close } }`);
      const page = r.body.data!.poolHourDatas as { periodStartUnix: number }[];
      if (page.length === 0) break;
      seen.push(...page.map((p) => p.periodStartUnix));
      cursor = page[page.length - 1]!.periodStartUnix;
    }
    expect(seen).toHaveLength(6476);
    expect(seen[0]).toBe(1641553200);
    const gaps = seen.slice(1).map((t, i) => t - seen[i]!).filter((d) => d !== 3600);
    expect(gaps).toEqual([5 * 3600]);
  });

  test('the Sushi subgraphs are empty in a replay', async () => {
    const r = await postQuery(sg.url('sushiswap-v2'), '{ pairHourDatas(first: 5) { id } }');
    expect(r.body.data).toEqual({ pairHourDatas: [] });
  });
});
