import { HOUR_SECONDS } from '../../../local/market/market';
import { startLocalSubgraph } from '../../../local/subgraph/local_subgraph_server';
import { localSources } from '../../../shared/config/sources';
import { backfill, formatDuration, formatProgress, hoursBetween } from '../../../shared/fetch/backfill';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { createSubgraphClient } from '../../../shared/subgraph/subgraph_client';
import { smallMarket, TEST_END_HOUR } from '../../helpers/local_subgraph';

test('an interrupted backfill resumes without refetching finished hours', async () => {
  const sg = await startLocalSubgraph({ market: smallMarket(2, 20, 2) });
  try {
    const source = localSources(`http://127.0.0.1:${sg.port}`)[0]!;
    const store = new MemoryStore();
    const hours = hoursBetween(TEST_END_HOUR - 11 * HOUR_SECONDS, TEST_END_HOUR);
    const deps = { store, client: createSubgraphClient(source.id, `http://127.0.0.1:${sg.port}/subgraphs/name/uniswap-v3`), retryPolicy: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 }, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 }, now: () => new Date() };
    let calls = 0;
    const first = await backfill(source, hours, { ...deps, shouldStop: () => ++calls > 5 });
    expect([first.done, first.skipped]).toEqual([5, 0]);
    const before = sg.requests['uniswap-v3'];
    const second = await backfill(source, hours, deps);
    expect([second.done, second.skipped]).toEqual([12, 5]);
    expect(sg.requests['uniswap-v3'] - before).toBe(7);
    expect((await store.list('manifests/')).length).toBe(12);
  } finally {
    await sg.close();
  }
});

test('progress shows the bar, hours, rows, rate and ETA', () => {
  const line = formatProgress({ done: 30, skipped: 10, total: 120, rows: 12345, quarantined: 0, requests: 20, elapsedMs: 10_000, hour: '2026-11-24T07:00:00Z' }, 12);
  expect(line).toBe('[###.........] 30/120 hours (10 already done)  12,345 rows  1,235 rows/s  ETA 45s  2026-11-24T07:00:00Z');
  expect([formatDuration(59), formatDuration(61), formatDuration(3725)]).toEqual(['59s', '1m01s', '1h02m']);
});
