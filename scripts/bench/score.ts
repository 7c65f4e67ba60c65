/**
 * npm run bench:score [-- --pools 20000 --hours 3 --trees 100 --event-rate 0.0005 --json]
 *
 * One hour of scoring end to end on embedded DuckDB, as the hourly job runs it: builds a mart of
 * `--pools` pools (scripts/bench/score_mart.ts, a week of history before the scored hours), trains
 * and promotes a production model into a temporary folder registry with the train use-case, then
 * calls the score use-case for `--hours` consecutive hours (read the mart's rows of the hour,
 * score, apply the alert policy, explain the alerting pools, write pool_scores, record alerts and
 * deliver them to a JSONL file). Prints each hour's wall time and CPU time (the process's, every
 * thread: on a shared machine CPU time is the bench's own cost) and the share of each step. The
 * first hour of a process pays the one-time costs (tables created, model loaded); later hours are
 * what a warm instance pays.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { alertsConfig, alertsEnvShape, openNotifier } from '../../shared/alerts/alerts_config';
import { loadMuteList } from '../../shared/alerts/mute_list';
import { HOUR_SECONDS, iso } from '../../shared/hours';
import { silentLogger } from '../../shared/logging';
import { scoreHour, type ScoreHourResult } from '../../shared/pipeline/score_hour';
import { SCORE_STEPS, type ScoreStep, type StepCost } from '../../shared/pipeline/score_steps';
import { envSecrets } from '../../shared/secrets/secrets';
import { openObjectStore } from '../../shared/storage/open_store';
import { trainModel } from '../../shared/train/train_model';
import { parseTrainOptions } from '../../shared/train/train_options';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import { parseCliArgs, runCli } from '../cli_args';
import { BENCH_SOURCES, countBenchMart, createBenchMart } from './score_mart';

const MODEL_NAME = 'bench-score';
/** The first scored hour; the table holds a week before it (the explanations' baseline, the training window). */
const FIRST_HOUR = Date.parse('2026-11-24T00:00:00Z') / 1000;
const HISTORY_HOURS = 7 * 24;

const flags = z.object({
  pools: z.coerce.number().int().min(10).max(200_000).default(20_000).describe('pools in all (spread over 3 sources)'),
  hours: z.coerce.number().int().min(1).max(168).default(3).describe('consecutive hours scored (the first pays the one-time costs)'),
  trees: z.coerce.number().int().min(1).max(1000).default(100).describe('trees of the production model'),
  'event-rate': z.coerce.number().min(0).max(0.05).default(0.0005).describe('chance per pool-hour of a rug pull, of a drain, of a data error (spikes twice that)'),
  'mart-db': z.string().optional().describe('a DuckDB file to keep the mart in and reuse on the next run with the same flags (default: in memory, built every run)'),
  json: z.boolean().default(false).describe('print one JSON object'),
});

interface HourFigures {
  readonly hour: string;
  readonly pools: number;
  readonly alertCandidates: number;
  readonly newAlerts: number;
  readonly totalMs: number;
  readonly cpuMs: number;
  readonly warehouseCalls: Readonly<Record<string, number>>;
  readonly steps: Readonly<Record<ScoreStep | 'other', StepCost>>;
}

/** The warehouse with a count of each kind of call: round trips are what a BigQuery run pays for. */
function countingWarehouse(inner: Warehouse, counts: Map<string, number>): Warehouse {
  const count = (kind: string) => {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  return {
    dialect: inner.dialect,
    query: (sql, params) => (count('query'), inner.query(sql, params)),
    stream: (sql, params) => (count('stream'), inner.stream(sql, params)),
    ensureTable: (spec) => (count('ensureTable'), inner.ensureTable(spec)),
    replaceRows: (spec, key, rows) => (count('replaceRows'), inner.replaceRows(spec, key, rows)),
    exposeRawLayer: (url) => inner.exposeRawLayer(url),
    close: () => inner.close(),
  };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const a = parseCliArgs(flags, process.argv.slice(2), { usage: 'npm run bench:score -- [--pools 20000] [--hours 3] [--json]', summary: 'One hour of scoring end to end on DuckDB: time and CPU per step.' });
  const say = (text: string) => {
    if (!a.json) process.stderr.write(`${text}\n`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'bench-score-'));
  const reuse = a['mart-db'] !== undefined && existsSync(a['mart-db']);
  const duck = await DuckDbWarehouse.open(a['mart-db']);
  try {
    let started = performance.now();
    const martOptions = { pools: a.pools, fromHour: FIRST_HOUR - HISTORY_HOURS * HOUR_SECONDS, hours: HISTORY_HOURS + a.hours, eventRate: a['event-rate'], salt: 7 };
    // A kept mart is reused as is (the caller keeps the flags); what scoring wrote last time goes.
    const martRows = reuse ? await countBenchMart(duck) : await createBenchMart(duck, martOptions);
    for (const table of ['pool_scores', 'alerts']) await duck.query(`DROP TABLE IF EXISTS dex_anomaly.${table}`);
    const buildS = round((performance.now() - started) / 1000, 2);
    say(`mart: ${martRows.toLocaleString('en')} rows (${a.pools} pools x ${HISTORY_HOURS + a.hours} hours) ${reuse ? `reused from ${a['mart-db']!}` : `built in ${buildS} s`}; training...`);

    const store = openObjectStore(dir);
    started = performance.now();
    const trained = await trainModel(
      { warehouse: duck, store, now: () => new Date(FIRST_HOUR * 1000), logger: silentLogger, triggeredBy: 'bench' },
      parseTrainOptions({ modelName: MODEL_NAME, windowEnd: iso(FIRST_HOUR), windowDays: 7, evalDays: 1, trees: a.trees, seed: 1 }),
    );
    if (!trained.promoted) throw new Error(`the bench model was not promoted: ${trained.reason}`);
    const trainS = round((performance.now() - started) / 1000, 2);
    say(`model ${trained.version} (${a.trees} trees) trained and promoted in ${trainS} s; scoring ${a.hours} hour(s)...`);

    const alertEnv = z.object(alertsEnvShape).parse({ ALERTS_FILE: join(dir, 'alerts.jsonl') });
    const config = alertsConfig(alertEnv, dir);
    const notifier = await openNotifier(config, envSecrets({}), {}, silentLogger);
    const counts = new Map<string, number>();
    const warehouse = countingWarehouse(duck, counts);
    let now = new Date(FIRST_HOUR * 1000);
    const hours: HourFigures[] = [];
    for (let k = 0; k < a.hours; k++) {
      const hour = FIRST_HOUR + k * HOUR_SECONDS;
      now = new Date((hour + HOUR_SECONDS + 35 * 60) * 1000);
      counts.clear();
      const steps = new Map<ScoreStep, StepCost>();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const result: ScoreHourResult = await scoreHour(
        {
          warehouse,
          store,
          modelName: MODEL_NAME,
          alerts: { notifier, loadMuteList: () => loadMuteList(store, config.muteListKey), config: config.policy, now: () => now, logger: silentLogger },
          onStep: (step, cost) => steps.set(step, cost),
        },
        hour,
      );
      const totalMs = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      const measured = SCORE_STEPS.map((s) => steps.get(s) ?? { wallMs: 0, cpuMs: 0 });
      const other = { wallMs: totalMs - measured.reduce((n, c) => n + c.wallMs, 0), cpuMs: cpuMs - measured.reduce((n, c) => n + c.cpuMs, 0) };
      hours.push({
        hour: result.hour,
        pools: result.pools,
        alertCandidates: result.alertCandidates,
        newAlerts: result.published.alerts.newAlerts,
        totalMs,
        cpuMs,
        warehouseCalls: Object.fromEntries(counts),
        steps: Object.fromEntries([...SCORE_STEPS.map((s, i) => [s, measured[i]!] as const), ['other', other] as const]) as HourFigures['steps'],
      });
    }

    const stepNames = [...SCORE_STEPS, 'other'] as const;
    const summarize = (hs: readonly HourFigures[]) =>
      hs.length === 0
        ? null
        : {
            hours: hs.length,
            total_ms: round(median(hs.map((h) => h.totalMs))),
            cpu_ms: round(median(hs.map((h) => h.cpuMs))),
            steps: Object.fromEntries(
              stepNames.map((s) => {
                const wall = median(hs.map((h) => h.steps[s].wallMs));
                return [s, { wall_ms: round(wall), cpu_ms: round(median(hs.map((h) => h.steps[s].cpuMs))), share: round(wall / median(hs.map((h) => h.totalMs)), 3) }];
              }),
            ),
          };
    const figures = {
      pools: a.pools,
      sources: BENCH_SOURCES.length,
      mart_rows: martRows,
      trees: a.trees,
      event_rate: a['event-rate'],
      model_version: trained.version,
      mart_build_s: buildS,
      train_s: trainS,
      first_hour: summarize(hours.slice(0, 1)),
      later_hours_median: summarize(hours.slice(1)),
      hours: hours.map((h) => ({
        hour: h.hour,
        pools: h.pools,
        alert_candidates: h.alertCandidates,
        new_alerts: h.newAlerts,
        total_ms: round(h.totalMs),
        cpu_ms: round(h.cpuMs),
        warehouse_calls: h.warehouseCalls,
        steps_ms: Object.fromEntries(stepNames.map((s) => [s, round(h.steps[s].wallMs)])),
      })),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (a.json) {
      console.log(JSON.stringify(figures));
      return;
    }
    const pct = (part: number, total: number) => `${round((100 * part) / total)} %`;
    console.log('\nEach step: wall ms (share of the hour) / CPU ms of the process.');
    console.log(`| hour | pools | alerts (new) | total ms | CPU ms | warehouse calls | ${stepNames.join(' | ')} |`);
    console.log(`|---|--:|--:|--:|--:|---|${'--:|'.repeat(stepNames.length)}`);
    for (const h of hours) {
      const calls = Object.entries(h.warehouseCalls).map(([k, n]) => `${n} ${k}`).join(', ');
      const cells = stepNames.map((s) => `${round(h.steps[s].wallMs)} (${pct(h.steps[s].wallMs, h.totalMs)}) / ${round(h.steps[s].cpuMs)}`);
      console.log(`| ${h.hour} | ${h.pools} | ${h.alertCandidates} (${h.newAlerts}) | ${round(h.totalMs)} | ${round(h.cpuMs)} | ${calls} | ${cells.join(' | ')} |`);
    }
    const later = figures.later_hours_median;
    console.log(`\nfirst hour: ${figures.first_hour!.total_ms} ms (CPU ${figures.first_hour!.cpu_ms} ms)${later ? `; later hours, median of ${later.hours}: ${later.total_ms} ms (CPU ${later.cpu_ms} ms)` : ''}; peak RSS ${figures.peak_rss_mb} MB`);
  } finally {
    await duck.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void runCli(main);
