import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOUR_SECONDS } from '../../../local/market/market';
import { rawRecordsAt } from '../../../local/market/raw_records';
import { simulateMarket } from '../../../local/market/simulate_market';
import { localSources } from '../../../shared/config/sources';
import { loadAllManifests } from '../../../shared/load/load_all_manifests';
import { loadManifest } from '../../../shared/load/load_manifest';
import { silentLogger } from '../../../shared/logging';
import { manifestKey, rawDataKey } from '../../../shared/raw/raw_layout';
import type { RawPoolHour } from '../../../shared/raw/raw_record';
import { writeHour } from '../../../shared/raw/write_hour';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject, type CompiledProject, type TransformResult } from '../../../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

// Issue 10, point 8: the mart was rebuilt in full from every raw file on every run.
const DAYS = 10;
const END = Date.UTC(2026, 10, 20, 23) / 1000;
const market = simulateMarket({ seed: 5, pools: 8, days: DAYS, endHour: END });
const sources = localSources('http://127.0.0.1:1');
const HOURS = market.hours;
/** Hours built by the first (full) run; every later hour arrives one run at a time. */
const FIRST_BUILD = HOURS - 36;
/** Fetched 7 hours late: it arrives with a later hour. */
const LATE = HOURS - 30;
const LATE_ARRIVES_WITH = LATE + 7;
/** Refetched with changed data: a recent hour, and one older than any trailing window. */
const REFETCH_RECENT = HOURS - 20;
const REFETCH_OLD = 40;
const REFETCHED_WITH = HOURS - 12;
const hourStart = (t: number) => market.startTime + t * HOUR_SECONDS;

/**
 * Synthetic pools beside the simulated ones: a pool that trades at hours 2-4 only (its last entity
 * mispriced: USD amounts x1000, token amounts unchanged), so its TVL and prices are carried for
 * days from long before any trailing window, and a pool born during the incremental runs.
 */
function extraRows(t: number): RawPoolHour[] {
  const base = rawRecordsAt(market, 'uniswap-v3', sources[0]!, t)[0];
  if (!base) return [];
  const rows: RawPoolHour[] = [];
  // A pool's tokens never change: the synthetic pools keep those of one simulated pool (and share them with it).
  const tokensOf = rawRecordsAt(market, 'uniswap-v3', sources[0]!, 2)[0]!;
  const tokens = { token0_id: tokensOf.token0_id, token0_symbol: tokensOf.token0_symbol, token0_decimals: tokensOf.token0_decimals, token1_id: tokensOf.token1_id, token1_symbol: tokensOf.token1_symbol, token1_decimals: tokensOf.token1_decimals };
  if (t >= 2 && t <= 4) {
    const f = t === 4 ? 1000 : 1;
    rows.push({ ...base, ...tokens, pool_id: '0xquiet', entity_id: `0xquiet-${t}`, tvl_usd: String(5000 * f), volume_usd: String(100 * f), fees_usd: String(0.3 * f), volume_token0: '50', volume_token1: '60' });
  }
  if (t >= HOURS - 10) rows.push({ ...base, ...tokens, pool_id: '0xnewborn', entity_id: `0xnewborn-${t}`, tvl_usd: String(1000 + t), volume_usd: String(10 + (t % 5)) });
  return rows;
}

function hourRows(sourceIndex: number, t: number, refetched: boolean): RawPoolHour[] {
  const source = sources[sourceIndex]!;
  let rows = rawRecordsAt(market, source.kind, source, t);
  if (sourceIndex === 0) rows = rows.concat(extraRows(t));
  // A refetch that changed the hour: volumes tripled, and one pool is gone from it.
  if (refetched) rows = rows.slice(1).map((r) => ({ ...r, volume_usd: String(3 * Number(r.volume_usd)), block_number: r.block_number + 1 }));
  return rows;
}

let dir: string;
let store: LocalFolderStore;
let wh: DuckDbWarehouse;
let compiled: CompiledProject;
let clock = Date.UTC(2026, 10, 21);
/** Manifests written since the last load. */
let written: string[] = [];

async function writeHours(hours: readonly number[], refetched = false): Promise<void> {
  for (const t of hours) {
    for (let s = 0; s < sources.length; s++) {
      const block = { number: hourStart(t) / HOUR_SECONDS + (refetched ? 1 : 0), timestamp: hourStart(t) + HOUR_SECONDS + 60, hash: '' };
      await writeHour(store, sources[s]!, { hourStart: hourStart(t), rows: hourRows(s, t, refetched), quarantined: [], block, pages: 1, duplicateRows: 0, hasIndexingErrors: false }, new Date(clock));
      written.push(manifestKey(sources[s]!.id, hourStart(t)));
    }
  }
}

/**
 * Loads what was written and runs the project. The clock moves 10 minutes a run: less than the
 * watermark's margin for late commits, so each run also takes in the previous run's hours again.
 */
async function loadAndTransform(fullRefresh = false): Promise<TransformResult> {
  clock += 10 * 60_000;
  const deps = { store, warehouse: wh, ensureRawTable: () => ensureLocalRawView(wh, dir, true), now: () => new Date(clock), logger: silentLogger };
  if (written.length > 200) await loadAllManifests(deps);
  else for (const key of written) expect((await loadManifest(deps, key)).status).toBe('loaded');
  written = [];
  const result = await runCompiledProject(wh, compiled, { fullRefresh });
  // Freshness is measured against the newest hour of the whole sequence: not the point here.
  expect(result.failedAssertions.filter((f) => f.name !== 'assert_freshness')).toEqual([]);
  return result;
}

const snapshot = async (table: string) => wh.query(`SELECT * FROM \`dex_anomaly.${table}\` ORDER BY source, pool_id, hour_ts`);
const modes = (r: TransformResult) => r.tables.map((t) => `${t.name}:${t.mode}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'incremental-'));
  store = new LocalFolderStore(dir);
  wh = await DuckDbWarehouse.open();
  compiled = compileDataform(resolve(__dirname, '..', '..', '..', 'dataform'), { freshness_reference: new Date(hourStart(HOURS) * 1000).toISOString() });
}, 120_000);

afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

test('hour-by-hour incremental runs (a late hour, refetched hours) leave exactly the rows of a full refresh, reading only the partitions they need', async () => {
  await writeHours(Array.from({ length: FIRST_BUILD }, (_, t) => t));
  expect(modes(await loadAndTransform())).toEqual(['stg_pool_hour:full', 'mart_pool_features_labeled:full']);

  // An unreadable object in an old partition that no verified hour names: a run that opened it
  // would fail, so every incremental run below proves that it pruned the raw partitions.
  const junk = join(dir, 'raw', rawDataKey(sources[1]!.id, hourStart(10)).replace(/[^/]+$/, 'zz-not-gzip.jsonl.gz'));
  mkdirSync(resolve(junk, '..'), { recursive: true });
  writeFileSync(junk, 'this is not gzip');

  for (let t = FIRST_BUILD; t < HOURS; t++) {
    const arriving = t === LATE ? [] : t === LATE_ARRIVES_WITH ? [LATE, t] : [t];
    await writeHours(arriving);
    if (t === REFETCHED_WITH) await writeHours([REFETCH_RECENT, REFETCH_OLD], true);
    expect(modes(await loadAndTransform())).toEqual(['stg_pool_hour:incremental', 'mart_pool_features_labeled:incremental']);
  }
  const [stg, mart] = [await snapshot('stg_pool_hour'), await snapshot('mart_pool_features_labeled')];

  rmSync(junk);
  expect(modes(await loadAndTransform(true))).toEqual(['stg_pool_hour:full', 'mart_pool_features_labeled:full']);
  const [stgFull, martFull] = [await snapshot('stg_pool_hour'), await snapshot('mart_pool_features_labeled')];

  // The data really changed under the incremental runs: the refetched hour lost a pool.
  const pools = (rows: Record<string, unknown>[], t: number) => rows.filter((r) => r.hour_ts === new Date(hourStart(t) * 1000).toISOString() && r.source === sources[0]!.id).length;
  expect(pools(stgFull, REFETCH_OLD)).toBe(hourRows(0, REFETCH_OLD, true).length);
  expect(martFull.filter((r) => r.pool_id === '0xnewborn').length).toBe(10);
  // The quiet pool's TVL is carried from hour 3 (hour 4 was mispriced) to the newest hour.
  expect(martFull.filter((r) => r.pool_id === '0xquiet').at(-1)).toMatchObject({ history_hours: HOURS - 3, carry_clean_tvl: 5000, carry_reported_tvl: 5_000_000 });

  expect(stg.length).toBe(stgFull.length);
  expect(stg).toEqual(stgFull);
  expect(mart.length).toBe(martFull.length);
  // Cross-pool means (token and market context) are parallel float sums in DuckDB: equal within 1e-10, not to the last bit
  // (rounding both sides to 12 digits was flaky: two values 1e-18 apart can round to different 12th digits).
  expect(floatMismatches(mart, martFull)).toEqual([]);
}, 900_000);

/** Rows must match key for key; non-integer numbers within 1e-10 (absolute, or relative above 1). */
function floatMismatches(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[]): string[] {
  const mismatches: string[] = [];
  expected.forEach((want, i) => {
    const got = actual[i] ?? {};
    for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const [a, b] = [got[key], want[key]];
      const close = typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a), Math.abs(b));
      if (!close && !Object.is(a, b)) mismatches.push(`row ${i} (${String(want.pool_id)} ${String(want.hour_ts)}) ${key}: ${String(a)} != ${String(b)}`);
    }
  });
  return mismatches.slice(0, 20);
}
