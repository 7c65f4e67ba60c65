/**
 * npm run pipeline [-- --pools 200 --days 30 --seed 1 --out out --fresh]
 *
 * The whole system on embedded defaults, no cloud and no network: simulates a market and serves
 * it as the three subgraphs, fetches every hour, loads and transforms on DuckDB, through the same
 * use-cases the Cloud Functions call, then says what it found and where the files are.
 */
import { z } from 'zod';
import { runPipeline } from '../local/pipeline/run_pipeline';
import { lastFullHour } from '../shared/hours';
import { parseCliArgs, runCli } from './cli_args';
import { terminalProgress } from './progress';

const argsSchema = z.object({
  pools: z.coerce.number().int().min(1).max(5000).default(200).describe('simulated pools per subgraph (three subgraphs)'),
  days: z.coerce.number().int().min(2).max(90).default(30).describe('days of hourly history'),
  seed: z.coerce.number().int().min(0).default(1).describe('simulation seed'),
  out: z.string().min(1).default('out').describe('output folder (lake/, truth.json, alerts, report.html)'),
  fresh: z.boolean().default(false).describe('delete what an earlier run left in the output folder first'),
});

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run pipeline -- [--pools 200] [--days 30] [--seed 1] [--out out] [--fresh]',
    summary: 'Runs the whole pipeline locally on a simulated market (no cloud, no network) and shows what it found.',
  });
  const started = performance.now();
  const result = await runPipeline({ pools: a.pools, days: a.days, seed: a.seed, outDir: a.out, endHour: lastFullHour(new Date()), subgraph: 'process', fresh: a.fresh }, terminalProgress());
  const total = (performance.now() - started) / 1000;
  process.stdout.write(`\npipeline finished in ${total.toFixed(1)} s\n`);
  process.stdout.write(`  data      ${result.lakeDir} (raw/, manifests/, warehouse.duckdb)\n  truth     ${result.truthFile}\n`);
  if (result.transform.failedAssertions.length > 0) process.exitCode = 1;
}

void runCli(main);
