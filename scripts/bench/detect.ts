/**
 * npm run bench:detect [-- --seed 1,2,3 --pools 200,1000 --days 30 --score-days 10 --json]
 *
 * For each seed and size: simulate the market (with its ground truth and hard negatives), write
 * the raw layer, build the mart with the project's own Dataform SQL on DuckDB, train the
 * Isolation Forest on the older days (warm rows, no data errors), then score the newest days hour
 * by hour and apply the alert policy. The mart's features have no look-ahead (a test rewrites the
 * future and checks that no feature moves), so scoring the mart's rows of hour H is what the
 * hourly scorer does at H; data errors are the past-only flags only. Reports per anomaly type the
 * share caught within 1 h and 2 h and the median delay, alert precision after deduplication,
 * false alerts per 1,000 pools per day, and mispriced tokens routed as data errors, for the
 * policy and for the baselines on the same data; writes bench-out/detect.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { simulateMarket } from '../../local/market/simulate_market';
import { BENCHMARK_END_HOUR, BENCHMARK_SCORE_DAYS } from '../../local/market/benchmark_window';
import { DEFAULT_POLICY, DEFAULT_RULES, defaultPolicy, thresholdForRate, type AlertPolicy, type RuleThresholds } from '../../shared/alerting';
import { markEpisodePosts } from '../../shared/detection/episodes';
import { replayPolicy as runPolicy } from '../../shared/detection/replay_policy';
import { EVENT_TYPES, evaluateAlerts, poolEvaluations, type AlertRecord, type Evaluation, type EvaluationWindow } from '../../shared/detection/evaluate';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { IsolationForest, type FeatureMatrix } from '../../shared/iforest';
import { averagePrecision, precisionAtK, recallAtK } from '../../shared/metrics/ranking';
import { parseCliArgs, runCli } from '../cli_args';
import { buildBenchData, RAW_NAMES, type BenchData, type MartRows } from './detect_data';

const END = BENCHMARK_END_HOUR;
const REPO = resolve(__dirname, '..', '..');
const COOLDOWN_HOURS = DEFAULT_POLICY.cooldownHours;
const NO_RULES: RuleThresholds = { ...DEFAULT_RULES, rugTvlLogChange: -Infinity, drainTvlLogChange: -Infinity, spikeVolumeExcess: Infinity };

const METHODS = ['policy (forest + rules)', 'policy, spikes unconfirmed, untyped posted', 'policy, spikes confirmed by the forest (0.3 %)', 'forest only', 'rules only', 'seed: forest on raw USD', 'DefiLlama guard (5x, back in 5 h)', 'per-pool robust z (|z| > 5)'] as const;
type Method = (typeof METHODS)[number];

interface RunResult {
  readonly seed: number;
  readonly pools: number;
  readonly window: EvaluationWindow;
  readonly byMethod: Record<Method, Evaluation>;
  readonly proxy: { readonly pr_auc: number; readonly precision_at_10: number; readonly recall_at_10: number; readonly positives: number; readonly rows: number };
  readonly threshold: number;
  readonly seconds: Record<string, number>;
}

function matrix(rows: MartRows, names: readonly string[], values: Float64Array): FeatureMatrix {
  return { featureNames: names, rows: rows.length, values: values.subarray(0, rows.length * names.length) };
}

function anomalyScores(forest: IsolationForest, m: FeatureMatrix): Float64Array {
  const s = forest.scoreSamples(m);
  for (let i = 0; i < s.length; i++) s[i] = -s[i]!;
  return s;
}

function seedForestAlerts(data: BenchData): AlertRecord[] {
  const forest = IsolationForest.fit(matrix(data.train, RAW_NAMES, data.train.raw), { seed: 7, nEstimators: 100, maxSamples: 256 });
  const threshold = thresholdForRate(anomalyScores(forest, matrix(data.train, RAW_NAMES, data.train.raw)), 0.001);
  const scores = anomalyScores(forest, matrix(data.score, RAW_NAMES, data.score.raw));
  const alerts: { pool: string; hour: number; type: string }[] = [];
  for (let i = 0; i < data.score.length; i++) if (scores[i]! >= threshold) alerts.push({ pool: `${data.score.source[i]!}/${data.score.pool[i]!}`, hour: data.score.hour[i]!, type: 'anomaly' });
  return markEpisodePosts(alerts, COOLDOWN_HOURS);
}

/** DefiLlama's guard: a 5x jump is decided 5 hours later: back by then, a data error; not, an alert. */
function guardAlerts(rows: MartRows): AlertRecord[] {
  const alerts: { pool: string; hour: number; type: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (!rows.guardJump[i]) continue;
    alerts.push({ pool: `${rows.source[i]!}/${rows.pool[i]!}`, hour: rows.hour[i]! + 5 * 3600, type: rows.guardBack[i] ? 'data_error' : 'anomaly' });
  }
  alerts.sort((a, b) => a.hour - b.hour);
  return markEpisodePosts(alerts, COOLDOWN_HOURS);
}

function robustZAlerts(rows: MartRows): AlertRecord[] {
  const alerts: { pool: string; hour: number; type: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows.historyHours[i]! < 24) continue;
    const type = rows.zTvl[i]! < -5 ? 'liquidity_drain' : rows.zVolume[i]! > 5 ? 'volume_spike' : undefined;
    if (type) alerts.push({ pool: `${rows.source[i]!}/${rows.pool[i]!}`, hour: rows.hour[i]!, type });
  }
  return markEpisodePosts(alerts, COOLDOWN_HOURS);
}

async function runOne(seed: number, pools: number, days: number, scoreDays: number, targetRate: number, log: (s: string) => void): Promise<RunResult> {
  const started = Date.now();
  const market = simulateMarket({ seed, pools, days, endHour: END });
  const data = await buildBenchData(market, scoreDays, 150_000);
  log(`seed ${seed}, ${pools} pools/source: ${data.martRows} mart rows (raw ${data.seconds.raw.toFixed(0)} s, mart ${data.seconds.mart.toFixed(0)} s, read ${data.seconds.read.toFixed(0)} s); training on ${data.train.length} rows, scoring ${data.score.length}`);
  const fitStarted = Date.now();
  const trainMatrix = matrix(data.train, FEATURE_NAMES, data.train.features);
  const forest = IsolationForest.fit(trainMatrix, { seed: 1, nEstimators: 100, maxSamples: 256 });
  const trainScores = anomalyScores(forest, trainMatrix);
  const threshold = thresholdForRate(trainScores, targetRate);
  const scores = anomalyScores(forest, matrix(data.score, FEATURE_NAMES, data.score.features));
  const window: EvaluationWindow = { from: data.scoreFrom, to: data.scoreTo, pools: data.pools };
  const policy: AlertPolicy = defaultPolicy(trainScores, { scoreThreshold: threshold });
  const evaluate = (alerts: AlertRecord[]) => evaluateAlerts(data.events, alerts, window);
  const byMethod = {
    'policy (forest + rules)': evaluate(runPolicy(data.score, scores, policy)),
    'policy, spikes unconfirmed, untyped posted': evaluate(runPolicy(data.score, scores, { ...policy, spikeConfirmThreshold: undefined, postUntyped: true })),
    'policy, spikes confirmed by the forest (0.3 %)': evaluate(runPolicy(data.score, scores, { ...policy, spikeConfirmThreshold: thresholdForRate(trainScores, 0.003) })),
    'forest only': evaluate(runPolicy(data.score, scores, { ...policy, rules: NO_RULES, postUntyped: true })),
    'rules only': evaluate(runPolicy(data.score, scores, { ...policy, scoreThreshold: Infinity, spikeConfirmThreshold: undefined })),
    'seed: forest on raw USD': evaluate(seedForestAlerts(data)),
    'DefiLlama guard (5x, back in 5 h)': evaluate(guardAlerts(data.score)),
    'per-pool robust z (|z| > 5)': evaluate(robustZAlerts(data.score)),
  } satisfies Record<Method, Evaluation>;
  // The proxy label against the forest's score, over the warm, clean scored rows.
  const proxyScores: number[] = [];
  const proxyLabels: number[] = [];
  for (let i = 0; i < data.score.length; i++) {
    if (!data.score.isWarm[i] || data.score.errorNow[i]) continue;
    proxyScores.push(scores[i]!);
    proxyLabels.push(data.score.y[i]!);
  }
  const proxy = { pr_auc: averagePrecision(proxyScores, proxyLabels), precision_at_10: precisionAtK(proxyScores, proxyLabels, 10), recall_at_10: recallAtK(proxyScores, proxyLabels, 10), positives: proxyLabels.reduce((a, b) => a + b, 0), rows: proxyLabels.length };
  const seconds = { ...data.seconds, model_and_policy: (Date.now() - fitStarted) / 1000, total: (Date.now() - started) / 1000 };
  log(`  done in ${seconds.total.toFixed(0)} s`);
  return { seed, pools, window, byMethod, proxy, threshold, seconds };
}

const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const share = (a: number, b: number) => (b === 0 ? '-' : `${a}/${b}`);

function table(title: string, evals: [string, Evaluation][]): string {
  const head = `| ${title} | ${EVENT_TYPES.map((t) => `${t} <=1h / <=2h (median h)`).join(' | ')} | posted | precision | false / 1k pools / day | false by type | mispriced as data error |`;
  const sep = `|---|${EVENT_TYPES.map(() => '--:|').join('')}--:|--:|--:|---|--:|`;
  const lines = evals.map(([name, e]) => {
    const typeCells = EVENT_TYPES.map((t) => (t === 'mispriced_token' ? share(e.types[t].caught_1h, e.types[t].events) : `${share(e.types[t].caught_1h, e.types[t].events)} / ${share(e.types[t].caught_2h, e.types[t].events)} (${fmt(e.types[t].median_delay_h, 1)})`));
    const falseTypes = Object.entries(e.false_by_type).map(([t, n]) => `${t} ${n}`).join(', ') || '-';
    return `| ${name} | ${typeCells.join(' | ')} | ${e.alerts_posted} | ${fmt(e.alert_precision)} | ${fmt(e.alerts_per_1000_pools_day)} | ${falseTypes} | ${fmt(e.mispriced_as_data_error)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).flatMap((a) => (a === '--json' ? ['--json', 'true'] : [a]));
  const a = parseCliArgs(
    z.object({
      seed: z.string().regex(/^\d+(,\d+)*$/, 'expected seeds like 1,2,3').default('1,2,3'),
      pools: z.string().regex(/^\d+(,\d+)*$/, 'expected sizes like 200,1000').default('200,1000'),
      days: z.coerce.number().int().min(14).default(30),
      'score-days': z.coerce.number().int().min(1).default(BENCHMARK_SCORE_DAYS),
      'target-rate': z.coerce.number().positive().max(0.5).default(0.0001),
      json: z.enum(['true']).optional(),
    }),
    argv,
  );
  const seeds = a.seed.split(',').map(Number);
  const sizes = a.pools.split(',').map(Number);
  const log = (s: string) => (a.json ? process.stderr : process.stdout).write(`${s}\n`);
  const runs: RunResult[] = [];
  for (const pools of sizes) for (const seed of seeds) runs.push(await runOne(seed, pools, a.days, a['score-days'], a['target-rate'], log));

  const sections: string[] = [`# bench:detect\n\nSeeds ${seeds.join(', ')}; ${sizes.join(' and ')} pools per source (three sources); ${a.days} days, the last ${a['score-days']} scored hour by hour; forest 100 trees, 256 samples, threshold at a target rate of ${a['target-rate']} of training rows. Caught = any market alert on the pool from the onset hour on (delay 1 h = the onset hour itself); precision over posted alerts (one per pool, type and episode, ${COOLDOWN_HOURS} h cooldown), true when within an event of that pool or the 24 h after it; mispriced = routed as data error in the hour itself.\n`];
  for (const pools of sizes) {
    const group = runs.filter((r) => r.pools === pools);
    const pooled = METHODS.map((m) => [m, poolEvaluations(group.map((r) => r.byMethod[m]), group.map((r) => r.window))] as [string, Evaluation]);
    sections.push(`## ${pools} pools per source, seeds ${group.map((r) => r.seed).join(', ')} pooled\n\n${table('method', pooled)}\n`);
    const proxy = group.map((r) => `seed ${r.seed}: PR-AUC ${fmt(r.proxy.pr_auc, 3)} (base rate ${fmt(r.proxy.positives / r.proxy.rows, 3)}), Precision@10 ${fmt(r.proxy.precision_at_10)}, Recall@10 ${fmt(r.proxy.recall_at_10, 4)}`).join('; ');
    sections.push(`Proxy label y (forest score; warm clean rows): ${proxy}.\n\nTimes: ${group.map((r) => `seed ${r.seed} ${r.seconds.total!.toFixed(0)} s (mart ${r.seconds.mart!.toFixed(0)} s)`).join(', ')}.\n`);
  }
  const markdown = sections.join('\n');
  const outDir = join(REPO, 'bench-out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'detect.md'), markdown);
  if (a.json) {
    const main = poolEvaluations(runs.map((r) => r.byMethod['policy (forest + rules)']), runs.map((r) => r.window));
    const baselines = Object.fromEntries(METHODS.slice(1).map((m) => [m, summary(poolEvaluations(runs.map((r) => r.byMethod[m]), runs.map((r) => r.window)))]));
    process.stdout.write(`${JSON.stringify({ seeds, pools: sizes.length === 1 ? sizes[0] : sizes, days: a.days, ...summary(main), proxy: runs.map((r) => ({ seed: r.seed, pools: r.pools, ...r.proxy })), baselines })}\n`);
  } else {
    console.log(`\n${markdown}\nwritten to bench-out/detect.md`);
  }
}

function summary(e: Evaluation) {
  return {
    types: Object.fromEntries(EVENT_TYPES.map((t) => [t, { events: e.types[t].events, caught_1h: e.types[t].caught_1h, caught_2h: e.types[t].caught_2h, median_delay_h: e.types[t].median_delay_h }])),
    alert_precision: e.alert_precision,
    alerts_per_1000_pools_day: e.alerts_per_1000_pools_day,
    mispriced_as_data_error: e.mispriced_as_data_error,
    alerts_posted: e.alerts_posted,
    false_by_type: e.false_by_type,
  };
}

void runCli(main);
