import { localSources } from '../../../shared/config/sources';
import { PreconditionFailedError } from '../../../shared/errors';
import { decodeJsonlGzip } from '../../../shared/raw/jsonl_gzip';
import { manifestKey, parseManifestKey, quarantineKey, rawDataKey } from '../../../shared/raw/raw_layout';
import { advanceWatermark, readWatermark } from '../../../shared/raw/watermark';
import { verifyHour } from '../../../shared/raw/verify_hour';
import { commitHour, MAX_COMMIT_ROUNDS, writeHour } from '../../../shared/raw/write_hour';
import { MemoryStore } from '../../../shared/storage/memory_store';
import type { WriteOptions } from '../../../shared/storage/object_store';
import type { HourFetch } from '../../../shared/subgraph/fetch_hour';

const source = localSources('http://127.0.0.1:1')[0]!;
const HOUR = Date.UTC(2026, 10, 24, 7) / 1000;
const fetched = (rows: number, quarantined: number): HourFetch => ({
  hourStart: HOUR,
  rows: Array.from({ length: rows }, (_, i) => ({ entity_id: `0xp${i}-${HOUR / 3600}` }) as never),
  quarantined: Array.from({ length: quarantined }, () => ({ reason: "field 'tvlUSD': must be a decimal number string", row: { id: 'bad' } })),
  block: { number: 100, timestamp: HOUR + 3700, hash: '0xabc' },
  pages: 1,
  duplicateRows: 2,
  hasIndexingErrors: false,
});

test('hive keys for data, quarantine and manifest; manifest keys parse back', () => {
  expect(rawDataKey('uni', HOUR)).toBe('raw/source=uni/dt=2026-11-24/hour=07/part-00000.jsonl.gz');
  expect(quarantineKey('uni', HOUR)).toBe('quarantine/source=uni/dt=2026-11-24/hour=07/part-00000.jsonl.gz');
  expect(parseManifestKey(manifestKey('uni', HOUR))).toEqual({ sourceId: 'uni', hourStart: HOUR });
  expect(parseManifestKey('raw/source=uni/dt=2026-11-24/hour=07/part-00000.jsonl.gz')).toBeUndefined();
});

test('the manifest is written last and describes what was written', async () => {
  const store = new MemoryStore();
  const order: string[] = [];
  const write = store.write.bind(store);
  store.write = (key: string, data: Buffer, options?: WriteOptions) => {
    order.push(key.split('/')[0]!);
    return write(key, data, options);
  };
  const manifest = await writeHour(store, source, fetched(3, 1), new Date('2026-11-24T08:05:00Z'));
  expect(order).toEqual(['raw', 'quarantine', 'manifests']);
  expect(manifest).toMatchObject({ rows: 3, quarantined_rows: 1, duplicate_rows: 2, block_number: 100, hour_start: '2026-11-24T07:00:00.000Z', fetched_at: '2026-11-24T08:05:00.000Z' });
  expect(manifest.objects.map((o) => [o.role, o.rows])).toEqual([['data', 3], ['quarantine', 1]]);
  const data = await store.read(rawDataKey(source.id, HOUR));
  expect(manifest.objects[0]!.generation).toBe(data!.generation);
  expect(decodeJsonlGzip(data!.data)).toHaveLength(3);
});

test('a rerun without bad rows removes the old quarantine part; an empty hour is still written', async () => {
  const store = new MemoryStore();
  await writeHour(store, source, fetched(3, 1), new Date());
  await writeHour(store, source, fetched(0, 0), new Date());
  expect(await store.read(quarantineKey(source.id, HOUR))).toBeNull();
  expect(decodeJsonlGzip((await store.read(rawDataKey(source.id, HOUR)))!.data)).toEqual([]);
});

test('the watermark only moves forward, and a racing writer cannot move it back', async () => {
  const store = new MemoryStore();
  await advanceWatermark(store, 'uni', HOUR, new Date());
  await advanceWatermark(store, 'uni', HOUR - 3600, new Date());
  expect((await readWatermark(store, 'uni')).watermark!.last_complete_hour_unix).toBe(HOUR);
  await Promise.all([advanceWatermark(store, 'uni', HOUR + 3600, new Date()), advanceWatermark(store, 'uni', HOUR + 7200, new Date())]);
  expect((await readWatermark(store, 'uni')).watermark!.last_complete_hour_unix).toBe(HOUR + 7200);
});

test('a watermark that keeps changing under the writer gives up with a conflict', async () => {
  const store = new MemoryStore();
  store.write = () => Promise.reject(new PreconditionFailedError('raced'));
  await expect(advanceWatermark(store, 'uni', HOUR, new Date())).rejects.toThrow("watermark of 'uni' kept changing");
});

describe('commitHour', () => {
  const withRows = (n: number, block = 100): HourFetch => ({ ...fetched(n, 0), block: { number: block, timestamp: HOUR + 3700, hash: '0xabc' }, rows: Array.from({ length: n }, (_, i) => ({ entity_id: `0xp${i}`, block_number: block }) as never) });

  test('writing the same data again writes nothing and says unchanged; new data says written', async () => {
    const store = new MemoryStore();
    expect((await commitHour(store, source, withRows(2), new Date('2026-11-24T08:05:00Z'))).outcome).toBe('written');
    const before = await store.list('');
    const again = await commitHour(store, source, withRows(2), new Date('2026-11-24T09:05:00Z'));
    expect([again.outcome, again.manifest.fetched_at]).toEqual(['unchanged', '2026-11-24T08:05:00.000Z']);
    expect(await store.list('')).toEqual(before);
    expect((await commitHour(store, source, withRows(2, 101), new Date())).outcome).toBe('written');
  });

  test('an hour whose data another writer keeps replacing gives up with a retryable conflict', async () => {
    const store = new MemoryStore();
    const write = store.write.bind(store);
    // After each manifest write, a rogue writer replaces the data part.
    store.write = async (key: string, data: Buffer, options?: WriteOptions) => {
      const result = await write(key, data, options);
      if (key.startsWith('manifests/')) await write(rawDataKey(source.id, HOUR), Buffer.from(`rogue ${Math.random()}`));
      return result;
    };
    const err = await commitHour(store, source, withRows(1), new Date(), { pause: () => Promise.resolve() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect((err as PreconditionFailedError).retryable).toBe(true);
    expect((err as Error).message).toBe(`hour 2026-11-24T07:00:00.000Z of '${source.id}' kept changing under concurrent writers; gave up after ${MAX_COMMIT_ROUNDS} rounds`);
  });

  test('an hour whose manifest and data disagree is rewritten, even with the same data', async () => {
    const store = new MemoryStore();
    await commitHour(store, source, withRows(2), new Date());
    await store.write(rawDataKey(source.id, HOUR), Buffer.from('broken'));
    expect((await verifyHour(store, source.id, HOUR)).ok).toBe(false);
    expect((await commitHour(store, source, withRows(2), new Date())).outcome).toBe('written');
    expect((await verifyHour(store, source.id, HOUR, { decode: true })).ok).toBe(true);
  });
});
