import type { AlertPolicy, ScoredPoolHour } from '../alerting/alert_policy';
import { evaluateAlerts, type TruthEvent } from '../detection/evaluate';
import { PolicyReplay } from '../detection/replay_policy';
import { truthPoolKey } from '../detection/truth_file';
import { AppError } from '../errors';
import type { TruthDetection } from '../model_registry/version_metadata';
import type { IsolationForest } from '../iforest/isolation_forest';
import type { QueryParam, Warehouse } from '../warehouse/warehouse';
import { forEachRow } from './row_cursor';
import { truthReplaySql } from './training_query';

export type { TruthDetection };

const HOUR = 3600;

/** The cloud's case: there is no ground truth, and the figures say so instead of showing zeros. */
export const NO_GROUND_TRUTH: TruthDetection = { available: false, note: 'no ground truth (only the local simulator has one): detection figures not computed' };

/**
 * Scores every pool-hour of the evaluation part with `forest`, hour by hour as the hourly scorer
 * does, replays the alert policy over them (episodes carried, so posts are what a user receives)
 * and evaluates the alerts against `events` with the detection benchmark's code. Streams one hour
 * at a time. A mart the policy cannot read (a non-finite rule feature) gives `available: false`
 * with the reason rather than failing the run: the figures are informative, never the gate.
 */
export async function detectAgainstTruth(
  warehouse: Warehouse,
  forest: IsolationForest,
  featureNames: readonly string[],
  events: readonly TruthEvent[],
  params: { readonly eval_start: Date; readonly window_end: Date },
  policy: AlertPolicy,
): Promise<TruthDetection> {
  const F = featureNames.length;
  const replay = new PolicyReplay(policy);
  const pools = new Set<string>();
  let rows = 0;
  let hours = 0;
  let batch: Omit<ScoredPoolHour, 'score' | 'features'>[] = [];
  let keys: string[] = [];
  let values = new Float64Array(1024 * F);
  let currentHour = Number.NaN;

  const flush = (): void => {
    if (batch.length === 0) return;
    const raw = forest.scoreSamples({ featureNames, rows: batch.length, values: values.subarray(0, batch.length * F) });
    const scored: ScoredPoolHour[] = batch.map((meta, i) => {
      const features: Record<string, number> = {};
      for (let c = 0; c < F; c++) features[featureNames[c]!] = values[i * F + c]!;
      return { ...meta, score: -raw[i]!, features };
    });
    replay.decide(scored, keys);
    hours++;
    batch = [];
    keys = [];
  };

  const columns = ['source', 'dex', 'chain', 'pool_id', 'hour_unix', 'history_hours', 'is_warm', 'error_now', ...featureNames];
  const sqlParams: Readonly<Record<string, QueryParam>> = { eval_start: params.eval_start, window_end: params.window_end };
  try {
    await forEachRow(warehouse, truthReplaySql(featureNames), sqlParams, columns, (read) => {
      const hour = Number(read(4));
      if (hour !== currentHour) {
        flush();
        currentHour = hour;
      }
      const source = String(read(0));
      const poolId = String(read(3));
      const key = truthPoolKey(source, poolId);
      if (values.length < (batch.length + 1) * F) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      // Number() as the scorer reads the mart (a null feature becomes 0 there too).
      for (let c = 0; c < F; c++) values[batch.length * F + c] = Number(read(8 + c));
      batch.push({ source, dex: String(read(1)), chain: String(read(2)), pool_id: poolId, hour_ts: new Date(hour * 1000).toISOString(), history_hours: Number(read(5)), is_warm: read(6) === true, is_data_error: read(7) === true });
      keys.push(key);
      pools.add(key);
      rows++;
    });
    flush();
  } catch (err) {
    if (!(err instanceof AppError) || err.retryable) throw err;
    return { available: false, note: `detection against the ground truth not computed: ${err.message}` };
  }
  const from = params.eval_start.getTime() / 1000;
  const to = params.window_end.getTime() / 1000 - HOUR;
  const figures = evaluateAlerts(events, replay.alerts(), { from, to, pools: pools.size });
  return {
    available: true,
    window: { from, to, hours, pools: pools.size, rows },
    policy: { scoreThreshold: policy.scoreThreshold, spikeConfirmThreshold: policy.spikeConfirmThreshold ?? null, cooldownHours: policy.cooldownHours, maxPostsPerHour: policy.maxPostsPerHour },
    figures,
  };
}
