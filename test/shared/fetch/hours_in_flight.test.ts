import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources, type Source } from '../../../shared/config/sources';
import { UpstreamError } from '../../../shared/errors';
import { runFetch } from '../../../shared/fetch/run_fetch';
import { iso as hourText } from '../../../shared/hours';
import { silentLogger } from '../../../shared/logging';
import { hourManifestSchema } from '../../../shared/raw/hour_manifest';
import { manifestKey } from '../../../shared/raw/raw_layout';
import { verifyHour } from '../../../shared/raw/verify_hour';
import { readWatermark } from '../../../shared/raw/watermark';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { createSubgraphClient, type SubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { smallMarket, TEST_END_HOUR, NO_RETRY } from '../../helpers/local_subgraph';

const NOW = new Date((TEST_END_HOUR + HOUR_SECONDS + 600) * 1000);
const START = TEST_END_HOUR - 11 * HOUR_SECONDS;
const HOURS = 12;
const iso = (h: number) => new Date(h * 1000).toISOString();
let sg: LocalSubgraph;
let source: Source;
beforeAll(async () => {
  sg = await startLocalSubgraph({ market: smallMarket(6, 8, 1) });
  source = localSources(`http://127.0.0.1:${sg.port}`)[0]!;
});
afterAll(async () => {
  await sg.close();
});

const client = () => createSubgraphClient(source.id, (source.endpoint as { url: string }).url);
const run = (store: MemoryStore, hoursInFlight: number, c: SubgraphClient = client()) => runFetch([source], { store, clientFor: () => Promise.resolve(c), now: () => NOW, logger: silentLogger, ...NO_RETRY }, { maxHoursPerSource: 48, startHour: START, hoursInFlight });

/** Holds each request until `width` are waiting (or every request still to come is), then lets them all go. */
function gatedClient(inner: SubgraphClient, width: number, total: number) {
  let waiting: (() => void)[] = [];
  let released = 0;
  let inFlight = 0;
  let most = 0;
  const gated: SubgraphClient = {
    async request(query, variables) {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === Math.min(width, total - released)) {
          released += waiting.length;
          const go = waiting;
          waiting = [];
          for (const f of go) f();
        }
      });
      try {
        return await inner.request(query, variables);
      } finally {
        inFlight--;
      }
    },
  };
  return { client: gated, most: () => most };
}

async function storedHours(store: MemoryStore) {
  const out = [];
  for (let k = 0; k < HOURS; k++) {
    const stored = await store.read(manifestKey(source.id, START + k * HOUR_SECONDS));
    const m = hourManifestSchema.parse(JSON.parse(stored!.data.toString('utf8')));
    out.push({ hour: m.hour_start, rows: m.rows, objects: m.objects.map((o) => [o.role, o.key, o.sha256, o.rows]) });
  }
  return out;
}

test('four hours in flight write what one at a time writes, with four requests really in flight, and the watermark ends at the last hour', async () => {
  const one = new MemoryStore();
  const four = new MemoryStore();
  const single = await run(one, 1);
  const gate = gatedClient(client(), 4, HOURS);
  const several = await run(four, 4, gate.client);
  expect(gate.most()).toBe(4);
  expect(several.ok).toBe(true);
  expect(several.sources[0]!.fetched.map((h) => h.hour)).toEqual(Array.from({ length: HOURS }, (_, k) => iso(START + k * HOUR_SECONDS)));
  expect(several.sources[0]!.fetched).toEqual(single.sources[0]!.fetched);
  expect(await storedHours(four)).toEqual(await storedHours(one));
  for (let k = 0; k < HOURS; k++) expect((await verifyHour(four, source.id, START + k * HOUR_SECONDS, { decode: true })).ok).toBe(true);
  expect((await readWatermark(four, source.id)).watermark!.last_complete_hour_unix).toBe(TEST_END_HOUR);
});

test('an hour that fails among those in flight stops the watermark just before it, and the next run fetches from there', async () => {
  const store = new MemoryStore();
  const failing = START + 5 * HOUR_SECONDS;
  let failed = false;
  const inner = client();
  const flaky: SubgraphClient = {
    request(query, variables) {
      if (!failed && (variables.where as { periodStartUnix?: number }).periodStartUnix === failing) {
        failed = true;
        return Promise.reject(new UpstreamError('subgraph: HTTP 503', true));
      }
      return inner.request(query, variables);
    },
  };
  const first = await run(store, 4, flaky);
  expect(first.ok).toBe(false);
  expect(first.sources[0]!.error).toEqual({ message: 'subgraph: HTTP 503', retryable: true, hour: hourText(failing) });
  // Hours after the failed one may be written, but the watermark never passes a hole.
  expect((await readWatermark(store, source.id)).watermark!.last_complete_hour_unix).toBe(failing - HOUR_SECONDS);
  const written = first.sources[0]!.fetched.map((h) => h.hour);
  expect(written.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((k) => iso(START + k * HOUR_SECONDS)));
  expect(written).not.toContain(iso(failing));
  expect(first.sources[0]!.pending).toBe(HOURS - written.length);
  const second = await run(store, 4);
  expect(second.ok).toBe(true);
  expect(second.sources[0]!.fetched.map((h) => h.hour)).toEqual(Array.from({ length: HOURS - 5 }, (_, k) => iso(failing + k * HOUR_SECONDS)));
  // What the first run already wrote after the hole is found unchanged, not written twice.
  expect(second.sources[0]!.fetched.filter((h) => h.write === 'unchanged').map((h) => h.hour)).toEqual(written.slice(5));
  expect((await readWatermark(store, source.id)).watermark!.last_complete_hour_unix).toBe(TEST_END_HOUR);
});
