import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph, type LocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources, type Source } from '../../../shared/config/sources';
import { backfill, hoursBetween } from '../../../shared/fetch/backfill';
import { runFetch } from '../../../shared/fetch/run_fetch';
import { silentLogger } from '../../../shared/logging';
import { readWatermark } from '../../../shared/raw/watermark';
import { LocalFolderStore, TEMP_DIR } from '../../../shared/storage/local_folder_store';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { smallMarket, TEST_END_HOUR, NO_RETRY } from '../../helpers/local_subgraph';

const NOW = new Date((TEST_END_HOUR + HOUR_SECONDS + 600) * 1000);
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
const hourly = (store: MemoryStore, startHour: number) => runFetch([source], { store, clientFor: () => Promise.resolve(client()), now: () => NOW, logger: silentLogger, ...NO_RETRY }, { maxHoursPerSource: 48, startHour });

// Issue 10, point 6: before, backfill never moved the watermark, so the hourly run refetched every backfilled hour.
test('after a backfill the hourly run fetches only the hours after it: none again, none skipped', async () => {
  const store = new MemoryStore();
  const start = TEST_END_HOUR - 9 * HOUR_SECONDS;
  await backfill(source, hoursBetween(start, TEST_END_HOUR - 3 * HOUR_SECONDS), { store, client: client(), now: () => NOW, ...NO_RETRY });
  expect((await readWatermark(store, source.id)).watermark!.last_complete_hour_unix).toBe(TEST_END_HOUR - 3 * HOUR_SECONDS);
  const run = await hourly(store, start);
  expect(run.sources[0]!.fetched.map((h) => h.hour)).toEqual([2, 1, 0].map((k) => iso(TEST_END_HOUR - k * HOUR_SECONDS)));
});

test('a backfill continuing the hourly run moves its watermark; one beyond a hole leaves the hole to the hourly run', async () => {
  const store = new MemoryStore();
  const start = TEST_END_HOUR - 9 * HOUR_SECONDS;
  await runFetch([source], { store, clientFor: () => Promise.resolve(client()), now: () => new Date((start + 2 * HOUR_SECONDS + 600) * 1000), logger: silentLogger, ...NO_RETRY }, { maxHoursPerSource: 48, startHour: start });
  expect((await readWatermark(store, source.id)).watermark!.last_complete_hour_unix).toBe(start + HOUR_SECONDS);
  // Hours start+2h .. start+3h are a hole; the backfill covers start+4h .. start+6h.
  await backfill(source, hoursBetween(start + 4 * HOUR_SECONDS, start + 6 * HOUR_SECONDS), { store, client: client(), now: () => NOW, ...NO_RETRY });
  expect((await readWatermark(store, source.id)).watermark!.last_complete_hour_unix).toBe(start + HOUR_SECONDS);
  const run = await hourly(store, start);
  expect(run.sources[0]!.fetched.map((h) => h.hour)).toEqual([2, 3, 4, 5, 6, 7, 8, 9].map((k) => iso(start + k * HOUR_SECONDS)));
  // The backfilled hours were rewritten with the same bytes: nothing changed in the store.
  expect(run.sources[0]!.fetched.filter((h) => h.write === 'unchanged').map((h) => h.hour)).toEqual([4, 5, 6].map((k) => iso(start + k * HOUR_SECONDS)));
});

// Issue 10, point 6: before, a killed writer could leave `.tmp-*` inside a raw partition (1 kill in 5).
test('a writer killed mid-write leaves no temporary file in a partition, and the next writer removes its leftovers', async () => {
  const root = mkdtempSync(join(tmpdir(), 'killed-'));
  const script = join(root, '..', `writer-${process.pid}.ts`);
  const storeModule = resolve(__dirname, '../../../shared/storage/local_folder_store');
  writeFileSync(script, `import { LocalFolderStore } from ${JSON.stringify(storeModule)};
const store = new LocalFolderStore(${JSON.stringify(root)});
const big = Buffer.alloc(8 << 20, 7);
void (async () => {
  for (let i = 0; ; i++) {
    await store.write('raw/source=x/dt=2026-11-24/hour=' + String(i % 24).padStart(2, '0') + '/part-00000.jsonl.gz', big);
    if (i === 2) process.stdout.write('writing\\n');
  }
})();
`);
  try {
    for (let kill = 0; kill < 3; kill++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolveStarted) => child.stdout.once('data', () => { resolveStarted(); }));
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    }
    const leftovers = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && !e.name.endsWith('.jsonl.gz')).map((e) => join(e.parentPath, e.name));
    expect(leftovers(join(root, 'raw'))).toEqual([]);
    await new LocalFolderStore(root).write('raw/source=x/dt=2026-11-25/hour=00/part-00000.jsonl.gz', Buffer.from('ok'));
    expect(existsSync(join(root, TEMP_DIR)) ? readdirSync(join(root, TEMP_DIR)) : []).toEqual([]);
  } finally {
    rmSync(script, { force: true });
    rmSync(root, { recursive: true, force: true });
  }
}, 60_000);

test('a lock left by a dead process is taken over', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lock-'));
  try {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const store = new LocalFolderStore(root);
    await store.write('k', Buffer.from('1'));
    const { createHash } = await import('node:crypto');
    writeFileSync(join(root, '.locks', createHash('sha256').update('k').digest('hex').slice(0, 40)), String(dead));
    await store.write('k', Buffer.from('2'));
    expect((await store.read('k'))!.data.toString()).toBe('2');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
