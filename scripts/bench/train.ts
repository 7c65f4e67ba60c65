/**
 * npm run bench:train [-- --pools 2000 --days 30 --table-days 30 --sources 3 --trees 100 --samples 256] [--json]
 *
 * Builds a synthetic feature mart in a DuckDB file (sources x pools x table-days hours, with the
 * columns training reads), then runs the train use-case on it in a child process, so the figures
 * are the training run's own: time per phase and peak RSS. Run it with --table-days above --days
 * to see that rows outside the window cost nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { silentLogger } from '../../shared/logging';
import { LocalFolderStore } from '../../shared/storage/local_folder_store';
import { trainModel } from '../../shared/train/train_model';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { createSyntheticMart } from '../../test/helpers/synthetic_mart';
import { parseCliArgs, runCli } from '../cli_args';

const END = '2026-11-30T00:00:00Z';
const SOURCES = ['uniswap-v3-ethereum', 'sushiswap-v2-ethereum', 'sushiswap-v3-ethereum', 'uniswap-v3-arbitrum'];

const flags = z.object({
  pools: z.coerce.number().int().min(10).max(20_000).default(2000).describe('pools per source'),
  sources: z.coerce.number().int().min(1).max(SOURCES.length).default(3).describe('sources'),
  days: z.coerce.number().int().min(2).max(90).default(30).describe('training window, days'),
  'table-days': z.coerce.number().int().min(2).max(365).default(30).describe('days of data in the table (>= days)'),
  trees: z.coerce.number().int().min(1).default(100).describe('trees'),
  samples: z.coerce.number().int().min(2).default(256).describe('rows per tree'),
  'train-rows': z.coerce.number().int().min(100).default(65_536).describe('training rows sampled from the window'),
  child: z.string().optional().describe('internal: the DuckDB file to train on'),
});

async function trainChild(a: z.infer<typeof flags>, db: string): Promise<void> {
  const warehouse = await DuckDbWarehouse.open(db);
  const started = performance.now();
  const result = await trainModel(
    { warehouse, store: new LocalFolderStore(join(db, '..', 'store')), now: () => new Date(END), logger: silentLogger, codeVersion: 'bench' },
    { windowDays: a.days, evalDays: 7, trees: a.trees, samples: a.samples, trainRows: a['train-rows'], windowEnd: END },
  );
  const totalMs = performance.now() - started;
  await warehouse.close();
  console.log(JSON.stringify({
    total_s: Math.round(totalMs) / 1000,
    phases_ms: result.timingsMs,
    train_window_rows: result.rows.trainWindow,
    train_rows: result.rows.train,
    eval_rows: result.rows.evaluation,
    pr_auc: result.metrics.overall.prAuc,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const a = parseCliArgs(flags, argv.filter((x) => x !== '--json'));
  if (a.child) return trainChild(a, a.child);
  if (a['table-days'] < a.days) throw new Error('--table-days must be at least --days');
  const dir = mkdtempSync(join(tmpdir(), 'bench-train-'));
  try {
    const db = join(dir, 'mart.duckdb');
    const built = performance.now();
    const wh = await DuckDbWarehouse.open(db);
    const martRows = await createSyntheticMart(wh, { sources: SOURCES.slice(0, a.sources), poolsPerSource: a.pools, hours: a['table-days'] * 24, end: END, featureNames: FEATURE_NAMES });
    await wh.close();
    const buildS = Math.round(performance.now() - built) / 1000;
    if (!json) process.stderr.write(`mart: ${martRows.toLocaleString('en')} rows (${a.sources} sources x ${a.pools} pools x ${a['table-days']} days) built in ${buildS} s; training...\n`);
    const childArgs = ['--expose-gc', '--import', 'tsx', __filename, '--child', db, ...argv.filter((x) => x !== '--json')];
    const out = JSON.parse(execFileSync(process.execPath, childArgs, { encoding: 'utf8' }).trim().split('\n').pop()!) as Record<string, unknown>;
    const figures = { mart_rows: martRows, sources: a.sources, pools_per_source: a.pools, window_days: a.days, table_days: a['table-days'], trees: a.trees, samples: a.samples, ...out };
    if (json) console.log(JSON.stringify(figures));
    else {
      const phases = out.phases_ms as Record<string, number>;
      console.log(`| mart rows | window rows (train part) | train rows | eval rows | total s | ${Object.keys(phases).join(' ms | ')} ms | peak RSS MB | PR-AUC |`);
      console.log(`|${'--:|'.repeat(7 + Object.keys(phases).length)}`);
      console.log(`| ${martRows} | ${String(out.train_window_rows)} | ${String(out.train_rows)} | ${String(out.eval_rows)} | ${String(out.total_s)} | ${Object.values(phases).join(' | ')} | ${String(out.peak_rss_mb)} | ${Number(out.pr_auc).toFixed(4)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void runCli(main);
