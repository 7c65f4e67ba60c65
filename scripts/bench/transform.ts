/**
 * npm run bench:transform [-- --pools 200 --days 7,30,90 --json]
 *
 * The Dataform transform (staging + mart) on embedded DuckDB over a simulated raw layer (three
 * subgraphs of the local market, one object per source and hour in its hive partition): for each
 * history length, a full rebuild of every verified hour, then ONE hourly incremental run after the
 * next hour is loaded. The incremental run must stay flat as history grows. Wall and CPU time
 * (this process and DuckDB's threads) are both reported: the machine may be shared. One child
 * process per size, so each peak memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { HOUR_SECONDS } from '../../local/market/market';
import { LOAD_DELAY_SECONDS, recordHoursAsVerified, writeMarketRawFast } from '../../local/market/raw_records';
import { simulateMarket } from '../../local/market/simulate_market';
import { localSources } from '../../shared/config/sources';
import { INGESTION_LOG } from '../../shared/load/ingestion_log';
import { ensureLocalRawView } from '../../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject, type TransformResult } from '../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { parseCliArgs, runCli } from '../cli_args';

const END = Date.parse('2026-11-24T23:00:00Z') / 1000;
const REPO = resolve(__dirname, '..', '..');

interface Timed {
  readonly wall_s: number;
  readonly cpu_s: number;
  readonly tables: { readonly name: string; readonly mode: string; readonly rows: number; readonly ms: number }[];
}

async function timed(run: () => Promise<TransformResult>): Promise<Timed> {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(cpu);
  const failed = result.failedAssertions.filter((f) => f.name !== 'assert_freshness');
  if (failed.length > 0) throw new Error(`assertions failed: ${failed.map((f) => f.message).join('; ')}`);
  return { wall_s: round(Number(process.hrtime.bigint() - wall) / 1e9), cpu_s: round((used.user + used.system) / 1e6), tables: result.tables };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** One size: `days` of history loaded and built in full, then the next hour loaded and built incrementally. */
async function one(pools: number, days: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-transform-'));
  try {
    // days of history plus the hour that arrives next.
    const market = simulateMarket({ seed: 1, pools, days: days + 1 / 24, endHour: END });
    const sources = localSources('http://127.0.0.1:1');
    const rawRows = writeMarketRawFast(market, sources, dir);
    const compiled = compileDataform(join(REPO, 'dataform'), { freshness_reference: new Date((END + HOUR_SECONDS) * 1000).toISOString() });
    const wh = await DuckDbWarehouse.open(join(dir, 'wh.duckdb'));
    try {
      await ensureLocalRawView(wh, dir, true);
      // Every hour but the newest was loaded (and verified) as it ended; the newest is loaded next.
      await recordHoursAsVerified(wh, market, sources, { hours: market.hours - 1 });
      const full = await timed(() => runCompiledProject(wh, compiled, { fullRefresh: true }));
      const newest = market.startTime + (market.hours - 1) * HOUR_SECONDS;
      for (const s of sources) {
        const hourTs = new Date(newest * 1000);
        await wh.replaceRows(INGESTION_LOG, { source: s.id, hour_ts: hourTs }, [{ source: s.id, hour_ts: hourTs.toISOString(), manifest_sha256: 'benchmark-without-manifest', loaded_at: new Date((newest + HOUR_SECONDS + LOAD_DELAY_SECONDS) * 1000).toISOString() }]);
      }
      const incremental = await timed(() => runCompiledProject(wh, compiled));
      if (incremental.tables.some((t) => t.mode !== 'incremental')) throw new Error(`expected incremental runs, got ${JSON.stringify(incremental.tables)}`);
      return {
        pools_per_source: pools,
        sources: sources.length,
        days,
        raw_rows: rawRows,
        raw_partitions: market.hours * sources.length,
        mart_rows: incremental.tables.find((t) => t.name === 'mart_pool_features_labeled')?.rows,
        full,
        incremental,
        full_over_incremental_cpu: round(full.cpu_s / Math.max(incremental.cpu_s, 0.01)),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    } finally {
      await wh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const a = parseCliArgs(
    z.object({
      pools: z.coerce.number().int().positive().default(200).describe('pools per subgraph (three subgraphs)'),
      days: z.string().regex(/^[1-9]\d*(,[1-9]\d*)*$/, 'must be day counts of at least 1 separated by commas, e.g. 7,30,90').default('7,30,90').describe('days of history already loaded, one run each'),
      json: z.boolean().default(false).describe('print one JSON object instead of a table'),
      one: z.coerce.number().int().optional().describe('(internal) run one size in this process'),
    }),
    process.argv.slice(2),
    {
      usage: 'npm run bench:transform -- [--pools 200] [--days 7,30,90] [--json]',
      summary: 'Full rebuild vs one hourly incremental run of the Dataform transform (staging + mart) on DuckDB, at several history lengths; one child process per size.',
    },
  );
  if (a.one !== undefined) {
    process.stdout.write(`${JSON.stringify(await one(a.pools, a.one))}\n`);
    return;
  }
  const sizes: Record<string, unknown>[] = [];
  for (const days of a.days.split(',').map(Number)) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--one', String(days), '--pools', String(a.pools)], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 24 });
    const size = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown> & { full: Timed; incremental: Timed };
    sizes.push(size);
    // With --json, progress goes to stderr: a long run still shows each size as it ends.
    if (a.json) console.error(`${days} days: full ${size.full.wall_s} s (cpu ${size.full.cpu_s} s), one hourly incremental run ${size.incremental.wall_s} s (cpu ${size.incremental.cpu_s} s)`);
    if (!a.json) {
      if (sizes.length === 1) console.log('days  raw rows     full wall s  full cpu s  incr wall s  incr cpu s  full/incr cpu');
      console.log(`${String(days).padStart(4)}  ${String(size.raw_rows).padStart(9)}  ${size.full.wall_s.toFixed(2).padStart(11)}  ${size.full.cpu_s.toFixed(2).padStart(10)}  ${size.incremental.wall_s.toFixed(2).padStart(11)}  ${size.incremental.cpu_s.toFixed(2).padStart(10)}  ${String(size.full_over_incremental_cpu).padStart(13)}`);
    }
  }
  if (a.json) console.log(JSON.stringify({ benchmark: 'transform', pools_per_source: a.pools, sizes }));
}

void runCli(main);
