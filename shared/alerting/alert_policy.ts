import { InvalidInputError } from '../errors';
import { percentileLinear } from '../iforest/percentile';
import { DEFAULT_RULES, matchRules, RULE_FEATURES, type RuleInputs, type RuleThresholds } from './alert_rules';
import { ALERT_TYPES, SEVERITY_RANK, type AlertType, type Severity } from './vocabulary';

/**
 * The alert policy: from a scored pool-hour to what is stored and posted. Pure: the score
 * function calls `decideHour` once per hour with the hour's rows and the previous episode state,
 * stores every decision in `pool_scores` (and the alerting ones in `alerts`) and posts exactly the
 * decisions with `post: true` to Slack.
 */
export { ALERT_TYPES, type AlertType, type Severity };

/** One pool-hour as the scorer has it: the mart's row and the forest's score. */
export interface ScoredPoolHour {
  readonly source: string;
  readonly dex: string;
  readonly chain: string;
  readonly pool_id: string;
  /** ISO hour start, e.g. 2026-11-24T13:00:00.000Z. */
  readonly hour_ts: string;
  readonly history_hours: number;
  readonly is_warm: boolean;
  /** The mart's is_data_error: when scoring the newest hour, only the past-only flags can be set. */
  readonly is_data_error: boolean;
  /** Anomaly score in (0, 1]: minus scikit-learn's score_samples, higher = more abnormal. */
  readonly score: number;
  /** At least the features the rules read (RULE_FEATURES). */
  readonly features: Readonly<Record<string, number>>;
}

/**
 * What the policy decided for one pool-hour: the row of `pool_scores`, and when `post` is true
 * the Slack message's content. Field names are the warehouse's column names.
 */
export interface AlertDecision {
  readonly source: string;
  readonly dex: string;
  readonly chain: string;
  readonly pool_id: string;
  readonly hour_ts: string;
  readonly score: number;
  /** The forest's score threshold in force (stored with the model). */
  readonly threshold: number;
  /** True for a market event (a typed rule or the forest above its threshold); false for normal hours, warm-up and data errors. */
  readonly is_anomaly: boolean;
  /** null for a normal hour; 'data_error' routes a suspected bad row to the data channel, not to traders. */
  readonly alert_type: AlertType | null;
  readonly severity: Severity | null;
  /** chain/dex/pool_id/alert_type: alerts with the same key within the cooldown are one episode. */
  readonly episode_key: string | null;
  /** ISO hour the episode began (this hour for a new one). */
  readonly episode_start: string | null;
  /** True exactly when a message is sent: the first hour of an episode, not muted, within the hour's cap. */
  readonly post: boolean;
  /** Why, in words (for Slack and for the person reading `pool_scores`). */
  readonly reason: string;
  /** The numbers the reason is built from (the rules' features and the score). */
  readonly reason_inputs: Readonly<Record<string, number>>;
}

export interface AlertPolicy {
  /** Forest scores at or above this are abnormal: thresholdForRate(training scores, targetRate). */
  readonly scoreThreshold: number;
  /** Pools younger than this (hours of history) never alert. */
  readonly minHistoryHours: number;
  /** A same-type alert within this many hours of the last one continues its episode (no new post). */
  readonly cooldownHours: number;
  /** At most this many posts per hour (highest severity, then score, first); the rest are stored only. */
  readonly maxPostsPerHour: number;
  /** Muted pool ids, `chain/dex/pool_id` or episode keys: stored, never posted. */
  readonly mute: readonly string[];
  readonly rules: RuleThresholds;
  /** When set, a medium volume spike alerts only if the forest's score is at least this (a looser quantile than scoreThreshold) or the spike is in its second hour: the model confirms the rule. */
  readonly spikeConfirmThreshold?: number;
  /** Whether the forest alone (no rule) may post an untyped anomaly; stored either way. */
  readonly postUntyped?: boolean;
}

export const DEFAULT_POLICY: Omit<AlertPolicy, 'scoreThreshold'> = {
  minHistoryHours: 72,
  cooldownHours: 24,
  maxPostsPerHour: 20,
  mute: [],
  rules: DEFAULT_RULES,
  postUntyped: false,
};

/** Share of training rows above the forest's alert threshold (about 2 alerts per 1,000 pools per day). */
export const DEFAULT_SCORE_RATE = 0.0001;
/** Share of training rows above the looser threshold that confirms a medium volume spike in its first hour (chosen on seeds 1-3 with the second-hour rule: `npm run bench:detect:ablation`). */
export const DEFAULT_SPIKE_CONFIRM_RATE = 0.005;

/**
 * The default policy for a trained model: both thresholds from its training scores (the train
 * step stores them with the model), typed rules, forest-confirmed medium spikes, forest-only
 * anomalies stored but not posted.
 */
export function defaultPolicy(trainingScores: ArrayLike<number>, overrides: Partial<AlertPolicy> = {}): AlertPolicy {
  return {
    ...DEFAULT_POLICY,
    scoreThreshold: thresholdForRate(trainingScores, DEFAULT_SCORE_RATE),
    spikeConfirmThreshold: thresholdForRate(trainingScores, DEFAULT_SPIKE_CONFIRM_RATE),
    ...overrides,
  };
}

/** Open episodes: episode key -> ISO start and unix seconds of the last alert hour. */
export type EpisodeState = ReadonlyMap<string, { readonly start: string; readonly lastHour: number }>;

/**
 * The score threshold that flags `targetRate` of the training rows (the (1 - rate) quantile of
 * their anomaly scores, numpy's linear percentile). The train step stores it with the model.
 */
export function thresholdForRate(trainingScores: ArrayLike<number>, targetRate: number): number {
  if (!(targetRate > 0 && targetRate < 1)) throw new InvalidInputError(`targetRate must be in (0, 1), got ${targetRate}`);
  if (trainingScores.length === 0) throw new InvalidInputError('trainingScores is empty: cannot derive a threshold');
  return percentileLinear(trainingScores, 100 * (1 - targetRate));
}

function ruleInputs(row: ScoredPoolHour): RuleInputs {
  const out = {} as Record<(typeof RULE_FEATURES)[number], number>;
  for (const name of RULE_FEATURES) {
    const v = row.features[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`feature ${name} of ${row.source}/${row.pool_id} at ${row.hour_ts} is ${String(v)}, expected a finite number`);
    out[name] = v;
  }
  return out;
}

/**
 * Decides one hour: rows of different hours are rejected (episodes advance hour by hour). Returns
 * one decision per row, in the rows' order, and the episode state for the next hour.
 */
export function decideHour(rows: readonly ScoredPoolHour[], policy: AlertPolicy, state: EpisodeState = new Map()): { decisions: AlertDecision[]; state: EpisodeState } {
  if (rows.length === 0) return { decisions: [], state };
  const hour = rows[0]!.hour_ts;
  const hourUnix = Date.parse(hour) / 1000;
  if (!Number.isFinite(hourUnix)) throw new InvalidInputError(`hour_ts '${hour}' is not an ISO time`);
  const mute = new Set(policy.mute);
  const next = new Map(state);
  const drafts = rows.map((row) => {
    if (row.hour_ts !== hour) throw new InvalidInputError(`decideHour got rows of ${hour} and ${row.hour_ts}: one hour at a time`);
    return draft(row, policy);
  });
  // The hour's cap: posts go to the most serious new episodes first.
  const order = drafts.map((_, i) => i).filter((i) => drafts[i]!.alert_type !== null);
  order.sort((a, b) => SEVERITY_RANK[drafts[a]!.severity!] - SEVERITY_RANK[drafts[b]!.severity!] || drafts[b]!.score - drafts[a]!.score);
  let posts = 0;
  const decisions = [...drafts];
  for (const i of order) {
    const d = drafts[i]!;
    const row = rows[i]!;
    const key = `${row.chain}/${row.dex}/${row.pool_id}/${d.alert_type!}`;
    const open = next.get(key);
    const continues = open !== undefined && hourUnix - open.lastHour <= policy.cooldownHours * 3600 && hourUnix > open.lastHour;
    const start = continues ? open.start : hour;
    next.set(key, { start, lastHour: hourUnix });
    let post = !continues;
    let reason = d.reason;
    if (post && (mute.has(row.pool_id) || mute.has(`${row.chain}/${row.dex}/${row.pool_id}`) || mute.has(key))) {
      post = false;
      reason += ' (muted)';
    } else if (post && posts >= policy.maxPostsPerHour) {
      post = false;
      reason += ` (not posted: over ${policy.maxPostsPerHour} posts this hour)`;
    } else if (!post) {
      reason += ` (episode since ${start})`;
    }
    if (post) posts++;
    decisions[i] = { ...d, episode_key: key, episode_start: start, post, reason };
  }
  return { decisions, state: next };
}

function draft(row: ScoredPoolHour, policy: AlertPolicy): AlertDecision {
  const base = { source: row.source, dex: row.dex, chain: row.chain, pool_id: row.pool_id, hour_ts: row.hour_ts, score: row.score, threshold: policy.scoreThreshold, episode_key: null, episode_start: null, post: false };
  if (!row.is_warm || row.history_hours < policy.minHistoryHours) {
    return { ...base, is_anomaly: false, alert_type: null, severity: null, reason: `warming up: ${row.history_hours} h of history, ${policy.minHistoryHours} needed`, reason_inputs: { history_hours: row.history_hours } };
  }
  if (row.is_data_error) {
    return { ...base, is_anomaly: false, alert_type: 'data_error', severity: 'info', reason: 'suspected data error (USD price of a token off by 10x or more against its recent prices, or a data-quality flag): check the source, not the market', reason_inputs: { score: row.score } };
  }
  const inputs = ruleInputs(row);
  const reasonInputs = { ...inputs, score: row.score };
  const match = matchRules(inputs, policy.rules);
  const forest = row.score >= policy.scoreThreshold;
  // A medium spike needs the forest's confirmation, or a second hour in a row: one noisy hour rarely has a loud neighbour.
  const unconfirmed = match?.type === 'volume_spike' && match.severity === 'warning' && match.sustained !== true && policy.spikeConfirmThreshold !== undefined && row.score < policy.spikeConfirmThreshold;
  if (match && !unconfirmed) {
    const also = forest ? '; the model agrees' : '';
    return { ...base, is_anomaly: true, alert_type: match.type, severity: match.severity, reason: `${match.reason}${also}`, reason_inputs: reasonInputs };
  }
  if (forest && policy.postUntyped === false) {
    return { ...base, is_anomaly: true, alert_type: null, severity: 'info', reason: `unusual combination of features: score ${row.score.toFixed(3)} >= threshold ${policy.scoreThreshold.toFixed(3)} (stored, not posted: no rule matches)`, reason_inputs: reasonInputs };
  }
  if (forest) {
    return { ...base, is_anomaly: true, alert_type: 'anomaly', severity: 'info', reason: `unusual combination of features: score ${row.score.toFixed(3)} >= threshold ${policy.scoreThreshold.toFixed(3)}`, reason_inputs: reasonInputs };
  }
  return { ...base, is_anomaly: false, alert_type: null, severity: null, reason: 'normal', reason_inputs: reasonInputs };
}
