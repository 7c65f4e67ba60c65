/**
 * The benchmark's data: a simulated market written as the raw layer (in-process, with the
 * fetcher's writer), the project's own Dataform SQL run on DuckDB, and the mart read back as
 * columns, with the raw USD values and the per-pool statistics the baselines need.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOUR_SECONDS, type Market } from '../../local/market/market';
import { recordHoursAsVerified, writeMarketRawFast } from '../../local/market/raw_records';
import { localSources, type Source } from '../../shared/config/sources';
import type { TruthEvent } from '../../shared/detection/evaluate';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { ensureLocalRawView } from '../../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject } from '../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const REPO = resolve(__dirname, '..', '..');

/** Values of the mart rows a run reads, one entry per row. */
export interface MartRows {
  readonly source: string[];
  readonly dex: string[];
  readonly chain: string[];
  readonly pool: string[];
  readonly hour: Float64Array;
  readonly historyHours: Float64Array;
  readonly isWarm: Uint8Array;
  /** Data error known when the hour is scored (past-only flags). */
  readonly errorNow: Uint8Array;
  /** The mart's is_data_error (with the look-ahead flag): kept out of training. */
  readonly errorTrain: Uint8Array;
  readonly y: Uint8Array;
  /** Row-major, FEATURE_NAMES order. */
  readonly features: Float64Array;
  /** Raw USD volume, TVL (carried) and transactions, for the seed's forest. */
  readonly raw: Float64Array;
  /** Baselines: robust z of log volume and of the TVL log change (trailing 168 h, MAD floored), DefiLlama jump and return flags. */
  readonly zVolume: Float64Array;
  readonly zTvl: Float64Array;
  readonly guardJump: Uint8Array;
  readonly guardBack: Uint8Array;
  length: number;
}

export const RAW_NAMES = ['volume_usd', 'tvl_usd', 'tx_count'] as const;


/** DuckDB SQL (bench only: the baselines' windowed median and MAD are DuckDB's). */
const MART_SQL = `
WITH m AS (
  SELECT m.*, epoch(m.hour_ts)::BIGINT AS h, COALESCE(s.volume_usd, 0) AS raw_volume, COALESCE(s.tx_count, 0) AS raw_tx, s.tvl_usd AS reported_tvl
  FROM dex_anomaly.mart_pool_features_labeled AS m
  LEFT JOIN dex_anomaly.stg_pool_hour AS s ON s.source = m.source AND s.pool_id = m.pool_id AND s.hour_ts = m.hour_ts
),
c AS (
  SELECT *, COALESCE(LAST_VALUE(reported_tvl IGNORE NULLS) OVER (PARTITION BY source, pool_id ORDER BY hour_ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS raw_tvl, ln(1 + greatest(raw_volume, 0)) AS lv
  FROM m
),
d AS (
  SELECT *, LAG(raw_tvl) OVER (PARTITION BY source, pool_id ORDER BY hour_ts) AS tvl_prev, LAG(raw_volume) OVER (PARTITION BY source, pool_id ORDER BY hour_ts) AS vol_prev
  FROM c
),
e AS (
  SELECT *, CASE WHEN tvl_prev > 0 AND raw_tvl > 0 THEN ln(raw_tvl / tvl_prev) ELSE 0 END AS dl
  FROM d
),
b AS (
  SELECT *,
    (lv - median(lv) OVER w) / greatest(1.4826 * mad(lv) OVER w, 0.1) AS z_volume,
    (dl - median(dl) OVER w) / greatest(1.4826 * mad(dl) OVER w, 0.01) AS z_tvl,
    MIN(raw_tvl) OVER (PARTITION BY source, pool_id ORDER BY hour_ts ROWS BETWEEN 1 FOLLOWING AND 5 FOLLOWING) AS tvl_next5,
    MIN(raw_volume) OVER (PARTITION BY source, pool_id ORDER BY hour_ts ROWS BETWEEN 1 FOLLOWING AND 5 FOLLOWING) AS vol_next5
  FROM e
  WINDOW w AS (PARTITION BY source, pool_id ORDER BY hour_ts ROWS BETWEEN 168 PRECEDING AND 1 PRECEDING)
)
SELECT source, dex, chain, pool_id, h, history_hours, is_warm, is_data_error, is_data_error_now AS err_now, y,
  ${FEATURE_NAMES.join(', ')}, raw_volume, raw_tvl, raw_tx, COALESCE(z_volume, 0) AS z_volume, COALESCE(z_tvl, 0) AS z_tvl,
  COALESCE(raw_tvl > 5 * tvl_prev OR raw_volume > 5 * greatest(vol_prev, 1), FALSE) AS guard_jump,
  COALESCE((raw_tvl > 5 * tvl_prev AND tvl_next5 < 2 * tvl_prev) OR (raw_volume > 5 * greatest(vol_prev, 1) AND vol_next5 < 2 * greatest(vol_prev, 1)), FALSE) AS guard_back
FROM b`;

/** Reads the rows of `where` (DuckDB SQL over the columns above) column by column, hour by hour. */
async function readRows(connection: DuckDBConnection, where: string): Promise<MartRows> {
  const reader = await connection.runAndReadAll(`SELECT * FROM bench_rows WHERE ${where} ORDER BY h, source, pool_id`);
  const cols = reader.getColumnsObjectJS();
  const n = reader.currentRowCount;
  const F = FEATURE_NAMES.length;
  const num = (name: string) => Float64Array.from(cols[name]!, (v) => Number(v));
  const bool = (name: string) => Uint8Array.from(cols[name]!, (v) => (v === true ? 1 : 0));
  const features = new Float64Array(n * F);
  FEATURE_NAMES.forEach((name, c) => {
    const values = cols[name]!;
    for (let i = 0; i < n; i++) features[i * F + c] = Number(values[i]);
  });
  const raw = new Float64Array(n * 3);
  RAW_SQL_NAMES.forEach((name, c) => {
    const values = cols[name]!;
    for (let i = 0; i < n; i++) raw[i * 3 + c] = Number(values[i]);
  });
  return {
    source: cols.source!.map(String), dex: cols.dex!.map(String), chain: cols.chain!.map(String), pool: cols.pool_id!.map(String),
    hour: num('h'), historyHours: num('history_hours'), isWarm: bool('is_warm'), errorNow: bool('err_now'), errorTrain: bool('is_data_error'), y: bool('y'),
    features, raw, zVolume: num('z_volume'), zTvl: num('z_tvl'), guardJump: bool('guard_jump'), guardBack: bool('guard_back'), length: n,
  };
}
const RAW_SQL_NAMES = ['raw_volume', 'raw_tvl', 'raw_tx'] as const;

export interface BenchData {
  readonly train: MartRows;
  readonly score: MartRows;
  readonly events: TruthEvent[];
  readonly pools: number;
  /** Unix seconds of the first and last scored hours. */
  readonly scoreFrom: number;
  readonly scoreTo: number;
  readonly martRows: number;
  readonly seconds: { readonly raw: number; readonly mart: number; readonly read: number };
}

/** Ground truth keyed like the mart rows: `<source id>/<pool>`; abandonment as its own type. */
export function truthEvents(market: Market, sources: readonly Source[]): TruthEvent[] {
  const sourceOf = new Map(sources.map((s) => [s.kind, s.id]));
  return market.truth.map((t) => ({ pool: `${sourceOf.get(t.subgraph)!}/${t.pool}`, type: t.origin === 'abandonment' ? 'abandonment' : t.type, hours: t.hours }));
}

/**
 * Simulated market -> raw layer -> Dataform on DuckDB -> rows. Training rows: warm, not data
 * errors, before the scored days, every `trainStride`-th; scored rows: every row of the last
 * `scoreDays` days.
 */
export async function buildBenchData(market: Market, scoreDays: number, trainRowsWanted: number): Promise<BenchData> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-detect-'));
  try {
    const sources = localSources('http://127.0.0.1:1');
    let started = Date.now();
    writeMarketRawFast(market, sources, dir);
    const rawS = (Date.now() - started) / 1000;
    started = Date.now();
    const dbPath = join(dir, 'wh.duckdb');
    const wh = await DuckDbWarehouse.open(dbPath);
    try {
      await ensureLocalRawView(wh, dir, true);
      await recordHoursAsVerified(wh, market, sources);
      const result = await runCompiledProject(wh, compileDataform(join(REPO, 'dataform'), { freshness_reference: new Date((market.startTime + market.hours * HOUR_SECONDS) * 1000).toISOString() }));
      if (result.failedAssertions.length > 0) throw new Error(`assertions failed: ${JSON.stringify(result.failedAssertions)}`);
    } finally {
      await wh.close();
    }
    const martS = (Date.now() - started) / 1000;
    started = Date.now();
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    try {
      const scoreFrom = market.startTime + (market.hours - scoreDays * 24) * HOUR_SECONDS;
      const scoreTo = market.startTime + (market.hours - 1) * HOUR_SECONDS;
      const counts = (await connection.runAndReadAll(`SELECT COUNT(*) AS n, COUNT(DISTINCT source || pool_id) AS pools, count_if(epoch(hour_ts) < ${scoreFrom} AND is_warm AND NOT is_data_error) AS trainable FROM dex_anomaly.mart_pool_features_labeled`)).getRowObjectsJS()[0]!;
      // The baselines' windows once, for both reads.
      await connection.run(`CREATE TEMP TABLE bench_rows AS ${MART_SQL}`);
      const stride = Math.max(1, Math.floor(Number(counts.trainable) / trainRowsWanted));
      const train = await readRows(connection, `h < ${scoreFrom} AND is_warm AND NOT is_data_error AND (hash(pool_id) + h // 3600) % ${stride} = 0`);
      const score = await readRows(connection, `h >= ${scoreFrom}`);
      return { train, score, events: truthEvents(market, sources), pools: Number(counts.pools), scoreFrom, scoreTo, martRows: Number(counts.n), seconds: { raw: rawS, mart: martS, read: (Date.now() - started) / 1000 } };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
