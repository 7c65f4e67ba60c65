import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources, type Source } from '../../../shared/config/sources';
import { backfill } from '../../../shared/fetch/backfill';
import { runFetch } from '../../../shared/fetch/run_fetch';
import { loadManifest } from '../../../shared/load/load_manifest';
import { silentLogger } from '../../../shared/logging';
import { CorruptHourError } from '../../../shared/raw/corrupt_hour_error';
import { hourManifestSchema } from '../../../shared/raw/hour_manifest';
import { manifestKey, rawDataKey, repairMarkerKey } from '../../../shared/raw/raw_layout';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { ensureLocalRawView } from '../../../shared/transform/local_raw_view';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { smallMarket, TEST_END_HOUR, NO_RETRY } from '../../helpers/local_subgraph';

// Issue 10, point 3: before, each of these answered a retryable "not ready" on every load, forever.
const NOW = new Date((TEST_END_HOUR + HOUR_SECONDS + 600) * 1000);
const FIRST = TEST_END_HOUR - 2 * HOUR_SECONDS;
const BROKEN = TEST_END_HOUR - HOUR_SECONDS;

let sg: LocalSubgraph;
let source: Source;
beforeAll(async () => {
  sg = await startLocalSubgraph({ market: smallMarket(4, 10, 1) });
  source = localSources(`http://127.0.0.1:${sg.port}`)[0]!;
});
afterAll(async () => {
  await sg.close();
});

type Breakage = (store: LocalFolderStore) => Promise<void>;
const replaceData = (change: (data: Buffer) => Buffer): Breakage => async (store) => {
  const key = rawDataKey(source.id, BROKEN);
  await store.write(key, change((await store.read(key))!.data));
};
const breakages: [string, string, Breakage][] = [
  ['a truncated gzip', 'sha-mismatch', replaceData((d) => d.subarray(0, Math.floor(d.length / 2)))],
  ['flipped bytes', 'sha-mismatch', replaceData((d) => Buffer.from(d.map((b, i) => (i === 20 ? b ^ 0xff : b))))],
  ['valid gzip of other rows', 'sha-mismatch', replaceData(() => gzipSync('{"entity_id":"x"}\n'))],
  ['a wrong SHA in the manifest', 'sha-mismatch', async (store) => {
    const key = manifestKey(source.id, BROKEN);
    const m = hourManifestSchema.parse(JSON.parse((await store.read(key))!.data.toString('utf8')));
    await store.write(key, Buffer.from(JSON.stringify({ ...m, objects: m.objects.map((o) => ({ ...o, sha256: '0'.repeat(64) })) })));
  }],
  ['a missing object', 'object-missing', (store) => store.delete(rawDataKey(source.id, BROKEN))],
  ['an invalid manifest', 'manifest-invalid', async (store) => { await store.write(manifestKey(source.id, BROKEN), Buffer.from('{"schema_version": 1')); }],
];

describe.each(['fetch run', 'backfill'])('healed by the next %s', (healer) => {
  test.each(breakages)('%s: load refuses it as permanent, marks it, and one more run heals it', async (_what, problem, breakIt) => {
    const dir = mkdtempSync(join(tmpdir(), 'heal-'));
    const store = new LocalFolderStore(dir);
    const warehouse = await DuckDbWarehouse.open();
    const client = createSubgraphClient(source.id, (source.endpoint as { url: string }).url);
    const fetchOnce = () => runFetch([source], { store, clientFor: () => Promise.resolve(client), now: () => NOW, logger: silentLogger, ...NO_RETRY }, { maxHoursPerSource: 24, startHour: FIRST });
    const loadDeps = { store, warehouse, ensureRawTable: () => ensureLocalRawView(warehouse, dir, true), now: () => NOW, logger: silentLogger };
    try {
      expect((await fetchOnce()).sources[0]!.fetched.map((h) => h.hour)).toEqual([FIRST, BROKEN, TEST_END_HOUR].map((h) => new Date(h * 1000).toISOString()));
      await breakIt(store);

      const err = await loadManifest(loadDeps, manifestKey(source.id, BROKEN)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptHourError);
      expect([(err as CorruptHourError).retryable, (err as CorruptHourError).problem]).toEqual([false, problem]);
      expect(JSON.parse((await store.read(repairMarkerKey(source.id, BROKEN)))!.data.toString('utf8'))).toMatchObject({ source: source.id, hour_start_unix: BROKEN });
      // The other hours load, and raw/ stays queryable: an undecodable object was moved to corrupt/.
      expect(await loadManifest(loadDeps, manifestKey(source.id, FIRST))).toMatchObject({ status: 'loaded' });
      const [count] = await warehouse.query('SELECT COUNT(*) AS n FROM `dex_raw.raw_pool_hour` WHERE hour_start_unix = @h', { h: FIRST });
      expect(Number(count!.n)).toBeGreaterThan(0);

      if (healer === 'fetch run') {
        const second = await fetchOnce();
        expect(second.sources[0]!.fetched.map((h) => [h.hour, h.repair])).toEqual([[new Date(BROKEN * 1000).toISOString(), true]]);
      } else {
        const result = await backfill(source, [FIRST, BROKEN, TEST_END_HOUR], { store, client, now: () => NOW, ...NO_RETRY });
        expect([result.done, result.skipped]).toEqual([3, 2]);
      }
      expect(await store.read(repairMarkerKey(source.id, BROKEN))).toBeNull();
      expect(await loadManifest(loadDeps, manifestKey(source.id, BROKEN))).toMatchObject({ status: 'loaded', hour: new Date(BROKEN * 1000).toISOString() });
      // Healed for good: a further run has nothing to repair.
      expect((await fetchOnce()).sources[0]!.fetched).toEqual([]);
    } finally {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
