import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertHourlyCsv, REALDATA_HOURLY_FILE } from '../../../local/replay/convert_realdata';
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

(existsSync(REALDATA_DIR) ? describe : describe.skip)('replaying recorded Uniswap V3 responses (converted to the replay format)', () => {
  let sg: LocalSubgraph;
  let replayDir: string;
  beforeAll(async () => {
    replayDir = mkdtempSync(join(tmpdir(), 'realdata-replay-'));
    mkdirSync(join(replayDir, 'uniswap-v3'));
    const rows = convertHourlyCsv(readFileSync(join(REALDATA_DIR, REALDATA_HOURLY_FILE), 'utf8'));
    writeFileSync(join(replayDir, 'uniswap-v3', 'poolHourDatas.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    sg = await startLocalSubgraph({ data: loadReplay(replayDir) });
  });
  afterAll(async () => {
    await sg.close();
    rmSync(replayDir, { recursive: true, force: true });
  });

  test('an hour comes back with its recorded values (open: the previous close)', async () => {
    const r = await postQuery(sg.url('uniswap-v3'), '{ poolHourDatas(first: 2, orderBy: periodStartUnix, where: { pool: "0x9b08288c3be4f62bbf8d1c20ac9c5e6f9467d8b7" }) { id periodStartUnix liquidity open close pool { token0 { decimals } token1 { decimals } } } }');
    expect(r.body.data).toEqual({
      poolHourDatas: [
        { id: '0x9b08288c3be4f62bbf8d1c20ac9c5e6f9467d8b7-455987', periodStartUnix: 1641553200, liquidity: '2289913061325373447', open: '0.4672549850536639616430755618251039', close: '0.4672549850536639616430755618251039', pool: { token0: { decimals: '18' }, token1: { decimals: '6' } } },
        { id: '0x9b08288c3be4f62bbf8d1c20ac9c5e6f9467d8b7-455988', periodStartUnix: 1641556800, liquidity: '2416090802450398476', open: '0.4672549850536639616430755618251039', close: '0.4613874243117499442280104171056405', pool: { token0: { decimals: '18' }, token1: { decimals: '6' } } },
      ],
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
