import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources } from '../../../shared/config/sources';
import { runFetch } from '../../../shared/fetch/run_fetch';
import { silentLogger } from '../../../shared/logging';
import { hourManifestSchema } from '../../../shared/raw/hour_manifest';
import { manifestKey } from '../../../shared/raw/raw_layout';
import { GcsStore } from '../../../shared/storage/gcs_store';
import { LocalFolderStore } from '../../../shared/storage/local_folder_store';
import { MemoryStore } from '../../../shared/storage/memory_store';
import type { ObjectStore } from '../../../shared/storage/object_store';
import { FakeGcs } from '../../helpers/fake_gcs';
import { jitteryStore, seededRandom } from '../../helpers/jittery_store';
import { smallMarket, TEST_END_HOUR } from '../../helpers/local_subgraph';

// Issue 10, point 1. Before the fix every store kind left mismatched manifests in the first trial
// of 4 runs x 6 hours; RACE_TRIALS=50 rehearses longer.
const RUNS = 4;
const HOURS = 6;
const TRIALS = Number(process.env.RACE_TRIALS ?? 2);
const NOW = new Date((TEST_END_HOUR + HOUR_SECONDS + 600) * 1000);

let sg: LocalSubgraph;
const gcs = new FakeGcs();
const folders: string[] = [];
beforeAll(async () => {
  sg = await startLocalSubgraph({ market: smallMarket(5, 12, 1) });
  await gcs.start();
});
afterAll(async () => {
  await sg.close();
  await gcs.stop();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'race-'));
  folders.push(dir);
  return dir;
};
let gcsPrefix = 0;
/** Per store kind: a function giving each run its view of one shared store. */
const stores: [string, () => (run: number) => ObjectStore][] = [
  ['memory', () => { const s = new MemoryStore(); return () => s; }],
  ['local folder, one instance', () => { const s = new LocalFolderStore(folder()); return () => s; }],
  ['local folder, an instance per run', () => { const dir = folder(); return () => new LocalFolderStore(dir); }],
  ['GCS adapter (loopback)', () => { const prefix = `race${gcsPrefix++}`; return () => new GcsStore(`gs://race/${prefix}`, 'race', prefix, { apiEndpoint: gcs.endpoint, projectId: 'test-project' }); }],
];

/** Hours whose manifest names a SHA-256 its object does not have (or is missing). */
async function mismatchedHours(store: ObjectStore, sourceId: string, hours: readonly number[]): Promise<string[]> {
  const bad: string[] = [];
  for (const hour of hours) {
    const stored = await store.read(manifestKey(sourceId, hour));
    if (!stored) { bad.push(`${hour}: no manifest`); continue; }
    const manifest = hourManifestSchema.parse(JSON.parse(stored.data.toString('utf8')));
    for (const o of manifest.objects) {
      const object = await store.read(o.key);
      if (!object || createHash('sha256').update(object.data).digest('hex') !== o.sha256) bad.push(`${hour}: ${o.key}`);
    }
  }
  return bad;
}

test.each(stores)('%s: concurrent fetch runs with jitter and a moving head leave every manifest matching its data', async (_name, makeStore) => {
  const source = localSources(`http://127.0.0.1:${sg.port}`)[0]!;
  const start = TEST_END_HOUR - (HOURS - 1) * HOUR_SECONDS;
  const hours = Array.from({ length: HOURS }, (_, i) => start + i * HOUR_SECONDS);
  for (let trial = 0; trial < TRIALS; trial++) {
    const storeFor = makeStore();
    sg.faults.clear();
    sg.faults.add({ fault: { kind: 'head-advances', blocks: 1 } });
    const summaries = await Promise.all(
      Array.from({ length: RUNS }, (_, run) =>
        runFetch(
          [source],
          {
            store: jitteryStore(storeFor(run), seededRandom(trial * 100 + run), 10),
            clientFor: () => Promise.resolve(createClient(source)),
            now: () => NOW,
            logger: silentLogger,
            retryPolicy: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
            retryDeps: { sleep: () => Promise.resolve(), random: () => 0 },
          },
          // Half the runs write several hours at once, as the local pipeline does.
          { maxHoursPerSource: HOURS, startHour: start, hoursInFlight: run % 2 === 0 ? 1 : 3 },
        ),
      ),
    );
    expect(summaries.map((s) => s.sources[0]!.error?.message ?? "ok")).toEqual(Array.from({ length: RUNS }, () => "ok"));
    expect(summaries.map((s) => s.ok)).toEqual(Array.from({ length: RUNS }, () => true));
    expect(await mismatchedHours(storeFor(0), source.id, hours)).toEqual([]);
    // A run that lost knows it: the hour's manifest is one a run reported as its own write.
    for (const hour of hours) {
      const manifest = hourManifestSchema.parse(JSON.parse((await storeFor(0).read(manifestKey(source.id, hour)))!.data.toString('utf8')));
      const reports = summaries.flatMap((s) => s.sources[0]!.fetched).filter((f) => f.hour === manifest.hour_start);
      expect(reports).toHaveLength(RUNS);
      expect(reports.filter((r) => r.write === 'written').map((r) => r.block)).toContain(manifest.block_number);
      for (const r of reports.filter((x) => x.write === 'lost')) expect(r.block).not.toBe(-1);
    }
  }
  sg.faults.clear();
}, TRIALS * 150_000); // a safety net only: a loaded machine may take minutes

import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import type { Source } from '../../../shared/config/sources';
function createClient(source: Source) {
  return createSubgraphClient(source.id, (source.endpoint as { url: string }).url);
}
