/**
 * npm run bench:detect:ablation [-- --seed 1,2,3 --pools 200 --days 30 --score-days 10]
 *
 * What each part of the default policy buys, on bench:detect's data (same simulation, mart,
 * training rows and forest seed): the forest with and without the previous hour's volume
 * (`volume_vs_usual_1h_ago`), the medium-spike confirmation at several training quantiles, and
 * the second-hour rule (a medium spike whose previous hour was above the spike level too alerts
 * without the forest) on and off. Seeds pooled; one markdown table on stdout. Choose on tuning
 * seeds, then report held-out seeds with the choice fixed.
 */
import * as z from 'zod';
import { BENCHMARK_END_HOUR, BENCHMARK_SCORE_DAYS } from '../../local/market/benchmark_window';
import { simulateMarket } from '../../local/market/simulate_market';
import { defaultPolicy, thresholdForRate } from '../../shared/alerting';
import { replayPolicy } from '../../shared/detection/replay_policy';
import { evaluateAlerts, poolEvaluations, type Evaluation, type EvaluationWindow } from '../../shared/detection/evaluate';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { IsolationForest, type FeatureMatrix } from '../../shared/iforest';
import { parseCliArgs, runCli } from '../cli_args';
import { buildBenchData, type MartRows } from './detect_data';

const PREVIOUS_HOUR = 'volume_vs_usual_1h_ago';
const FOREST_FEATURES = { 'forest with the previous hour': FEATURE_NAMES, 'forest without the previous hour': FEATURE_NAMES.filter((n) => n !== PREVIOUS_HOUR) } as const;
const CONFIRM_RATES = [0.01, 0.005, 0.003] as const;
type Features = Record<string, number>;
/** The rules see a quiet previous hour: no spike is ever in its second hour. */
const withoutSecondHour = (f: Features): Features => ({ ...f, [PREVIOUS_HOUR]: 0 });
const RULE_INPUTS = { 'second-hour rule': (f: Features) => f, 'no second-hour rule': withoutSecondHour } as const;

function columns(rows: MartRows, names: readonly string[]): FeatureMatrix {
  const all = FEATURE_NAMES.length;
  const index = names.map((n) => FEATURE_NAMES.indexOf(n));
  const values = new Float64Array(rows.length * names.length);
  for (let i = 0; i < rows.length; i++) index.forEach((c, k) => { values[i * names.length + k] = rows.features[i * all + c]!; });
  return { featureNames: names, rows: rows.length, values };
}

function anomalyScores(forest: IsolationForest, m: FeatureMatrix): Float64Array {
  const s = forest.scoreSamples(m);
  for (let i = 0; i < s.length; i++) s[i] = -s[i]!;
  return s;
}

async function main(): Promise<void> {
  const a = parseCliArgs(
    z.object({
      seed: z.string().regex(/^\d+(,\d+)*$/, 'expected seeds like 1,2,3').default('1,2,3'),
      pools: z.coerce.number().int().min(1).default(200),
      days: z.coerce.number().int().min(14).default(30),
      'score-days': z.coerce.number().int().min(1).default(BENCHMARK_SCORE_DAYS),
    }),
    process.argv.slice(2),
  );
  const seeds = a.seed.split(',').map(Number);
  const runs = new Map<string, { evaluations: Evaluation[]; windows: EvaluationWindow[] }>();
  for (const seed of seeds) {
    const data = await buildBenchData(simulateMarket({ seed, pools: a.pools, days: a.days, endHour: BENCHMARK_END_HOUR }), a['score-days'], 150_000);
    const window: EvaluationWindow = { from: data.scoreFrom, to: data.scoreTo, pools: data.pools };
    for (const [forestName, names] of Object.entries(FOREST_FEATURES)) {
      const train = columns(data.train, names);
      const forest = IsolationForest.fit(train, { seed: 1, nEstimators: 100, maxSamples: 256 });
      const trainScores = anomalyScores(forest, train);
      const scores = anomalyScores(forest, columns(data.score, names));
      for (const rate of CONFIRM_RATES) {
        for (const [rulesName, ruleInputs] of Object.entries(RULE_INPUTS)) {
          const policy = defaultPolicy(trainScores, { spikeConfirmThreshold: thresholdForRate(trainScores, rate) });
          const key = `${forestName}; spikes confirmed at ${(rate * 100).toFixed(1)} %; ${rulesName}`;
          const run = runs.get(key) ?? { evaluations: [], windows: [] };
          run.evaluations.push(evaluateAlerts(data.events, replayPolicy(data.score, scores, policy, FEATURE_NAMES, ruleInputs), window));
          run.windows.push(window);
          runs.set(key, run);
        }
      }
    }
    process.stderr.write(`seed ${seed} done\n`);
  }
  const head = ['| variant | volume spike <= 2 h | drain <= 2 h | abandonment <= 2 h | rug pull <= 2 h | mispriced | posted | precision | false / 1k pools / day |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|'];
  const line = (key: string, e: Evaluation) => {
    const t = e.types;
    return `| ${key} | ${t.volume_spike.caught_2h}/${t.volume_spike.events} | ${t.liquidity_drain.caught_2h}/${t.liquidity_drain.events} | ${t.abandonment.caught_2h}/${t.abandonment.events} | ${t.rug_pull.caught_2h}/${t.rug_pull.events} | ${t.mispriced_token.caught_1h}/${t.mispriced_token.events} | ${e.alerts_posted} | ${e.alert_precision === null ? '-' : e.alert_precision.toFixed(2)} | ${e.alerts_per_1000_pools_day.toFixed(2)} |`;
  };
  const lines = [`Seeds ${seeds.join(', ')} pooled, ${a.pools} pools per source, ${a.days} days, last ${a['score-days']} scored.`, '', ...head];
  for (const [key, run] of runs) lines.push(line(key, poolEvaluations(run.evaluations, run.windows)));
  if (seeds.length > 1) {
    seeds.forEach((seed, k) => {
      lines.push('', `Seed ${seed}:`, '', ...head);
      for (const [key, run] of runs) lines.push(line(key, run.evaluations[k]!));
    });
  }
  console.log(lines.join('\n'));
}

void runCli(main);
