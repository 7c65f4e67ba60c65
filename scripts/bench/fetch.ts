/**
 * npm run bench:fetch [-- --pools 500 --days 30 --source uniswap-v3-ethereum]
 *
 * Backfills `days` x `pools` from the local subgraph (run in a child process, so the memory
 * figures are the fetcher's alone) into a temporary folder, and prints requests, rows, rows per
 * request, rows per second, and retained memory sampled along the way (after a GC): flat memory
 * means the backfill streams hour by hour instead of holding the data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { parseCliArgs, runCli } from '../cli_args';
import { localSources } from '../../shared/config/sources';
import { backfill, hoursBetween } from '../../shared/fetch/backfill';
import { realRetryDeps, DEFAULT_RETRY_POLICY } from '../../shared/retry';
import { openObjectStore } from '../../shared/storage/open_store';
import { createSubgraphClient } from '../../shared/subgraph/subgraph_client';

const END_HOUR = '2026-11-24T23:00:00Z';

function freePort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => { res(port); });
    });
  });
}

async function main(): Promise<void> {
  const values = parseCliArgs(
    z.object({
      pools: z.coerce.number().int().min(1).max(20000).default(500).describe('simulated pools per subgraph'),
      days: z.coerce.number().int().min(1).max(400).default(30).describe('days fetched'),
      source: z.enum(['uniswap-v3-ethereum', 'sushiswap-v2-ethereum', 'sushiswap-v3-ethereum']).default('uniswap-v3-ethereum').describe('source fetched'),
    }),
    process.argv.slice(2),
    { usage: 'npm run bench:fetch -- [--pools 500] [--days 30] [--source uniswap-v3-ethereum]', summary: 'Backfills one source from a local subgraph child process; prints requests, rows/s and memory.' },
  );
  const { pools, days } = values;
  const port = await freePort();
  const repo = resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'local', 'subgraph', 'cli.ts'), '--port', String(port), '--pools', String(pools), '--days', String(days), '--end', END_HOUR, '--seed', '1'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('local subgraph serving')) ready();
    });
    child.on('exit', (code) => { fail(new Error(`local subgraph exited with ${code}`)); });
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-fetch-'));
  try {
    const source = localSources(`http://127.0.0.1:${port}`).find((s) => s.id === values.source)!;
    const last = Date.parse(END_HOUR) / 1000;
    const hours = hoursBetween(last - (days * 24 - 1) * 3600, last);
    const samples: { share: number; heapMb: number; rssMb: number }[] = [];
    const marks = new Set([0.25, 0.5, 0.75, 1].map((s) => Math.round(s * hours.length)));
    const result = await backfill(source, hours, {
      store: openObjectStore(dir),
      client: createSubgraphClient(source.id, 'url' in source.endpoint ? source.endpoint.url : ''),
      retryPolicy: DEFAULT_RETRY_POLICY,
      retryDeps: realRetryDeps,
      now: () => new Date(),
      onProgress: (p) => {
        if (marks.has(p.done)) {
          // Collect first, so the samples show what the backfill keeps, not garbage awaiting GC.
          (globalThis as { gc?: () => void }).gc?.();
          const m = process.memoryUsage();
          samples.push({ share: p.done / p.total, heapMb: Math.round(m.heapUsed / 1e5) / 10, rssMb: Math.round(m.rss / 1e5) / 10 });
        }
      },
    });
    const seconds = result.elapsedMs / 1000;
    console.log(
      JSON.stringify({
        source: source.id,
        pools,
        days,
        hours: result.done,
        requests: result.requests,
        rows: result.rows,
        rows_per_request: Math.round((result.rows / result.requests) * 10) / 10,
        rows_per_s: Math.round(result.rows / seconds),
        seconds: Math.round(seconds * 10) / 10,
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        memory_along_the_run: samples,
      }),
    );
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

void runCli(main);
