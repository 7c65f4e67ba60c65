import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSources } from '../../../shared/config/sources';
import { loadAllManifests } from '../../../shared/load/load_all_manifests';
import { silentLogger } from '../../../shared/logging';
import { manifestKey, rawDataKey, repairMarkerKey } from '../../../shared/raw/raw_layout';
import { sha256Hex } from '../../../shared/raw/verify_hour';
import { writeHour } from '../../../shared/raw/write_hour';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import type { ObjectStore } from '../../../shared/storage/object_store';
import type { HourFetch } from '../../../shared/subgraph/fetch_hour';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import type { Warehouse } from '../../../shared/warehouse/warehouse';

const [uni, sushi] = localSources('http://127.0.0.1:1');
const FIRST = Date.UTC(2026, 10, 24, 0) / 1000;
let dir: string;

const hourOf = (hourStart: number, volume: string): HourFetch => ({
  hourStart,
  rows: [{ entity_id: `0xaa-${hourStart / 3600}`, pool_id: '0xaa', hour_start_unix: hourStart, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3', token0_id: '0x1', token0_symbol: 'A', token0_decimals: '18', token1_id: '0x2', token1_symbol: 'B', token1_decimals: '18', fee_tier: '500', tvl_usd: '1000', volume_usd: volume, fees_usd: '0.5', volume_token0: '1', volume_token1: '1', tx_count: '3', token0_price: '1', token1_price: '1', open: '1', high: '1', low: '1', close: '1', liquidity: '1', reserve0: null, reserve1: null, block_number: 9, block_timestamp: hourStart + 3700 }],
  quarantined: [],
  block: { number: 9, timestamp: hourStart + 3700, hash: '0x9' },
  pages: 1,
  duplicateRows: 0,
  hasIndexingErrors: false,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-all-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Seven hours of two sources, one with a tampered data object and one with an invalid manifest. */
async function storeWithTroubles(root: string): Promise<LocalFolderStore> {
  const store = new LocalFolderStore(root);
  for (let k = 0; k < 7; k++) {
    await writeHour(store, uni!, hourOf(FIRST + k * 3600, String(40 + k)), new Date('2026-11-24T09:00:00Z'));
    await writeHour(store, sushi!, hourOf(FIRST + k * 3600, String(50 + k)), new Date('2026-11-24T09:00:00Z'));
  }
  await store.write(rawDataKey(uni!.id, FIRST + 2 * 3600), Buffer.from('tampered'));
  await store.write(manifestKey(sushi!.id, FIRST + 5 * 3600), Buffer.from('{"schema_version": 2}'));
  return store;
}

async function loadAll(root: string, store: ObjectStore, warehouse: Warehouse, batchSize: number) {
  const done: string[] = [];
  const result = await loadAllManifests({ store, warehouse, ensureRawTable: () => ensureLocalRawView(warehouse, root, true), now: () => new Date('2026-11-24T10:00:00Z'), logger: silentLogger }, (key) => done.push(key), { batchSize });
  const log = await warehouse.query('SELECT source, hour_ts, manifest_sha256, rows, loaded_at FROM `dex_ops.ingestion_log` ORDER BY source, hour_ts');
  return { result, done, log };
}

/** The same DuckDB warehouse without the many-keys replace: loadAllManifests goes one manifest at a time. */
function oneKeyAtATime(wh: DuckDbWarehouse): Warehouse {
  return { dialect: wh.dialect, query: (s, p) => wh.query(s, p), stream: (s, p) => wh.stream(s, p), ensureTable: (t) => wh.ensureTable(t), replaceRows: (t, k, r) => wh.replaceRows(t, k, r), exposeRawLayer: (u) => wh.exposeRawLayer(u), close: () => wh.close() };
}

test('batches load what one manifest at a time loads: the same log, the same refusals, the same repair marks', async () => {
  const outcomes = [];
  for (const [name, batchSize] of [['one-by-one', 1], ['batches of 3', 3], ['one batch', 100]] as const) {
    const root = join(dir, name);
    const store = await storeWithTroubles(root);
    const wh = await DuckDbWarehouse.open();
    const first = await loadAll(root, store, name === 'one-by-one' ? oneKeyAtATime(wh) : wh, batchSize);
    // A second run (a rerun of the pipeline) changes nothing in the log.
    const again = await loadAll(root, store, name === 'one-by-one' ? oneKeyAtATime(wh) : wh, batchSize);
    expect(again.log).toEqual(first.log);
    const marked = await Promise.all([repairMarkerKey(uni!.id, FIRST + 2 * 3600), repairMarkerKey(sushi!.id, FIRST + 5 * 3600)].map(async (k) => (await store.read(k)) !== null));
    // Each row names its hour's current manifest (whose bytes differ between stores: generations).
    for (const r of first.log) {
      const hour = Date.parse(String(r.hour_ts)) / 1000;
      expect(r.manifest_sha256).toBe(sha256Hex((await store.read(manifestKey(String(r.source), hour)))!.data));
    }
    outcomes.push({ result: first.result, done: first.done, log: first.log.map((r) => ({ ...r, manifest_sha256: 'checked above' })), marked });
    await wh.close();
  }
  const [single, ...batched] = outcomes;
  expect(single!.result.loaded).toBe(12);
  expect(single!.result.refused.map((r) => r.key)).toEqual([manifestKey(sushi!.id, FIRST + 5 * 3600), manifestKey(uni!.id, FIRST + 2 * 3600)]);
  expect(single!.log).toHaveLength(12);
  expect(single!.marked).toEqual([true, true]);
  expect(single!.done).toHaveLength(14);
  for (const b of batched) expect(b).toEqual(single);
});

test('a manifest replaced by a newer fetch while its batch loads ends logged as the newer one', async () => {
  const store = new LocalFolderStore(dir);
  for (let k = 0; k < 4; k++) await writeHour(store, uni!, hourOf(FIRST + k * 3600, String(40 + k)), new Date('2026-11-24T09:00:00Z'));
  const raced = manifestKey(uni!.id, FIRST + 3600);
  let reads = 0;
  // The hour is refetched with other data between the batch's verification and its check afterwards.
  const racing: ObjectStore = Object.assign(Object.create(store) as LocalFolderStore, {
    async read(key: string) {
      if (key === raced && ++reads === 2) await writeHour(store, uni!, hourOf(FIRST + 3600, '99'), new Date('2026-11-24T09:30:00Z'));
      return store.read(key);
    },
  });
  const wh = await DuckDbWarehouse.open();
  const { result, log } = await loadAll(dir, racing, wh, 10);
  expect(reads).toBeGreaterThanOrEqual(3);
  expect(result).toEqual({ loaded: 4, superseded: 0, refused: [] });
  const current = sha256Hex((await store.read(raced))!.data);
  expect(log.map((r) => r.manifest_sha256)[1]).toBe(current);
  expect(log).toHaveLength(4);
  expect(await wh.query('SELECT volume_usd FROM `dex_raw.raw_pool_hour` ORDER BY hour_start_unix')).toEqual([{ volume_usd: '40' }, { volume_usd: '99' }, { volume_usd: '42' }, { volume_usd: '43' }]);
  await wh.close();
});
