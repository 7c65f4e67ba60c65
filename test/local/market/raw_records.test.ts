import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawRecordsAt, writeMarketRaw, writeMarketRawFast } from '../../../local/market/raw_records';
import { simulateMarket } from '../../../local/market/simulate_market';
import { hourValues } from '../../../local/subgraph/pool_values';
import { localSources } from '../../../shared/config/sources';
import { rawPoolHourSchema } from '../../../shared/raw/raw_record';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { TEST_END_HOUR } from '../../helpers/local_subgraph';

const market = simulateMarket({ seed: 5, pools: 12, days: 3, endHour: TEST_END_HOUR });
const sources = localSources('http://127.0.0.1:1');

test('one valid raw record per active pool, with the simulated values; Sushi V2 without fees or OHLC', () => {
  for (const source of sources) {
    const t = market.hours - 1;
    const rows = rawRecordsAt(market, source.kind, source, t);
    const { pools, series } = market.subgraphs[source.kind];
    expect(rows.length).toBe(series.filter((s) => s.active[t] === 1).length);
    for (const r of rows) {
      expect(rawPoolHourSchema.safeParse(r).success).toBe(true);
      const p = pools.find((x) => x.address === r.pool_id)!;
      expect(Number(r.tvl_usd)).toBe(hourValues(market, p, series[p.index]!, t).tvlUSD);
      expect(r.fees_usd === null).toBe(source.kind === 'sushiswap-v2');
      expect(r.close === null).toBe(source.kind === 'sushiswap-v2');
    }
  }
});

test('the fast layout reads back as the same raw rows as the hourly writer, each row in its own hour partition', async () => {
  const hourly = mkdtempSync(join(tmpdir(), 'raw-hourly-'));
  const daily = mkdtempSync(join(tmpdir(), 'raw-daily-'));
  try {
    const written = await writeMarketRaw(market, sources, new LocalFolderStore(hourly));
    expect(writeMarketRawFast(market, sources, daily)).toBe(written);
    const read = async (dir: string) => {
      const wh = await DuckDbWarehouse.open();
      try {
        await ensureLocalRawView(wh, dir, true);
        return await wh.query('SELECT source, COUNT(*) AS n, SUM(SAFE_CAST(volume_usd AS FLOAT64)) AS v, MIN(hour_start_unix) AS first, MAX(hour_start_unix) AS last, COUNT(CASE WHEN hour_start_unix <> UNIX_SECONDS(CAST(dt AS TIMESTAMP)) + 3600 * hour THEN 1 END) AS misplaced FROM `dex_raw.raw_pool_hour` GROUP BY source ORDER BY source');
      } finally {
        await wh.close();
      }
    };
    // Summation order differs between layouts: compare sums to the cent.
    const cents = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map((r) => ({ ...r, v: Math.round(Number(r.v) * 100) }));
    const [a, b] = [cents(await read(hourly)), cents(await read(daily))];
    expect(b).toEqual(a);
    expect(a.map((r) => r.misplaced)).toEqual(a.map(() => 0));
    expect(a.reduce((s, r) => s + Number(r.n), 0)).toBe(written);
  } finally {
    rmSync(hourly, { recursive: true, force: true });
    rmSync(daily, { recursive: true, force: true });
  }
}, 600_000);
