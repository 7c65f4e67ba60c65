/**
 * npm run bench:fetch-load [-- --pools 200 --days 30 --json]
 *
 * The pipeline's first three steps as `npm run pipeline` runs them (the local subgraph in a child
 * process, the same fetch and load calls), into a temporary folder: wall seconds and CPU seconds
 * of this process and of the subgraph child per step, then a second fetch and load on the same
 * store (nothing to do: what a rerun costs). CPU seconds are the figure to compare on a busy
 * machine; wall seconds are what a user waits.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { parseCliArgs, runCli } from '../cli_args';
import { fetchWindow, loadWindow } from '../../local/pipeline/fetch_and_load';
import { startSubgraphProcess } from '../../local/pipeline/subgraph_process';
import { ownCpuSeconds, processCpuSeconds } from '../../shared/ops/cpu_time';
import { openObjectStore } from '../../shared/storage/open_store';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';

const END_HOUR = Date.parse('2026-11-24T23:00:00Z') / 1000;

interface StepFigures {
  readonly step: string;
  readonly wall_s: number;
  readonly cpu_s: number;
  readonly child_cpu_s: number | null;
  readonly summary: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const a = parseCliArgs(
    z.object({
      pools: z.coerce.number().int().min(1).max(5000).default(200).describe('simulated pools per subgraph (three subgraphs)'),
      days: z.coerce.number().int().min(2).max(90).default(30).describe('days of hourly history'),
      json: z.boolean().default(false).describe('print one JSON object instead of a table'),
    }),
    process.argv.slice(2),
    { usage: 'npm run bench:fetch-load -- [--pools 200] [--days 30] [--json]', summary: 'Times the pipeline\'s simulate, fetch and load steps (wall and CPU seconds, this process and the subgraph child).' },
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-fetch-load-'));
  const steps: StepFigures[] = [];
  // The subgraph child, once it serves.
  const watched: { pid?: number } = {};
  const timed = async <T>(step: string, run: () => Promise<T>, summary: (r: T) => string): Promise<T> => {
    const wall = performance.now();
    const cpu = ownCpuSeconds();
    const child = watched.pid === undefined ? 0 : processCpuSeconds(watched.pid);
    const result = await run();
    const childAfter = watched.pid === undefined ? undefined : processCpuSeconds(watched.pid);
    steps.push({ step, wall_s: round((performance.now() - wall) / 1000), cpu_s: round(ownCpuSeconds() - cpu), child_cpu_s: childAfter === undefined || child === undefined ? null : round(childAfter - child), summary: summary(result) });
    if (!a.json) process.stderr.write(`${step.padEnd(14)} done\n`);
    return result;
  };
  const lakeDir = join(dir, 'lake');
  mkdirSync(lakeDir);
  const server = await timed('simulate', () => startSubgraphProcess({ seed: 1, pools: a.pools, days: a.days, endHour: END_HOUR, truthFile: join(dir, 'truth.json') }), () => `${a.pools} pools x 3 subgraphs, ${a.days} days`);
  // The child simulated before it served: all of its CPU so far belongs to the simulate step.
  watched.pid = server.pid;
  steps[0] = { ...steps[0]!, child_cpu_s: processCpuSeconds(server.pid) ?? null };
  const store = openObjectStore(lakeDir);
  const warehouse = await DuckDbWarehouse.open(join(lakeDir, 'warehouse.duckdb'));
  try {
    const fetchOnce = (step: string) =>
      timed(step, () => fetchWindow({ store, lakeDir, subgraphUrl: server.baseUrl, endHour: END_HOUR, days: a.days }), (r) => {
        if (!r.ok) throw new Error(`fetch failed: ${JSON.stringify(r.sources.filter((s) => s.error))}`);
        return `${r.sources.reduce((n, s) => n + s.fetched.length, 0)} hours, ${r.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0)} rows`;
      });
    const loadOnce = (step: string) => timed(step, () => loadWindow({ store, lakeDir, warehouse }), (r) => `${r.loaded} manifests loaded, ${r.refused.length} refused`);
    await fetchOnce('fetch');
    await loadOnce('load');
    await fetchOnce('fetch (rerun)');
    await loadOnce('load (rerun)');
  } finally {
    await warehouse.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (a.json) {
    console.log(JSON.stringify({ pools: a.pools, days: a.days, steps }));
    return;
  }
  console.log(`${'step'.padEnd(14)} ${'wall s'.padStart(7)} ${'cpu s'.padStart(7)} ${'child cpu s'.padStart(12)}  what`);
  for (const s of steps) console.log(`${s.step.padEnd(14)} ${s.wall_s.toFixed(1).padStart(7)} ${s.cpu_s.toFixed(1).padStart(7)} ${(s.child_cpu_s === null ? '-' : s.child_cpu_s.toFixed(1)).padStart(12)}  ${s.summary}`);
}

void runCli(main);
