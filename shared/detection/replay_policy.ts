import { decideHour, type AlertPolicy, type EpisodeState, type ScoredPoolHour } from '../alerting/alert_policy';
import { InvalidInputError } from '../errors';
import { FEATURE_NAMES } from '../features/feature_spec';
import type { AlertRecord } from './evaluate';

/**
 * Scored mart rows replayed through the alert policy hour by hour, as the hourly scorer decides
 * them: the episode state carries from one hour to the next, so `post` is what a user receives
 * (one message per pool, type and episode). The mart's features have no look-ahead, so replaying
 * the mart's rows of hour H is what the scorer does at H. Pure; the benchmark and the train
 * use-case both evaluate detection through it.
 */
export class PolicyReplay {
  private state: EpisodeState = new Map();
  private lastHour = -Infinity;
  private readonly out: AlertRecord[] = [];

  constructor(private readonly policy: AlertPolicy) {}

  /**
   * Decides one hour's rows (hours in increasing order) and keeps the ones that alert; `poolKeys[i]`
   * names row i's pool as the ground truth does (`<source>/<pool>`).
   */
  decide(rows: readonly ScoredPoolHour[], poolKeys: readonly string[]): void {
    if (rows.length === 0) return;
    const hour = Date.parse(rows[0]!.hour_ts) / 1000;
    if (!(hour > this.lastHour)) throw new InvalidInputError(`PolicyReplay got ${rows[0]!.hour_ts} after an hour at or past it: hours must increase`);
    this.lastHour = hour;
    const decided = decideHour(rows, this.policy, this.state);
    this.state = decided.state;
    decided.decisions.forEach((d, k) => {
      if (d.alert_type !== null) this.out.push({ pool: poolKeys[k]!, hour, type: d.alert_type, post: d.post });
    });
  }

  /** Every alerting decision so far, in time order. */
  alerts(): AlertRecord[] {
    return [...this.out];
  }
}

/** Scored rows as columns, sorted by hour; `features` row-major in the order of `featureNames`. */
export interface ReplayRows {
  readonly source: readonly string[];
  readonly dex: readonly string[];
  readonly chain: readonly string[];
  readonly pool: readonly string[];
  /** Unix seconds of each row's hour. */
  readonly hour: ArrayLike<number>;
  readonly historyHours: ArrayLike<number>;
  readonly isWarm: ArrayLike<number>;
  /** A data error known when the hour is scored (the past-only flags; 1 or 0). */
  readonly errorNow: ArrayLike<number>;
  readonly features: ArrayLike<number>;
  readonly length: number;
}

/**
 * Replays rows sorted by hour (with their anomaly scores) through the policy; returns the alerts.
 * `ruleInputs` changes what the policy's rules read (the benchmark's ablations); default as stored.
 */
export function replayPolicy(
  rows: ReplayRows,
  scores: ArrayLike<number>,
  policy: AlertPolicy,
  featureNames: readonly string[] = FEATURE_NAMES,
  ruleInputs: (features: Record<string, number>) => Record<string, number> = (f) => f,
): AlertRecord[] {
  const F = featureNames.length;
  const replay = new PolicyReplay(policy);
  let i = 0;
  while (i < rows.length) {
    const hour = rows.hour[i]!;
    const batch: ScoredPoolHour[] = [];
    const keys: string[] = [];
    const hourTs = new Date(hour * 1000).toISOString();
    for (; i < rows.length && rows.hour[i] === hour; i++) {
      const features: Record<string, number> = {};
      for (let c = 0; c < F; c++) features[featureNames[c]!] = rows.features[i * F + c]!;
      batch.push({ source: rows.source[i]!, dex: rows.dex[i]!, chain: rows.chain[i]!, pool_id: rows.pool[i]!, hour_ts: hourTs, history_hours: rows.historyHours[i]!, is_warm: rows.isWarm[i] === 1, is_data_error: rows.errorNow[i] === 1, score: scores[i]!, features: ruleInputs(features) });
      keys.push(`${rows.source[i]!}/${rows.pool[i]!}`);
    }
    replay.decide(batch, keys);
  }
  return replay.alerts();
}
