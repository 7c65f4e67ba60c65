import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSources } from '../../../shared/config/sources';
import { InvalidInputError } from '../../../shared/errors';
import { loadManifest } from '../../../shared/load/load_manifest';
import { memoryLogger } from '../../../shared/logging';
import { manifestKey, rawDataKey } from '../../../shared/raw/raw_layout';
import { writeHour } from '../../../shared/raw/write_hour';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import type { HourFetch } from '../../../shared/subgraph/fetch_hour';

const source = localSources('http://127.0.0.1:1')[0]!;
const HOUR = Date.UTC(2026, 10, 24, 7) / 1000;
let dir: string;

const fetched = (volume: string): HourFetch => ({
  hourStart: HOUR,
  rows: [{ entity_id: `0xaa-${HOUR / 3600}`, pool_id: '0xaa', hour_start_unix: HOUR, dex: 'uniswap', chain: 'ethereum', kind: 'uniswap-v3', token0_id: '0x1', token0_symbol: 'A', token0_decimals: '18', token1_id: '0x2', token1_symbol: 'B', token1_decimals: '18', fee_tier: '500', tvl_usd: '1000', volume_usd: volume, fees_usd: '0.5', volume_token0: '1', volume_token1: '1', tx_count: '3', token0_price: '1', token1_price: '1', open: '1', high: '1', low: '1', close: '1', liquidity: '1', reserve0: null, reserve1: null, block_number: 9, block_timestamp: HOUR + 3700 }],
  quarantined: [],
  block: { number: 9, timestamp: HOUR + 3700, hash: '0x9' },
  pages: 1,
  duplicateRows: 0,
  hasIndexingErrors: false,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadManifest', () => {
  const setup = async () => {
    const store = new LocalFolderStore(dir);
    const warehouse = await DuckDbWarehouse.open();
    const { ensureLocalRawView } = await import('../../../shared/transform/local_raw_view');
    const deps = { store, warehouse, ensureRawTable: () => ensureLocalRawView(warehouse, dir, true), now: () => new Date(), logger: memoryLogger() };
    return { store, warehouse, deps };
  };

  test('after a load the raw rows are queryable and the log has the hour', async () => {
    const { store, warehouse, deps } = await setup();
    await writeHour(store, source, fetched('42'), new Date());
    const result = await loadManifest(deps, manifestKey(source.id, HOUR));
    expect(result).toMatchObject({ status: 'loaded', source: source.id, hour: '2026-11-24T07:00:00.000Z', rows: 1 });
    expect(await warehouse.query('SELECT pool_id, volume_usd, source, hour FROM `dex_raw.raw_pool_hour`')).toEqual([{ pool_id: '0xaa', volume_usd: '42', source: source.id, hour: 7 }]); // hour: a typed partition column (BIGINT), so hour filters prune
    await warehouse.close();
  });

  test('objects that do not match the manifest are a permanent error (a retry cannot cure it); other keys are ignored', async () => {
    const { store, warehouse, deps } = await setup();
    await writeHour(store, source, fetched('42'), new Date());
    await store.write(rawDataKey(source.id, HOUR), Buffer.from('tampered'));
    const err = await loadManifest(deps, manifestKey(source.id, HOUR)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).retryable).toBe(false);
    expect((err as Error).message).toContain(`${rawDataKey(source.id, HOUR)} has SHA-256 ${createHash('sha256').update('tampered').digest('hex')}, manifest ${manifestKey(source.id, HOUR)} names`);
    expect(await loadManifest(deps, rawDataKey(source.id, HOUR))).toEqual({ status: 'ignored', key: rawDataKey(source.id, HOUR) });
    await warehouse.close();
  });

  test('an invalid manifest is refused, naming the problem', async () => {
    const { store, warehouse, deps } = await setup();
    await store.write(manifestKey(source.id, HOUR), Buffer.from('{"schema_version": 2}'));
    await expect(loadManifest(deps, manifestKey(source.id, HOUR))).rejects.toThrow(`manifest ${manifestKey(source.id, HOUR)} is invalid`);
    await warehouse.close();
  });

  test('a manifest replaced by a newer fetch of the hour is skipped', async () => {
    const { store, warehouse, deps } = await setup();
    await writeHour(store, source, fetched('42'), new Date());
    const oldManifest = (await store.read(manifestKey(source.id, HOUR)))!.data;
    await writeHour(store, source, fetched('43'), new Date());
    // The event of the old manifest arrives late: its data object no longer matches, the manifest changed.
    const staleStore = Object.assign(Object.create(store) as LocalFolderStore, {
      reads: 0,
      async read(this: LocalFolderStore & { reads: number }, key: string) {
        if (key === manifestKey(source.id, HOUR) && this.reads++ === 0) return { data: oldManifest, generation: '1' };
        return store.read(key);
      },
    });
    expect(await loadManifest({ ...deps, store: staleStore }, manifestKey(source.id, HOUR))).toEqual({ status: 'superseded', key: manifestKey(source.id, HOUR) });
    await warehouse.close();
  });
});

describe('ingestion_log: one row per source and hour, naming its current manifest', () => {
  const open = async () => {
    const store = new LocalFolderStore(dir);
    const warehouse = await DuckDbWarehouse.open();
    const { ensureLocalRawView } = await import('../../../shared/transform/local_raw_view');
    let clock = Date.parse('2026-11-24T08:10:00Z');
    const deps = { store, warehouse, ensureRawTable: () => ensureLocalRawView(warehouse, dir, true), now: () => new Date((clock += 60_000)), logger: memoryLogger() };
    const log = () => warehouse.query('SELECT source, hour_ts, manifest_sha256, rows, loaded_at FROM `dex_ops.ingestion_log` ORDER BY hour_ts');
    return { store, warehouse, deps, log };
  };
  const twoRows = (volume: string): HourFetch => ({ ...fetched(volume), rows: [fetched(volume).rows[0]!, { ...fetched(volume).rows[0]!, entity_id: 'b', pool_id: '0xbb' }] });

  test('a refetch that changed the hour replaces its row; per-hour sums count it once', async () => {
    // Issue 10, point 2: before, this left two rows for the hour (1 + 2 rows summed to 3).
    const { store, warehouse, deps, log } = await open();
    await writeHour(store, source, fetched('42'), new Date('2026-11-24T08:05:00Z'));
    await loadManifest(deps, manifestKey(source.id, HOUR));
    await writeHour(store, source, twoRows('43'), new Date('2026-11-24T09:05:00Z'));
    const second = await loadManifest(deps, manifestKey(source.id, HOUR));
    const rows = await log();
    expect(rows.map((r) => [r.hour_ts, r.rows, r.manifest_sha256])).toEqual([['2026-11-24T07:00:00.000Z', 2, (second as { manifestSha256: string }).manifestSha256]]);
    expect(await warehouse.query('SELECT source, SUM(rows) AS rows FROM `dex_ops.ingestion_log` GROUP BY source')).toEqual([{ source: source.id, rows: 2 }]);
    await warehouse.close();
  });

  test('a refetch of unchanged data, and a redelivered event, change nothing', async () => {
    const { store, warehouse, deps, log } = await open();
    await writeHour(store, source, fetched('42'), new Date('2026-11-24T08:05:00Z'));
    await loadManifest(deps, manifestKey(source.id, HOUR));
    const before = await log();
    const manifestBefore = await store.read(manifestKey(source.id, HOUR));
    // fetched_at differs, the data does not: the stored hour is left as it was.
    await writeHour(store, source, fetched('42'), new Date('2026-11-24T10:05:00Z'));
    expect(await store.read(manifestKey(source.id, HOUR))).toEqual(manifestBefore);
    await loadManifest(deps, manifestKey(source.id, HOUR));
    await loadManifest(deps, manifestKey(source.id, HOUR));
    expect(await log()).toEqual(before);
    expect(before).toHaveLength(1);
    await warehouse.close();
  });
});
