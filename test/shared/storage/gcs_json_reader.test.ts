import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../../../shared/errors';
import { GcsJsonReader, metadataServerToken } from '../../../shared/storage/gcs_json_reader';
import { GcsStore } from '../../../shared/storage/gcs_store';
import { FakeGcs } from '../../helpers/fake_gcs';

let gcs: FakeGcs;
beforeAll(async () => {
  gcs = await new FakeGcs().start();
});
afterAll(async () => {
  await gcs.stop();
});

/** A loopback server answering every request with `answer`, recording what it was sent. */
async function answering(answer: (req: { url: string; headers: Record<string, string | string[] | undefined> }) => { status: number; headers?: Record<string, string>; body: string }): Promise<{ url: string; seen: { url: string; headers: Record<string, string | string[] | undefined> }[]; close: () => Promise<void> }> {
  const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const server: Server = createServer((req, res) => {
    const r = { url: req.url ?? '', headers: req.headers };
    seen.push(r);
    const a = answer(r);
    res.writeHead(a.status, a.headers ?? {});
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((resolve) => server.close(() => { resolve(); })) };
}

test('reads what the client library wrote, with its generation, lists by prefix, and sends the token', async () => {
  const writer = new GcsStore('gs://models-r/pre', 'models-r', 'pre', { apiEndpoint: gcs.endpoint, projectId: 'p' });
  const first = await writer.write('models/m/production.json', Buffer.from('{"v":1}'));
  await writer.write('models/m/versions/a b/model.json', Buffer.from('x'.repeat(70_000)));
  await writer.write('other/z.json', Buffer.from('z'));
  const reader = new GcsJsonReader('gs://models-r/pre', 'models-r', 'pre', { endpoint: gcs.endpoint, accessToken: () => Promise.resolve('tok-1') });
  gcs.requests.length = 0;

  expect(await reader.read('models/m/production.json')).toEqual({ data: Buffer.from('{"v":1}'), generation: first.generation });
  expect((await reader.read('models/m/versions/a b/model.json'))!.data.length).toBe(70_000);
  expect(await reader.read('models/m/absent.json')).toBeNull();
  expect(await reader.list('models/m/')).toEqual(await writer.list('models/m/'));
  // One media download per read (its header names the generation), one call per list page.
  expect(gcs.requests.map((r) => [r.method, r.path, r.query.alt ?? r.query.prefix, r.authorization])).toEqual([
    ['GET', '/storage/v1/b/models-r/o/pre%2Fmodels%2Fm%2Fproduction.json', 'media', 'Bearer tok-1'],
    ['GET', '/storage/v1/b/models-r/o/pre%2Fmodels%2Fm%2Fversions%2Fa%20b%2Fmodel.json', 'media', 'Bearer tok-1'],
    ['GET', '/storage/v1/b/models-r/o/pre%2Fmodels%2Fm%2Fabsent.json', 'media', 'Bearer tok-1'],
    ['GET', '/storage/v1/b/models-r/o', 'pre/models/m/', 'Bearer tok-1'],
    ['GET', '/storage/v1/b/models-r/o', 'pre/models/m/', undefined],
  ]);
  await expect(reader.write('k')).rejects.toThrow('only reads');
});

test('list follows nextPageToken; an answer of the wrong shape is an UpstreamError naming the field', async () => {
  const pages = await answering(({ url }) => {
    const token = new URL(url, 'http://x').searchParams.get('pageToken');
    if (token === null) return { status: 200, body: JSON.stringify({ items: [{ name: 'p/b', generation: '2', size: '5' }], nextPageToken: 'n1' }) };
    if (token === 'n1') return { status: 200, body: JSON.stringify({ items: [{ name: 'p/a', generation: '1', size: '3' }] }) };
    return { status: 200, body: JSON.stringify({ items: [{ name: 'p/c', generation: 7, size: '1' }] }) };
  });
  try {
    const reader = new GcsJsonReader('gs://b/p', 'b', 'p', { endpoint: pages.url, accessToken: () => Promise.resolve('t') });
    expect(await reader.list('')).toEqual([{ key: 'a', generation: '1', size: 3 }, { key: 'b', generation: '2', size: 5 }]);
    const bad = await answering(() => ({ status: 200, body: JSON.stringify({ items: [{ name: 'p/c', generation: 7, size: '1' }] }) }));
    try {
      await expect(new GcsJsonReader('gs://b/p', 'b', 'p', { endpoint: bad.url, accessToken: () => Promise.resolve('t') }).list('')).rejects.toThrow(/unexpected answer from GCS: items\.0\.generation: /);
    } finally {
      await bad.close();
    }
  } finally {
    await pages.close();
  }
});

test.each([
  [403, false],
  [429, true],
  [503, true],
])('GCS answering %i is an UpstreamError, retryable: %s, with Retry-After kept', async (status, retryable) => {
  const failing = await answering(() => ({ status, headers: { 'retry-after': '7' }, body: '{"error":{"message":"nope"}}' }));
  try {
    const err = await new GcsJsonReader('gs://b', 'b', '', { endpoint: failing.url, accessToken: () => Promise.resolve('t') }).read('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect([(err as UpstreamError).retryable, (err as UpstreamError).message, (err as UpstreamError).retryAfterMs]).toEqual([retryable, `read gs://b/k: GCS answered ${status}: {"error":{"message":"nope"}}`, 7000]);
  } finally {
    await failing.close();
  }
});

test('the metadata token is asked for with Metadata-Flavor, shared by concurrent callers, kept until a minute before it expires', async () => {
  let n = 0;
  const metadata = await answering(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: `t${++n}`, expires_in: 3599, token_type: 'Bearer' }) }));
  const previous = process.env.GCE_METADATA_HOST;
  process.env.GCE_METADATA_HOST = metadata.url.slice('http://'.length);
  try {
    let now = 0;
    const token = metadataServerToken(fetch, () => now);
    expect(await Promise.all([token(), token(), token()])).toEqual(['t1', 't1', 't1']);
    now = 3_538_000;
    expect(await token()).toBe('t1');
    now = 3_539_000;
    expect(await token()).toBe('t2');
    expect(metadata.seen.map((r) => [r.url, r.headers['metadata-flavor']])).toEqual([
      ['/computeMetadata/v1/instance/service-accounts/default/token', 'Google'],
      ['/computeMetadata/v1/instance/service-accounts/default/token', 'Google'],
    ]);
  } finally {
    if (previous === undefined) delete process.env.GCE_METADATA_HOST;
    else process.env.GCE_METADATA_HOST = previous;
    await metadata.close();
  }
});

test('against an emulator no token is asked for; an answer slower than the time limit, or no metadata server, is a retryable UpstreamError saying why', async () => {
  const saved = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = gcs.endpoint;
  try {
    await new GcsStore('gs://emu', 'emu', '', { apiEndpoint: gcs.endpoint, projectId: 'p' }).write('k', Buffer.from('v'));
    gcs.requests.length = 0;
    expect((await new GcsJsonReader('gs://emu', 'emu', '').read('k'))!.data.toString()).toBe('v');
    expect(gcs.requests.map((r) => r.authorization)).toEqual([undefined]);
  } finally {
    if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = saved;
  }

  const hung = createServer(() => undefined);
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    const err = await new GcsJsonReader('gs://b', 'b', '', { endpoint, accessToken: () => Promise.resolve('t'), timeoutMs: 200 }).read('k').catch((e: unknown) => e);
    expect([err instanceof UpstreamError, (err as UpstreamError).retryable, (err as Error).message]).toEqual([true, true, expect.stringMatching(/^read gs:\/\/b\/k: no answer within the time limit/) as unknown]);
  } finally {
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  }

  // A port nothing listens on any more: the connection is refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const previous = process.env.GCE_METADATA_HOST;
  process.env.GCE_METADATA_HOST = `127.0.0.1:${closedPort}`;
  try {
    await expect(metadataServerToken()()).rejects.toThrow(/^access token from the metadata server: fetch failed \(ECONNREFUSED\); outside Google Cloud use a local store or STORAGE_EMULATOR_HOST$/);
  } finally {
    if (previous === undefined) delete process.env.GCE_METADATA_HOST;
    else process.env.GCE_METADATA_HOST = previous;
  }
});
