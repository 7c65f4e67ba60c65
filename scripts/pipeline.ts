/**
 * npm run pipeline [-- --pools 200 --days 30 --seed 1 --out out --fresh]
 * npm run pipeline -- --replay <folder> [--days <newest days>] [--truth <truth.json>]
 *
 * The whole system on embedded defaults, no cloud and no network: simulates a market (or replays
 * recorded subgraph responses, docs/replay-format.md) and serves it as the three subgraphs, fetches every hour, loads and transforms on DuckDB, through the same
 * use-cases the Cloud Functions call, then says what it found and where the files are.
 */
import * as z from 'zod';
import { runPipeline } from '../local/pipeline/run_pipeline';
import { truthDetectionLines } from '../shared/train/truth_detection_text';
import { CliUsageError, parseCliArgs, runCli } from './cli_args';
import { BENCHMARK_END_HOUR } from '../local/market/benchmark_window';
import { terminalProgress } from './progress';

const argsSchema = z.object({
  pools: z.coerce.number().int().min(1).max(5000).default(200).describe('simulated pools per subgraph (three subgraphs)'),
  days: z.coerce.number().int().min(2).max(90).default(30).describe('days of hourly history (a simulation needs at least 7)'),
  seed: z.coerce.number().int().min(0).default(1).describe('simulation seed'),
  out: z.string().min(1).default('out').describe('output folder (lake/, truth.json, alerts, report.html)'),
  fresh: z.boolean().default(false).describe('delete what an earlier run left in the output folder first'),
  replay: z.string().min(1).optional().describe('serve this replay folder (docs/replay-format.md) instead of a simulation; the window comes from the data (--days: only its newest days)'),
  truth: z.string().min(1).optional().describe("judge the alerts against this truth file (the simulator's truth.json format, docs/replay-format.md) instead of the simulator's own"),
});

/** True when the command line names the flag (a default does not count). */
function given(argv: readonly string[], flag: string): boolean {
  return argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
}

const MIN_SIMULATED_DAYS = 7;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const a = parseCliArgs(argsSchema, argv, {
    usage: 'npm run pipeline -- [--pools 200] [--days 30] [--seed 1] [--out out] [--fresh] [--truth <file>]\n       npm run pipeline -- --replay <folder> [--days <newest days>] [--out out] [--fresh] [--truth <file>]',
    summary: 'Runs the whole pipeline locally on a simulated market or on recorded subgraph responses (no cloud, no network) and shows what it found.',
  });
  if (a.replay !== undefined) {
    const refused = ['pools', 'seed'].filter((f) => given(argv, f));
    if (refused.length > 0) throw new CliUsageError(`${refused.map((f) => `--${f}`).join(' and ')} cannot be used with --replay: the replay's pools are what it recorded and nothing is simulated (--days keeps only its newest days)`);
  }
  // Pools need 72 h of history before they may alert, then training days, then scored days: under 7 days one of them is empty.
  if (a.replay === undefined && a.days < MIN_SIMULATED_DAYS) throw new CliUsageError(`--days: a simulated run needs at least ${MIN_SIMULATED_DAYS} days (3 of warm-up before a pool may alert, then training and scored days); got ${a.days}`);
  const started = performance.now();
  const result = await runPipeline(
    { pools: a.pools, days: a.days, seed: a.seed, outDir: a.out, endHour: BENCHMARK_END_HOUR, subgraph: 'process', fresh: a.fresh, ...(a.replay === undefined ? {} : { replay: { dir: a.replay, ...(given(argv, 'days') ? { days: a.days } : {}) } }), ...(a.truth === undefined ? {} : { truthFile: a.truth }) },
    terminalProgress(),
  );
  const total = (performance.now() - started) / 1000;
  const out = process.stdout;
  out.write(`\npipeline finished in ${total.toFixed(1)} s\n\n`);
  out.write(`alerts delivered (one per pool, type and episode): ${result.alerts.length}\n`);
  for (const a of result.alerts.slice(0, 15)) out.write(`  ${a.hour.slice(0, 13).replace('T', ' ')}h  ${a.type.padEnd(15)} ${a.severity.padEnd(8)} ${a.source}/${a.pool.slice(0, 12)}  ${a.summary.slice(0, 90)}\n`);
  if (result.alerts.length > 15) out.write(`  ... and ${result.alerts.length - 15} more in ${result.alertsFile}\n`);
  const scoredDays = result.scored.length / 24;
  out.write(`alerts per day over the ${scoredDays} scored days: ${(result.alerts.length / scoredDays).toFixed(2)} (${result.alerts.filter((x) => x.type !== 'data_error').length} market alerts, ${result.alerts.filter((x) => x.type === 'data_error').length} data errors)\n`);
  const d = result.detection;
  if (d) {
    out.write(`\ndetection against ${result.truthFile ?? 'the truth'} (scored days only):\n`);
    out.write(`  ${'type'.padEnd(16)} ${'events'.padStart(6)} ${'<=1 h'.padStart(6)} ${'<=2 h'.padStart(6)} ${'median delay h'.padStart(15)}\n`);
    for (const [type, f] of Object.entries(d.types)) if (f.events > 0) out.write(`  ${type.padEnd(16)} ${String(f.events).padStart(6)} ${String(f.caught_1h).padStart(6)} ${String(f.caught_2h).padStart(6)} ${(f.median_delay_h === null ? '-' : String(f.median_delay_h)).padStart(15)}\n`);
    out.write(`  alert precision ${d.alert_precision === null ? 'n/a' : d.alert_precision.toFixed(2)}; false alerts per 1,000 pools per day ${d.alerts_per_1000_pools_day.toFixed(2)}; mispriced routed as data errors ${d.mispriced_as_data_error === null ? 'n/a' : d.mispriced_as_data_error.toFixed(2)}\n`);
  }
  out.write(`\nmodel     ${result.trained.version} (PR-AUC ${result.trained.metrics.overall.prAuc?.toFixed(3) ?? 'n/a'} against the proxy label)\n`);
  if (result.trained.truthDetection.available) {
    out.write(`\nthe model's own evaluation days (before the scored days) replayed against the truth, as train reports it:\n`);
    for (const line of truthDetectionLines(result.trained.truthDetection)) out.write(line === '' ? '\n' : `  ${line}\n`);
    out.write('\n');
  }
  out.write(`files     ${result.lakeDir} (raw/, manifests/, models/, warehouse.duckdb: dex_anomaly.pool_scores, dex_anomaly.alerts)\n          ${result.alertsFile} (messages as Slack would get them)\n${result.truthFile === null ? '' : `          ${result.truthFile} (the truth the alerts were judged against)\n`}          ${result.reportFile} (the report: open it in a browser)\n`);
  if (result.transform.failedAssertions.length > 0) process.exitCode = 1;
}

void runCli(main);
