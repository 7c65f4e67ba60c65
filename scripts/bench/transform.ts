/**
 * npm run bench:transform [-- --pools 500,2000 --days 30]
 *
 * Builds the staging table and the feature mart on embedded DuckDB from a simulated raw layer
 * (Uniswap V3 rows of the local market, written with the fetcher's writer), one process per size
 * so each peak memory is its own, and prints rows, build times and peak RSS per size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { HOUR_SECONDS } from '../../local/market/market';
import { simulateMarket } from '../../local/market/simulate_market';
import { hourValues } from '../../local/subgraph/pool_values';
import { localSources } from '../../shared/config/sources';
import type { RawPoolHour } from '../../shared/raw/raw_record';
import { writeHour } from '../../shared/raw/write_hour';
import { LocalFolderStore } from '../../shared/storage/local_folder_store';
import { loadAllManifests } from '../../shared/load/load_all_manifests';
import { silentLogger } from '../../shared/logging';
import { ensureLocalRawView } from '../../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject } from '../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { parseCliArgs, runCli } from '../cli_args';

const END = Date.parse('2026-11-24T23:00:00Z') / 1000;
const REPO = resolve(__dirname, '..', '..');

async function writeRaw(dir: string, pools: number, days: number): Promise<number> {
  const market = simulateMarket({ seed: 1, pools, days, endHour: END });
  const source = localSources('http://127.0.0.1:1')[0]!;
  const { pools: sims, series } = market.subgraphs['uniswap-v3'];
  const store = new LocalFolderStore(dir);
  let total = 0;
  for (let t = 0; t < market.hours; t++) {
    const hourStart = market.startTime + t * HOUR_SECONDS;
    const rows: RawPoolHour[] = [];
    for (const p of sims) {
      if (!series[p.index]!.active[t]) continue;
      const v = hourValues(market, p, series[p.index]!, t);
      rows.push({
        entity_id: `${p.address}-${hourStart / 3600}`, pool_id: p.address, hour_start_unix: hourStart, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3',
        token0_id: market.tokens[p.token0]!.address, token0_symbol: market.tokens[p.token0]!.symbol, token0_decimals: '18', token1_id: market.tokens[p.token1]!.address, token1_symbol: market.tokens[p.token1]!.symbol, token1_decimals: '18',
        fee_tier: String(p.feeTier), tvl_usd: String(v.tvlUSD), volume_usd: String(v.volumeUSD), fees_usd: String(v.feesUSD), volume_token0: String(v.volumeToken0), volume_token1: String(v.volumeToken1),
        tx_count: String(v.txCount), token0_price: String(v.token0Price), token1_price: String(v.token1Price), open: String(v.open), high: String(v.high), low: String(v.low), close: String(v.close),
        liquidity: String(Math.round(v.liquidity)), reserve0: null, reserve1: null, block_number: 1, block_timestamp: hourStart + 3700,
      });
    }
    total += rows.length;
    await writeHour(store, source, { hourStart, rows, quarantined: [], block: { number: 1, timestamp: hourStart + 3700, hash: '' }, pages: 1, duplicateRows: 0, hasIndexingErrors: false }, new Date());
  }
  return total;
}

async function one(pools: number, days: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-transform-'));
  try {
    const rawRows = await writeRaw(dir, pools, days);
    const compiled = compileDataform(join(REPO, 'dataform'), { freshness_reference: '2026-11-25T00:00:00Z' });
    const wh = await DuckDbWarehouse.open(join(dir, 'wh.duckdb'));
    await ensureLocalRawView(wh, dir, true);
    // Staging reads the hours load verified (not timed).
    await loadAllManifests({ store: new LocalFolderStore(dir), warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger });
    const started = Date.now();
    const result = await runCompiledProject(wh, compiled);
    const totalMs = Date.now() - started;
    await wh.close();
    console.log(JSON.stringify({ pools, days, raw_rows: rawRows, tables: result.tables, failed_assertions: result.failedAssertions.length, total_s: Math.round(totalMs / 100) / 10, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const a = parseCliArgs(
    z.object({
      pools: z.string().regex(/^\d+(,\d+)*$/, 'must be pool counts separated by commas, e.g. 500,2000').default('500,2000').describe('pools per subgraph, one run each'),
      days: z.coerce.number().positive().default(30).describe('days of history'),
      one: z.coerce.number().int().optional().describe('(internal) run one size in this process'),
    }),
    process.argv.slice(2),
    { usage: 'npm run bench:transform -- [--pools 500,2000] [--days 30]', summary: 'Time and peak memory of the Dataform transform (staging + mart) on DuckDB, one child process per size.' },
  );
  if (a.one !== undefined) return one(a.one, a.days);
  for (const pools of a.pools.split(',').map(Number)) {
    process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', __filename, '--one', String(pools), '--days', String(a.days)], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 24 }));
  }
}

void runCli(main);
