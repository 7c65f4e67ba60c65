import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localSources } from '../../../shared/config/sources';
import { FEATURE_NAMES } from '../../../shared/features/feature_spec';
import { loadAllManifests } from '../../../shared/load/load_all_manifests';
import { silentLogger } from '../../../shared/logging';
import { rawDataKey } from '../../../shared/raw/raw_layout';
import type { RawPoolHour } from '../../../shared/raw/raw_record';
import { writeHour } from '../../../shared/raw/write_hour';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { compileDataform, runAssertions, runCompiledProject, runScript, type CompiledProject } from '../../../shared/transform/run_dataform_locally';
import { typedLiteral } from '../../../shared/transform/sql_script';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

const H0 = Date.UTC(2026, 10, 1) / 1000;
const source = { ...localSources('http://127.0.0.1:1')[0]!, id: 'src' };
let compiled: CompiledProject;
let dir: string;
let wh: DuckDbWarehouse;

const row = (pool: string, h: number, over: Partial<RawPoolHour> = {}): RawPoolHour => ({
  entity_id: `${pool}-${h}`, pool_id: pool, hour_start_unix: H0 + h * 3600, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3',
  token0_id: '0x01', token0_symbol: 'A', token0_decimals: '18', token1_id: '0x02', token1_symbol: 'B', token1_decimals: '18', fee_tier: '3000',
  tvl_usd: '1000', volume_usd: '10', fees_usd: '0.03', volume_token0: '5', volume_token1: '5', tx_count: '2', token0_price: '1', token1_price: '1',
  open: '1', high: '1', low: '1', close: '1', liquidity: '1', reserve0: null, reserve1: null, block_number: 7, block_timestamp: H0 + h * 3600 + 3700, ...over,
});
const hour = (h: number, rows: RawPoolHour[]) => ({ hourStart: H0 + h * 3600, rows, quarantined: [], block: { number: 7, timestamp: 0, hash: '' }, pages: 1, duplicateRows: 0, hasIndexingErrors: false });

beforeAll(() => {
  compiled = compileDataform(resolve(__dirname, '..', '..', '..', 'dataform'));
}, 60_000);
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verified-'));
  wh = await DuckDbWarehouse.open();
});
afterEach(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stage(): Promise<Record<string, unknown>[]> {
  await runCompiledProject(wh, { ...compiled, tables: compiled.tables.filter((t) => t.target.name === 'stg_pool_hour'), assertions: [] });
  return wh.query('SELECT pool_id, UNIX_SECONDS(hour_ts) AS t FROM `dex_anomaly.stg_pool_hour` ORDER BY t, pool_id');
}

// Issue 10, point 3 (transform side): before, one corrupt object stopped the staging of every hour.
test('staging reads only verified hours: a corrupt hour is left out, the others are staged', async () => {
  const store = new LocalFolderStore(dir);
  for (let h = 0; h < 3; h++) await writeHour(store, source, hour(h, [row('0xaa', h)]), new Date());
  await writeHour(store, source, hour(3, [row('0xaa', 3)]), new Date());
  const data = (await store.read(rawDataKey(source.id, H0 + 3600)))!.data;
  await store.write(rawDataKey(source.id, H0 + 3600), data.subarray(0, 10));
  await ensureLocalRawView(wh, dir, true);
  const loaded = await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => ensureLocalRawView(wh, dir, true), now: () => new Date(), logger: silentLogger });
  expect([loaded.loaded, loaded.refused.length]).toEqual([3, 1]);
  expect(loaded.refused[0]!.message).toContain('hour 2026-11-01T01:00:00Z');
  // Hour 3's objects are in raw/ but its manifest is not loaded yet: not staged either.
  await wh.query('DELETE FROM `dex_ops.ingestion_log` WHERE UNIX_SECONDS(hour_ts) = @t', { t: H0 + 3 * 3600 });
  expect(await stage()).toEqual([{ pool_id: '0xaa', t: H0 }, { pool_id: '0xaa', t: H0 + 2 * 3600 }]);
});

test('a raw number that would not parse to a finite value of its column fails an assertion, naming the column', async () => {
  const store = new LocalFolderStore(dir);
  // Written past validation, as an older fetcher could have.
  await writeHour(store, source, hour(0, [row('0xaa', 0), row('0xbb', 0, { tx_count: '99999999999999999999' }), row('0xcc', 0, { volume_usd: '1e400', fee_tier: 'x' })]), new Date());
  await ensureLocalRawView(wh, dir, true);
  await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger });
  await stage();
  const failed = await runAssertions(wh, { ...compiled, assertions: compiled.assertions.filter((a) => a.target.name === 'assert_stg_numbers_parsed') });
  expect(failed.map((f) => [f.name, f.rows])).toEqual([['assert_stg_numbers_parsed', 2]]);
  expect(failed[0]!.sample.map((r) => [r.pool_id, r.detail]).sort()).toEqual([
    ['0xbb', 'tx_count is not an INT64'],
    ['0xcc', 'volume_usd is not a finite FLOAT64; fee_tier is not an INT64'],
  ]);
  // An hourly (incremental) run checks only the hour it stages; hour 0's findings stay until it is rewritten.
  await writeHour(store, source, hour(1, [row('0xaa', 1), row('0xdd', 1, { high: 'NaN' })]), new Date());
  await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger });
  expect((await stage()).length).toBe(5);
  const after = await runAssertions(wh, { ...compiled, assertions: compiled.assertions.filter((a) => a.target.name === 'assert_stg_numbers_parsed') });
  expect(after[0]!.sample.map((r) => `${String(r.pool_id)}@${String(r.hour_ts)}`).sort()).toEqual(['0xbb@2026-11-01T00:00:00.000Z', '0xcc@2026-11-01T00:00:00.000Z', '0xdd@2026-11-01T01:00:00.000Z']);
  // Hour 0 refetched clean: its findings go, hour 1's stay.
  await writeHour(store, source, hour(0, [row('0xaa', 0), row('0xbb', 0), row('0xcc', 0)]), new Date(Date.now() + 60_000));
  await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(Date.now() + 60_000), logger: silentLogger });
  await stage();
  const healed = await runAssertions(wh, { ...compiled, assertions: compiled.assertions.filter((a) => a.target.name === 'assert_stg_numbers_parsed') });
  expect(healed.map((f) => [f.rows, f.sample[0]?.pool_id])).toEqual([[1, '0xdd']]);
});

// Issue 10, point 5 (mart side): before, the mart asserted non-null only.
test('the mart check flags a NaN, an infinite or a missing feature, for every feature of the include', async () => {
  const mart = compiled.tables.find((t) => t.target.name === 'mart_pool_features_labeled')!;
  for (const name of FEATURE_NAMES) expect(mart.postOps.join('\n')).toContain(`(${name} BETWEEN`);
  await runCompiledProject(wh, { ...compiled, tables: [], assertions: [] });
  await wh.query(`CREATE TABLE dex_anomaly.mart_pool_features_labeled (source VARCHAR, pool_id VARCHAR, hour_ts TIMESTAMP, y BOOLEAN, is_warm BOOLEAN, is_data_error BOOLEAN, is_data_error_now BOOLEAN, ${FEATURE_NAMES.map((n) => `${n} DOUBLE`).join(', ')})`);
  const insert = (pool: string, values: string[]) => wh.query(`INSERT INTO dex_anomaly.mart_pool_features_labeled VALUES ('s', '${pool}', TIMESTAMP '2026-11-01 00:00:00', false, true, false, false, ${values.join(', ')})`);
  const finite = FEATURE_NAMES.map((_, i) => String(i - 3.5));
  await insert('ok', finite);
  await insert('inf', finite.map((v, i) => (i === 1 ? "'inf'::DOUBLE" : v)));
  await insert('nan', finite.map((v, i) => (i === FEATURE_NAMES.length - 1 ? "'nan'::DOUBLE" : v)));
  await insert('null', finite.map((v, i) => (i === 0 ? 'NULL' : v)));
  await insert('huge', finite.map((v, i) => (i === 2 ? '1.7e308' : v)));
  // A full build's post-operations: every hour is checked.
  await runScript(wh, mart.postOps, new Map([['mart_rebuild_from', typedLiteral('TIMESTAMP', '1970-01-01 00:00:00')], ['mart_loaded_through', typedLiteral('TIMESTAMP', null)]]));
  const failed = await runAssertions(wh, { ...compiled, assertions: compiled.assertions.filter((a) => a.target.name === 'assert_features_finite') });
  expect(failed[0]!.rows).toBe(3);
  expect(failed[0]!.sample.map((r) => [r.pool_id, r.detail]).sort()).toEqual([
    ['inf', `${FEATURE_NAMES[1]!} is not finite`],
    ['nan', `${FEATURE_NAMES.at(-1)!} is not finite`],
    ['null', `${FEATURE_NAMES[0]!} is not finite`],
  ]);
});
