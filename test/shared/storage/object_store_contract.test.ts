import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreconditionFailedError } from '../../../shared/errors';
import { GcsStore } from '../../../shared/storage/gcs_store';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { MemoryStore } from '../../../shared/storage/memory_store';
import type { ObjectStore } from '../../../shared/storage/object_store';
import { openObjectStore } from '../../../shared/storage/open_store';
import { FakeGcs } from '../../helpers/fake_gcs';

const gcs = new FakeGcs();
beforeAll(async () => {
  await gcs.start();
});
afterAll(async () => {
  await gcs.stop();
});

let counter = 0;
/** Each adapter opens a store, and a second handle on the same objects (another instance or process would). */
const adapters: [string, () => { store: ObjectStore; twin: () => ObjectStore }][] = [
  ['memory', () => { const store = new MemoryStore(`memory://contract-${counter++}`); return { store, twin: () => store }; }],
  ['local folder', () => { const root = mkdtempSync(join(tmpdir(), 'store-')); return { store: new LocalFolderStore(root), twin: () => new LocalFolderStore(root) }; }],
  ['GCS (loopback API)', () => {
    const prefix = `p${counter++}`;
    const open = () => new GcsStore('gs://raw-bucket/p', 'raw-bucket', prefix, { apiEndpoint: gcs.endpoint, projectId: 'test-project' });
    return { store: open(), twin: open };
  }],
];

describe.each(adapters)('ObjectStore contract: %s', (_name, make) => {
  let store: ObjectStore;
  let twin: () => ObjectStore;
  beforeEach(() => {
    ({ store, twin } = make());
  });

  // Issue 10, point 1: before, two folder-store instances could both pass the same precondition.
  test('of many writers on separate handles with the same generation, exactly one wins, every round', async () => {
    for (let round = 0; round < 5; round++) {
      const { generation } = await store.write('race.json', Buffer.from(`round ${round}`));
      const writers = [store, ...Array.from({ length: 5 }, twin)];
      const results = await Promise.allSettled(writers.map((w, i) => w.write('race.json', Buffer.from(`writer ${i}`), { ifGenerationMatch: generation })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(PreconditionFailedError);
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      expect((await twin().read('race.json'))!.data.toString()).toBe(`writer ${winner}`);
    }
  });

  test('list shows exactly the objects written: no temporary or lock files', async () => {
    await Promise.all(['a/1', 'a/2', 'b/3'].map((k) => twin().write(k, Buffer.from(k), { ifGenerationMatch: '0' })));
    await store.delete('a/2');
    expect((await store.list('')).map((o) => o.key)).toEqual(['a/1', 'b/3']);
  });

  test('a missing object reads as null', async () => {
    expect(await store.read('raw/none.json')).toBeNull();
  });

  test('write then read returns the bytes and the generation', async () => {
    const { generation } = await store.write('raw/a/b.bin', Buffer.from([0, 1, 2, 255]));
    const got = await store.read('raw/a/b.bin');
    expect(got).toEqual({ data: Buffer.from([0, 1, 2, 255]), generation });
    expect(generation).not.toBe('0');
  });

  test('an overwrite changes the generation', async () => {
    const first = await store.write('k.txt', Buffer.from('one'));
    const second = await store.write('k.txt', Buffer.from('two'));
    expect(second.generation).not.toBe(first.generation);
    expect((await store.read('k.txt'))!.data.toString()).toBe('two');
  });

  test("ifGenerationMatch '0' creates only when absent", async () => {
    await store.write('once.txt', Buffer.from('first'), { ifGenerationMatch: '0' });
    await expect(store.write('once.txt', Buffer.from('second'), { ifGenerationMatch: '0' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.read('once.txt'))!.data.toString()).toBe('first');
  });

  test('ifGenerationMatch lets exactly one of two racing writers win', async () => {
    const { generation } = await store.write('wm.json', Buffer.from('0'));
    const results = await Promise.allSettled([
      store.write('wm.json', Buffer.from('A'), { ifGenerationMatch: generation }),
      store.write('wm.json', Buffer.from('B'), { ifGenerationMatch: generation }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected')!;
    expect(rejected.reason).toBeInstanceOf(PreconditionFailedError);
    expect(['A', 'B']).toContain((await store.read('wm.json'))!.data.toString());
  });

  test('list returns the objects under a prefix, sorted, with sizes', async () => {
    await store.write('raw/source=x/dt=2026-11-24/hour=23/part-00000.jsonl.gz', Buffer.from('abc'));
    await store.write('raw/source=x/dt=2026-11-24/hour=22/part-00000.jsonl.gz', Buffer.from('de'));
    await store.write('raw/source=y/dt=2026-11-24/hour=22/part-00000.jsonl.gz', Buffer.from('f'));
    const listed = await store.list('raw/source=x/');
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['raw/source=x/dt=2026-11-24/hour=22/part-00000.jsonl.gz', 2],
      ['raw/source=x/dt=2026-11-24/hour=23/part-00000.jsonl.gz', 3],
    ]);
    expect(await store.list('raw/source=z/')).toEqual([]);
  });

  test('delete removes; with a stale generation it refuses', async () => {
    const { generation } = await store.write('d.txt', Buffer.from('x'));
    await store.write('d.txt', Buffer.from('y'));
    await expect(store.delete('d.txt', { ifGenerationMatch: generation })).rejects.toBeInstanceOf(PreconditionFailedError);
    await store.delete('d.txt');
    expect(await store.read('d.txt')).toBeNull();
    await store.delete('d.txt');
  });

  test('keys that escape the root are refused', async () => {
    await expect(store.read('../etc/passwd')).rejects.toThrow("invalid object key '../etc/passwd'");
    await expect(store.write('/abs', Buffer.from(''))).rejects.toThrow("invalid object key '/abs'");
  });
});

test('the GCS adapter sends the generation precondition and reads by generation', async () => {
  const store = new GcsStore('gs://b2/pre', 'b2', 'pre', { apiEndpoint: gcs.endpoint, projectId: 'test-project' });
  gcs.requests.length = 0;
  const { generation } = await store.write('x/y.json', Buffer.from('{}'), { ifGenerationMatch: '0', contentType: 'application/json' });
  await store.read('x/y.json');
  const upload = gcs.requests.find((r) => r.method === 'POST')!;
  expect(upload.path).toBe('/upload/storage/v1/b/b2/o');
  expect(upload.query).toMatchObject({ uploadType: 'multipart', name: 'pre/x/y.json', ifGenerationMatch: '0' });
  const media = gcs.requests.find((r) => r.query.alt === 'media')!;
  expect(media.path).toBe('/storage/v1/b/b2/o/pre%2Fx%2Fy.json');
  expect(media.query.generation).toBe(generation);
});

test.each([
  ['gs://my-bucket/raw/prefix', 'gs://my-bucket/raw/prefix'],
  ['memory://demo', 'memory://demo'],
])('openObjectStore(%s)', (url, expected) => {
  expect(openObjectStore(url).url).toBe(expected);
});

test('openObjectStore gives one shared memory store per name, and a folder for a path', () => {
  expect(openObjectStore('memory://shared')).toBe(openObjectStore('memory://shared'));
  expect(openObjectStore('data/raw').url).toBe(join(process.cwd(), 'data/raw'));
  expect(() => openObjectStore('s3://bucket')).toThrow("'s3://bucket' looks like a URL of an unsupported kind");
});
