import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAllManifests } from '../../../shared/load/load_all_manifests';
import { silentLogger } from '../../../shared/logging';
import { FEATURE_NAMES, renderDataformInclude, TRAILING_HOURS, WARMUP_HOURS } from '../../../shared/features/feature_spec';
import { percentileLinear } from '../../../shared/iforest/percentile';
import type { RawPoolHour } from '../../../shared/raw/raw_record';
import { RAW_COLUMNS } from '../../../shared/raw/raw_columns';
import { rawPoolHourSchema } from '../../../shared/raw/raw_record';
import { writeHour } from '../../../shared/raw/write_hour';
import { localSources } from '../../../shared/config/sources';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { compileDataform, runAssertions, runCompiledProject, runScript, type CompiledProject } from '../../../shared/transform/run_dataform_locally';
import { typedLiteral } from '../../../shared/transform/sql_script';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { expectGolden } from '../../helpers/golden';

const REPO = resolve(__dirname, '..', '..', '..');
const DATAFORM = join(REPO, 'dataform');
const H0 = Date.UTC(2026, 10, 1) / 1000;
const HOURS = 100;
const SPIKE = HOURS - 1;
const MISPRICED = 80;
const source = { ...localSources('http://127.0.0.1:1')[0]!, id: 'src' };
// The one compile of this file (cached on disk across runs): the hour after the newest.
const REFERENCE = new Date((H0 + HOURS * 3600) * 1000).toISOString();

/** Pool A: volume 100 + 10h, TVL 10,000 + 100h; no entity at hours 3 and 4; zero volume at 10; zero TVL at 12; a spike at the last hour. */
const A = {
  volume: (h: number) => (h === 10 ? 0 : h === SPIKE ? 50_000 : 100 + 10 * h),
  tvl: (h: number) => (h === 12 ? 0 : 10_000 + 100 * h),
  present: (h: number) => h !== 3 && h !== 4,
};

function row(pool: string, h: number, v: { volume: number; tvl: number; block?: number; token0Volume?: number; token1Volume?: number }): RawPoolHour {
  return {
    entity_id: `${pool}-${(H0 + h * 3600) / 3600}`, pool_id: pool, hour_start_unix: H0 + h * 3600, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3',
    token0_id: '0x01', token0_symbol: 'AAA', token0_decimals: '18', token1_id: '0x02', token1_symbol: 'WETH', token1_decimals: '18', fee_tier: '3000',
    tvl_usd: String(v.tvl), volume_usd: String(v.volume), fees_usd: String(v.volume * 0.003), volume_token0: String(v.token0Volume ?? v.volume / 2), volume_token1: String(v.token1Volume ?? v.volume / 2),
    tx_count: String(v.volume > 0 ? 5 : 1), token0_price: '1', token1_price: '1', open: '1', high: '1.1', low: '0.9', close: '1',
    liquidity: '1', reserve0: null, reserve1: null, block_number: v.block ?? 100, block_timestamp: H0 + h * 3600 + 3700,
  };
}

let dir: string;
let wh: DuckDbWarehouse;
let compiled: CompiledProject;
type MartRow = Record<string, number | string | boolean | null>;
let mart: Map<string, MartRow>;
const at = (pool: string, h: number) => mart.get(`${pool}@${new Date((H0 + h * 3600) * 1000).toISOString()}`)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mart-'));
  const store = new LocalFolderStore(dir);
  for (let h = 0; h < HOURS; h++) {
    const rows: RawPoolHour[] = [];
    if (A.present(h)) rows.push(row('0xaaaa', h, { volume: A.volume(h), tvl: A.tvl(h) }));
    // Pool B: hour 0 came twice (blocks 100 and 200): the later block must win.
    if (h === 0) rows.push(row('0xbbbb', 0, { volume: 1, tvl: 500, block: 100 }), row('0xbbbb', 0, { volume: 2, tvl: 600, block: 200 }));
    if (h === 1) rows.push(row('0xbbbb', 1, { volume: 3, tvl: 650 }));
    // Pool C: a mispriced hour (x20 TVL, back the next hour), negative TVL, USD zero with tokens.
    const cTvl = h === 5 ? 20_000 : h === 8 ? -5 : 1000;
    rows.push(row('0xcccc', h, { volume: h === 9 ? 0 : 50, tvl: cTvl, token0Volume: h === 9 ? 3 : undefined }));
    // Pool D: a mispriced token at one hour: USD values x1000, token amounts unchanged.
    const factor = h === MISPRICED ? 1000 : 1;
    rows.push(row('0xdddd', h, { volume: 1000 * factor, tvl: 50_000 * factor, token0Volume: 500, token1Volume: 500 }));
    await writeHour(store, source, { hourStart: H0 + h * 3600, rows, quarantined: [], block: { number: 100, timestamp: 0, hash: '' }, pages: 1, duplicateRows: 0, hasIndexingErrors: false }, new Date());
  }
  wh = await DuckDbWarehouse.open();
  await ensureLocalRawView(wh, dir, true);
  // Staging reads the hours load verified.
  expect((await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger })).loaded).toBe(HOURS);
  compiled = compileDataform(DATAFORM, { freshness_reference: REFERENCE });
  const result = await runCompiledProject(wh, compiled);
  expect(result.failedAssertions).toEqual([]);
  const rows = await wh.query('SELECT * FROM `dex_anomaly.mart_pool_features_labeled`');
  mart = new Map(rows.map((r) => [`${String(r.pool_id)}@${String(r.hour_ts)}`, r as MartRow]));
}, 600_000);

afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an hour fetched twice gives one staging row: the later block', async () => {
  const rows = await wh.query("SELECT volume_usd, tvl_usd, block_number FROM `dex_anomaly.stg_pool_hour` WHERE pool_id = '0xbbbb' AND hour_ts = TIMESTAMP_SECONDS(@t)", { t: H0 });
  expect(rows).toEqual([{ volume_usd: 2, tvl_usd: 600, block_number: 200 }]);
});

test('one mart row per pool and hour on the filled grid, up to the newest hour', () => {
  expect(mart.size).toBe(4 * HOURS);
  expect(at('0xbbbb', SPIKE)).toMatchObject({ has_entity: false, history_hours: SPIKE, volume_vs_usual: 0, tvl_log_change_1h: 0, tvl_drawdown_7d: 0 });
});

test("a pool's first hour has no history: changes are 0, it is not warm, the label false", () => {
  expect(at('0xaaaa', 0)).toMatchObject({ history_hours: 0, is_warm: false, tvl_log_change_1h: 0, tvl_log_change_24h: 0, tvl_drawdown_7d: 0, active_share_7d: 0, swap_rate_log_change_1h: 0, y: false });
  // Activity without a usual yet counts as usual (ln 2), not as a spike.
  expect(at('0xaaaa', 0).volume_vs_usual).toBeCloseTo(Math.log(2), 12);
});

test('a missing hour has zero flows and the TVL carried forward', () => {
  const r = at('0xaaaa', 3);
  expect(r).toMatchObject({ has_entity: false, volume_vs_usual: 0, tx_vs_usual: 0, log_turnover_day: 0, price_range: 0, tvl_log_change_1h: 0 });
  expect(at('0xaaaa', 5).tvl_log_change_1h).toBeCloseTo(Math.log(A.tvl(5) / A.tvl(2)), 12);
});

test('a zero-volume hour and a zero-TVL hour stay finite', () => {
  expect(at('0xaaaa', 10)).toMatchObject({ has_entity: true, volume_vs_usual: 0, log_turnover_day: 0 });
  expect(at('0xaaaa', 12)).toMatchObject({ log_turnover_day: 0 });
  // TVL to zero: floored at a millionth of the previous hour's.
  expect(at('0xaaaa', 12).tvl_log_change_1h).toBeCloseTo(Math.log(1e-6), 9);
  expect(at('0xaaaa', 12).tvl_drawdown_7d).toBeCloseTo(Math.log(1e-6), 9);
  // The hour after a zero TVL divides by zero: defined as no change; the drawdown compares with
  // the week's maximum (hour 11), which hour 13 exceeds.
  expect(at('0xaaaa', 13).tvl_log_change_1h).toBe(0);
  expect(at('0xaaaa', 13).tvl_drawdown_7d).toBe(0);
  expect(at('0xaaaa', 14).tvl_drawdown_7d).toBe(0);
});

test('ratios, 24-hour changes and the pool-relative features equal the hand computation', () => {
  const h = 26;
  const r = at('0xaaaa', h);
  const pastActive = Array.from({ length: h }, (_, k) => (A.present(k) ? A.volume(k) : 0)).filter((v) => v > 0);
  expect(r.log_turnover_day).toBeCloseTo(Math.log(1 + (24 * A.volume(h)) / A.tvl(h)), 12);
  expect(r.tvl_log_change_24h).toBeCloseTo(Math.log(A.tvl(h) / A.tvl(2)), 12);
  expect(r.price_range).toBeCloseTo(0.2, 12);
  expect(r.volume_vs_usual).toBeCloseTo(Math.log(1 + A.volume(h) / percentileLinear(pastActive, 90)), 12);
  // The previous hour's volume against this hour's usual busy hour.
  expect(r.volume_vs_usual_1h_ago).toBeCloseTo(Math.log(1 + A.volume(h - 1) / percentileLinear(pastActive, 90)), 12);
  // Transactions: 5 in every hour with volume, 1 in the zero-volume hour: the usual is 5.
  expect(r.tx_vs_usual).toBeCloseTo(Math.log(2), 12);
  expect(r.active_share_7d).toBeCloseTo(pastActive.length / h, 12);
  expect(r.swap_rate_log_change_1h).toBe(0);
});

test('warm-up: a pool alerts and its label counts only after WARMUP_HOURS of history', () => {
  expect(at('0xaaaa', WARMUP_HOURS - 1).is_warm).toBe(false);
  expect(at('0xaaaa', WARMUP_HOURS).is_warm).toBe(true);
});

test("the label uses the pool's past only, hour by hour, once warm", () => {
  // Volume rises each hour, so most warm hours beat their past's 90th percentile; none before warm-up.
  for (let h = 1; h < HOURS; h++) {
    const past = Array.from({ length: Math.min(h, TRAILING_HOURS) }, (_, i) => h - Math.min(h, TRAILING_HOURS) + i).map((k) => (A.present(k) ? A.volume(k) : 0));
    const volume = A.present(h) ? A.volume(h) : 0;
    expect([h, at('0xaaaa', h).y]).toEqual([h, h >= WARMUP_HOURS && volume > percentileLinear(past, 90)]);
  }
  expect(at('0xaaaa', SPIKE).y).toBe(true);
  expect(at('0xaaaa', SPIKE).volume_vs_usual).toBeGreaterThan(3);
});

test('market context: the median of the warm pools that traded in the hour', () => {
  const h = 90;
  const moves = ['0xaaaa', '0xcccc', '0xdddd'].map((p) => Number(at(p, h).volume_vs_usual)).sort((a, b) => a - b);
  for (const p of ['0xaaaa', '0xbbbb', '0xcccc']) expect(at(p, h).market_volume_move).toBeCloseTo(moves[1]!, 12);
});

test("token context: the mean move of the other warm pools sharing token0 or token1, the pool itself excluded", () => {
  const h = 90;
  // Every fixture pool trades AAA/WETH; pool B has no entity at hour 90 (no move of its own).
  const volume = (p: string) => Number(at(p, h).volume_vs_usual);
  const tvl = (p: string) => Number(at(p, h).tvl_log_change_1h);
  expect(at('0xaaaa', h).token_volume_move).toBeCloseTo((volume('0xcccc') + volume('0xdddd')) / 2, 12);
  expect(at('0xcccc', h).token_volume_move).toBeCloseTo((volume('0xaaaa') + volume('0xdddd')) / 2, 12);
  expect(at('0xbbbb', h).token_volume_move).toBeCloseTo((volume('0xaaaa') + volume('0xcccc') + volume('0xdddd')) / 3, 12);
  expect(at('0xaaaa', h).token_tvl_move).toBeCloseTo((tvl('0xcccc') + tvl('0xdddd')) / 2, 12);
  expect(volume('0xaaaa')).not.toBeCloseTo(volume('0xdddd'), 3);
});

test('a mispriced token is a data error in the hour itself (past only), and stays out of the statistics', () => {
  expect([MISPRICED - 1, MISPRICED, MISPRICED + 1].map((h) => at('0xdddd', h).dq_mispriced_price)).toEqual([false, true, false]);
  expect(at('0xdddd', MISPRICED)).toMatchObject({ is_data_error: true, is_data_error_now: true });
  // The hour after sees the trusted TVL and usual volume, not the inflated ones.
  expect(at('0xdddd', MISPRICED + 1)).toMatchObject({ tvl_log_change_1h: 0, tvl_drawdown_7d: 0, is_data_error: false });
  expect(at('0xdddd', MISPRICED + 1).volume_vs_usual).toBeCloseTo(Math.log(2), 12);
  // The mispriced hour's inflated volume is not the next hour's previous-hour volume either.
  expect(at('0xdddd', MISPRICED + 1).volume_vs_usual_1h_ago).toBe(0);
  // A real crash moves the swap rate too: pool A's rate never moves, nothing there is a data error.
  for (let h = 0; h < HOURS; h++) expect(at('0xaaaa', h).dq_mispriced_price).toBe(false);
});

test('every feature is finite on every row', () => {
  for (const r of mart.values()) for (const f of FEATURE_NAMES) expect(Number.isFinite(r[f])).toBe(true);
});

test('data-quality flags mark the suspect rows instead of dropping them', () => {
  expect(at('0xcccc', 5).dq_mispriced_spike).toBe(true);
  expect(at('0xcccc', 5).is_data_error).toBe(true);
  // The look-ahead flag keeps the row out of training but is not known when the hour is scored.
  expect(at('0xcccc', 5).is_data_error_now).toBe(false);
  expect(at('0xcccc', 8).is_data_error_now).toBe(true);
  expect(at('0xcccc', 4).dq_mispriced_spike).toBe(false);
  expect(at('0xcccc', 8).dq_negative_tvl).toBe(true);
  expect(at('0xcccc', 9).dq_usd_zero_tokens_nonzero).toBe(true);
  expect(at('0xcccc', 7)).toMatchObject({ dq_negative_tvl: false, dq_usd_zero_tokens_nonzero: false, dq_mispriced_spike: false, is_data_error: false });
});

describe('each assertion fails on data built to break it', () => {
  // The checks run in each table's post-operations over the hours the run wrote; here they run over
  // rows broken after the build, with the run's window bound as the runner binds it.
  const ts = (h: number) => typedLiteral('TIMESTAMP', new Date((H0 + h * 3600) * 1000).toISOString());
  const postOps = async (table: string, vars: Record<string, string>) => {
    await runScript(wh, compiled.tables.find((t) => t.target.name === table)!.incrementalPostOps, new Map(Object.entries(vars)));
    return runAssertions(wh, compiled);
  };

  test('a duplicated staging key, in the hours the run staged', async () => {
    await wh.query("INSERT INTO `dex_anomaly.stg_pool_hour` SELECT * FROM `dex_anomaly.stg_pool_hour` WHERE pool_id = '0xcccc' AND hour_ts = TIMESTAMP_SECONDS(@t)", { t: H0 + 40 * 3600 });
    // A run that staged other hours does not look at hour 40: it was checked when it was written.
    expect(await postOps('stg_pool_hour', { stg_hours_from: ts(41), stg_hours_to: ts(45), stg_loaded_through: ts(HOURS) })).toEqual([]);
    const failed = await postOps('stg_pool_hour', { stg_hours_from: ts(38), stg_hours_to: ts(42), stg_loaded_through: ts(HOURS) });
    expect(failed.map((f) => [f.name, f.rows])).toEqual([['assert_keys_unique', 1]]);
    expect(failed[0]!.sample[0]).toMatchObject({ table_name: 'stg_pool_hour', check_name: 'duplicate_key', pool_id: '0xcccc', hour_ts: new Date((H0 + 40 * 3600) * 1000).toISOString(), detail: '2 rows share source, pool_id and hour_ts' });
    // The next run over those hours rewrites them, and its findings replace the old ones.
    await runCompiledProject(wh, compiled, { fullRefresh: true });
    expect(await runAssertions(wh, compiled)).toEqual([]);
  });

  test('a null key, a null label and a non-finite feature in the mart', async () => {
    await wh.query("UPDATE `dex_anomaly.mart_pool_features_labeled` SET pool_id = NULL WHERE pool_id = '0xcccc' AND history_hours = 50");
    await wh.query(`UPDATE \`dex_anomaly.mart_pool_features_labeled\` SET y = NULL, ${FEATURE_NAMES[1]!} = 'inf'::DOUBLE WHERE pool_id = '0xdddd' AND history_hours = 60`);
    const failed = await postOps('mart_pool_features_labeled', { mart_rebuild_from: ts(45), mart_loaded_through: ts(HOURS) });
    expect(failed.map((f) => [f.name, f.rows])).toEqual([['assert_features_finite', 2]]);
    expect(failed[0]!.sample.map((r) => [r.pool_id, r.detail]).sort()).toEqual([
      [null, 'pool_id is null'],
      ['0xdddd', `y is null; ${FEATURE_NAMES[1]!} is not finite`],
    ]);
    await runCompiledProject(wh, compiled, { fullRefresh: true });
    expect(await runAssertions(wh, compiled)).toEqual([]);
  });

  test('a stale newest hour: more than freshness_max_hours (6) before the reference', async () => {
    const keepUpTo = async (h: number) => {
      await wh.query('DELETE FROM `dex_anomaly.stg_pool_hour` WHERE hour_ts > TIMESTAMP_SECONDS(@t)', { t: H0 + h * 3600 });
      return runAssertions(wh, compiled);
    };
    // The reference is hour 30: newest hour 24 is exactly 6 hours old and still fresh, 23 is stale.
    expect(await keepUpTo(HOURS - 6)).toEqual([]);
    const failed = await keepUpTo(HOURS - 7);
    const newest = new Date((H0 + (HOURS - 7) * 3600) * 1000).toISOString();
    expect(failed.map((f) => [f.name, f.rows, f.sample])).toEqual([['assert_freshness', 1, [{ newest_hour: newest }]]]);
    expect(failed[0]!.message).toBe(`assertion assert_freshness failed (The newest staged hour is recent: no more than freshness_max_hours before the reference time.): expected no rows, found 1 row: {"newest_hour":"${newest}"}`);
    await runCompiledProject(wh, compiled, { fullRefresh: true });
  });
});

describe('single sources of truth', () => {
  test('the Dataform include is generated from the feature spec (run npm run gen:dataform)', () => {
    expect(readFileSync(join(DATAFORM, 'includes', 'features.js'), 'utf8')).toBe(renderDataformInclude());
  });

  test('the raw columns follow the zod raw record', () => {
    expect(RAW_COLUMNS.map((c) => c.name)).toEqual(Object.keys(rawPoolHourSchema.shape));
  });

  test.each(['stg_pool_hour', 'mart_pool_features_labeled', 'assert_freshness', 'assert_features_finite', 'assert_keys_unique', 'assert_stg_numbers_parsed', 'transform_watermarks', 'transform_violations'])('compiled SQL of %s matches its golden file (npm run goldens:update rewrites)', (name) => {
    const action = [...compiled.tables, ...compiled.assertions].find((a) => a.target.name === name);
    const operation = compiled.operations.find((o) => o.target.name === name);
    const script = (parts: readonly string[]) => `${parts.map((p) => p.trim()).filter((p) => p !== '').join('\n;\n')}\n`;
    expect(action ?? operation).toBeDefined();
    if (operation) {
      expectGolden(join(REPO, 'test', 'fixtures', 'dataform', `${name}.sql`), script(operation.queries));
      return;
    }
    if (!action || !('preOps' in action)) {
      expectGolden(join(REPO, 'test', 'fixtures', 'dataform', `${name}.sql`), `${action!.query.trim()}\n`);
      return;
    }
    // A table: the script of a full build, and of an incremental run (pre-operations, SELECT, post-operations).
    expectGolden(join(REPO, 'test', 'fixtures', 'dataform', `${name}.sql`), script([...action.preOps, action.query, ...action.postOps]));
    expectGolden(join(REPO, 'test', 'fixtures', 'dataform', `${name}.incremental.sql`), script([...action.incrementalPreOps, action.incrementalQuery ?? action.query, ...action.incrementalPostOps]));
  });
});
