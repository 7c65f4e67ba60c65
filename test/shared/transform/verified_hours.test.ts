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
import { compileDataform, runCompiledProject, type CompiledProject } from '../../../shared/transform/run_dataform_locally';
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
const run = (name: string): string => [...compiled.tables, ...compiled.assertions].find((a) => a.target.name === name)!.query;

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

test('a raw number that would not parse to a finite value of its column fails an assertion', async () => {
  const store = new LocalFolderStore(dir);
  // Written past validation, as an older fetcher could have.
  await writeHour(store, source, hour(0, [row('0xaa', 0), row('0xbb', 0, { tx_count: '99999999999999999999' }), row('0xcc', 0, { volume_usd: '1e400' })]), new Date());
  await ensureLocalRawView(wh, dir, true);
  await loadAllManifests({ store, warehouse: wh, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger });
  expect(await wh.query(`SELECT pool_id FROM (${run('assert_stg_numbers_parsed')}) ORDER BY pool_id`)).toEqual([{ pool_id: '0xbb' }, { pool_id: '0xcc' }]);
});

// Issue 10, point 5 (mart side): before, the mart asserted non-null only.
test('the mart assertion flags a NaN, an infinite or a missing feature, for every feature of the include', async () => {
  const query = run('assert_features_finite');
  for (const name of FEATURE_NAMES) expect(query).toContain(`(${name} BETWEEN`);
  await wh.query('CREATE SCHEMA IF NOT EXISTS dex_anomaly');
  await wh.query(`CREATE TABLE dex_anomaly.mart_pool_features_labeled (source VARCHAR, pool_id VARCHAR, hour_ts TIMESTAMP, ${FEATURE_NAMES.map((n) => `${n} DOUBLE`).join(', ')})`);
  const insert = (pool: string, values: string[]) => wh.query(`INSERT INTO dex_anomaly.mart_pool_features_labeled VALUES ('s', '${pool}', TIMESTAMP '2026-11-01 00:00:00', ${values.join(', ')})`);
  const finite = FEATURE_NAMES.map((_, i) => String(i - 3.5));
  await insert('ok', finite);
  await insert('inf', finite.map((v, i) => (i === 1 ? "'inf'::DOUBLE" : v)));
  await insert('nan', finite.map((v, i) => (i === FEATURE_NAMES.length - 1 ? "'nan'::DOUBLE" : v)));
  await insert('null', finite.map((v, i) => (i === 0 ? 'NULL' : v)));
  await insert('huge', finite.map((v, i) => (i === 2 ? '1.7e308' : v)));
  expect((await wh.query(`SELECT pool_id FROM (${query}) ORDER BY pool_id`)).map((r) => r.pool_id)).toEqual(['inf', 'nan', 'null']);
});
