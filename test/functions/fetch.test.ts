import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { HOUR_SECONDS } from '../../local/market/market';
import { GATEWAY_MESSAGES } from '../../local/subgraph/faults';
import { startLocalSubgraph, type LocalSubgraph } from '../../local/subgraph/local_subgraph_server';
import { createFetchFunction } from '../../functions/fetch/handler';
import { memoryLogger } from '../../shared/logging';
import { decodeJsonlGzip } from '../../shared/raw/jsonl_gzip';
import { hourManifestSchema } from '../../shared/raw/hour_manifest';
import { LocalFolderStore } from '../../shared/storage/local_folder_store';
import { smallMarket, TEST_END_HOUR } from '../helpers/local_subgraph';

const market = smallMarket(9, 25, 2);
let sg: LocalSubgraph;
let dir: string;
let server: Server;
let base: string;
const sleeps: number[] = [];
// "now" is ten minutes into the hour after the window's last hour: that hour is the last full one.
const NOW = new Date((TEST_END_HOUR + HOUR_SECONDS + 600) * 1000);
const START = TEST_END_HOUR - 5 * HOUR_SECONDS;
let functionCount = 0;
let logger = memoryLogger();

/** Registers a fresh fetch function over a fresh folder and serves it on a free port. */
async function deploy(env: Record<string, string> = {}): Promise<void> {
  if (server as Server | undefined) await closeDeployment();
  dir = mkdtempSync(join(tmpdir(), 'fetch-fn-'));
  logger = memoryLogger();
  const name = `fetch_${functionCount++}`;
  ff.http(
    name,
    createFetchFunction(
      // A timeout far above any healthy answer on a loaded machine: only the hang fault reaches it.
      { LOCAL_SUBGRAPH_URL: `http://127.0.0.1:${sg.port}`, DATA_STORE_URL: dir, FETCH_START_HOUR: new Date(START * 1000).toISOString(), FETCH_RETRY_ATTEMPTS: '3', SUBGRAPH_TIMEOUT_MS: '20000', ...env },
      { now: () => NOW, logger, retryDeps: { sleep: (ms: number) => { sleeps.push(ms); return Promise.resolve(); }, random: () => 0.5 } },
    ),
  );
  server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function call(): Promise<{ status: number; body: { ok: boolean; lastFullHour: string; sources: { source: string; status: string; fetched: { hour: string; rows: number; quarantined: number; duplicates: number }[]; pending: number; error?: { message: string; retryable: boolean } }[] } }> {
  const res = await fetch(base, { method: 'POST' });
  return { status: res.status, body: (await res.json()) as never };
}

const store = () => new LocalFolderStore(dir);

beforeAll(async () => {
  sg = await startLocalSubgraph({ market });
});
afterAll(async () => {
  await sg.close();
});
beforeEach(async () => {
  sleeps.length = 0;
  await deploy();
});
async function closeDeployment(): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  rmSync(dir, { recursive: true, force: true });
}

afterEach(async () => {
  sg.faults.clear();
  await closeDeployment();
  server = undefined as unknown as Server;
});

test('fetches every missing hour of every source into the hive layout, manifest per hour', async () => {
  const { status, body } = await call();
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
  expect(body.sources.map((s) => [s.source, s.status, s.fetched.length, s.pending])).toEqual([
    ['uniswap-v3-ethereum', 'ok', 6, 0],
    ['sushiswap-v2-ethereum', 'ok', 6, 0],
    ['sushiswap-v3-ethereum', 'ok', 6, 0],
  ]);
  const keys = (await store().list('')).map((o) => o.key);
  expect(keys).toContain('raw/source=uniswap-v3-ethereum/dt=2026-11-24/hour=23/part-00000.jsonl.gz');
  expect(keys).toContain('manifests/source=sushiswap-v2-ethereum/dt=2026-11-24/hour=18/manifest.json');
  expect(keys).toContain('state/watermarks/uniswap-v3-ethereum.json');
  const manifest = hourManifestSchema.parse(JSON.parse((await store().read('manifests/source=uniswap-v3-ethereum/dt=2026-11-24/hour=23/manifest.json'))!.data.toString()));
  const rows = decodeJsonlGzip((await store().read('raw/source=uniswap-v3-ethereum/dt=2026-11-24/hour=23/part-00000.jsonl.gz'))!.data);
  expect(rows).toHaveLength(manifest.rows);
  expect(manifest.rows).toBe(body.sources[0]!.fetched[5]!.rows);
  expect(manifest.hour_start).toBe('2026-11-24T23:00:00.000Z');
  // One ISO form in one answer.
  expect([body.lastFullHour, body.sources[0]!.fetched[5]!.hour]).toEqual(['2026-11-24T23:00:00.000Z', '2026-11-24T23:00:00.000Z']);
});

test('a second run finds nothing missing; rerunning hours rewrites the same objects without duplicates', async () => {
  await call();
  const before = await store().list('raw/');
  const again = await call();
  expect(again.body.sources.every((s) => s.fetched.length === 0)).toBe(true);
  await store().delete('state/watermarks/uniswap-v3-ethereum.json');
  const rerun = await call();
  expect(rerun.body.sources[0]!.fetched).toHaveLength(6);
  const after = await store().list('raw/');
  expect(after.map((o) => [o.key, o.size])).toEqual(before.map((o) => [o.key, o.size]));
});

test('a missed run heals: the next run fetches every missing hour, oldest first, up to the cap', async () => {
  await deploy({ FETCH_MAX_HOURS_PER_RUN: '4' });
  const first = await call();
  expect(first.body.sources[0]!.fetched.map((h) => h.hour.slice(11, 13))).toEqual(['18', '19', '20', '21']);
  expect(first.body.sources[0]!.pending).toBe(2);
  const second = await call();
  expect(second.body.sources[0]!.fetched.map((h) => h.hour.slice(11, 13))).toEqual(['22', '23']);
});

test('HTTP 429 and 5xx are retried (respecting Retry-After) and the run succeeds', async () => {
  sg.faults.add({ fault: { kind: 'rate-limited', retryAfterSeconds: 3 }, subgraph: 'uniswap-v3', times: 1 });
  sg.faults.add({ fault: { kind: 'server-error', status: 503 }, subgraph: 'sushiswap-v2', times: 2 });
  const { status } = await call();
  expect(status).toBe(200);
  expect(sleeps).toContain(3000);
  expect(sleeps.length).toBe(3);
});

test('a hanging subgraph times out, is retried, and the run succeeds', async () => {
  // The hang never answers, so the timeout's length does not decide the outcome; 2 s leaves the
  // healthy retry a wide margin on a loaded machine.
  await deploy({ SUBGRAPH_TIMEOUT_MS: '2000' });
  sg.faults.add({ fault: { kind: 'hang' }, subgraph: 'sushiswap-v3', times: 1 });
  expect((await call()).status).toBe(200);
});

test.each([
  ['an auth error (not retried)', 500, { kind: 'gateway-error' as const, message: GATEWAY_MESSAGES.auth }, false, 0],
  ['no indexers (retried, then given up)', 502, { kind: 'gateway-error' as const, message: GATEWAY_MESSAGES.noIndexers }, true, 2],
  ['a lagging indexer (hour not ready)', 503, { kind: 'head-behind' as const, blocks: 3 * 300 }, true, 2],
])('%s answers HTTP %i so Cloud Scheduler sees the failure', async (_name, expectedStatus, fault, retryable, retries) => {
  sg.faults.add({ fault, subgraph: 'uniswap-v3' });
  const { status, body } = await call();
  expect(status).toBe(expectedStatus);
  const failed = body.sources.find((s) => s.source === 'uniswap-v3-ethereum')!;
  expect(failed.status).toBe('failed');
  expect(failed.error!.retryable).toBe(retryable);
  expect(sleeps.length).toBe(retries);
  expect(body.sources.filter((s) => s.status === 'ok')).toHaveLength(2);
});

test('indexing errors fail the hour under the default policy', async () => {
  sg.state('uniswap-v3').indexingErrors = true;
  try {
    const { status, body } = await call();
    expect(status).toBe(502);
    expect(body.sources[0]!.error!.message).toContain('reports indexing errors');
    expect(await store().list('raw/source=uniswap-v3-ethereum/')).toEqual([]);
  } finally {
    sg.state('uniswap-v3').indexingErrors = false;
  }
});

test('malformed rows land in quarantine with their reason; repeated rows are kept once', async () => {
  sg.faults.add({ fault: { kind: 'malformed-rows', field: 'volumeUSD', mode: 'not-a-number', every: 2 }, subgraph: 'uniswap-v3', times: 1 });
  const { status, body } = await call();
  expect(status).toBe(200);
  const firstHour = body.sources[0]!.fetched[0]!;
  expect(firstHour.quarantined).toBeGreaterThan(0);
  const quarantined = decodeJsonlGzip((await store().read('quarantine/source=uniswap-v3-ethereum/dt=2026-11-24/hour=18/part-00000.jsonl.gz'))!.data) as { reason: string }[];
  expect(quarantined).toHaveLength(firstHour.quarantined);
  expect(quarantined[0]!.reason).toBe("field 'volumeUSD': must be a decimal number string");
});

test.each([
  ['a slow answer within the timeout', { kind: 'slow' as const, delayMs: 100 }],
  ['rows repeated across pages', { kind: 'repeat-rows' as const }],
  ['a head moving between requests', { kind: 'head-advances' as const, blocks: 30 }],
  ['rows missing a field', { kind: 'malformed-rows' as const, field: 'tvlUSD', mode: 'missing' as const, every: 5 }],
])('%s: the run still succeeds with every hour written', async (_name, fault) => {
  const head = sg.state('sushiswap-v3').headBlock;
  sg.faults.add({ fault, subgraph: 'sushiswap-v3', times: 3 });
  try {
    const { status, body } = await call();
    expect(status).toBe(200);
    const s = body.sources.find((x) => x.source === 'sushiswap-v3-ethereum')!;
    expect(s.fetched).toHaveLength(6);
    expect((await store().list('manifests/source=sushiswap-v3-ethereum/')).length).toBe(6);
  } finally {
    sg.state('sushiswap-v3').headBlock = head;
  }
});

test('bad indexers are retried, then reported as a retryable 502', async () => {
  sg.faults.add({ fault: { kind: 'gateway-error', message: GATEWAY_MESSAGES.badIndexers(19_000_500, 19_000_400) }, subgraph: 'sushiswap-v2' });
  const { status, body } = await call();
  expect(status).toBe(502);
  const failed = body.sources.find((s) => s.source === 'sushiswap-v2-ethereum')!;
  expect(failed.error).toMatchObject({ retryable: true });
  expect(failed.error!.message).toContain('Unavailable(missing block: 19000500, latest: 19000400)');
});

test('one structured log line per invocation, with status and trace id', async () => {
  const res = await fetch(base, { method: 'POST', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
  expect(res.status).toBe(200);
  const summary = logger.lines.filter((l) => l.function === 'fetch' && typeof l.httpRequest === 'object');
  expect(summary).toHaveLength(1);
  expect(summary[0]).toMatchObject({ severity: 'INFO', message: 'fetch POST / -> 200', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', httpRequest: { requestMethod: 'POST', status: 200 } });
  // The staleness alert's input: the newest hour of each source, one line per source.
  const freshness = logger.lines.filter((l) => l.freshness !== undefined).map((l) => l.freshness as { kind: string; source: string; newest_hour: string });
  expect(freshness.map((f) => [f.kind, f.source])).toEqual([['fetched', 'uniswap-v3-ethereum'], ['fetched', 'sushiswap-v2-ethereum'], ['fetched', 'sushiswap-v3-ethereum']]);
});

test('a bad configuration fails at cold start, naming the variable', () => {
  expect(() => createFetchFunction({ LOCAL_SUBGRAPH_URL: 'localhost:8000', DATA_STORE_URL: dir })).toThrow('invalid configuration LOCAL_SUBGRAPH_URL: must be an http:// or https:// URL');
  expect(() => createFetchFunction({ LOCAL_SUBGRAPH_URL: `http://127.0.0.1:${sg.port}` })).toThrow('invalid configuration DATA_STORE_URL: required');
  expect(() => createFetchFunction({ K_SERVICE: 'fetch', DATA_STORE_URL: dir, SECRETS_BACKEND: 'secret-manager', GOOGLE_CLOUD_PROJECT: 'p' })).toThrow(`DATA_STORE_URL: '${dir}' is local; in the cloud it must be gs://bucket[/prefix]`);
});
