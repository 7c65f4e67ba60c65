/**
 * Typed rules over the mart's features: what kind of event a pool-hour looks like, in words a
 * person acts on. They read only scale-free, pool- or market-relative features, so they mean the
 * same for a $10k pool and a $1B one, and a market-wide move (every pool at once) is subtracted.
 */
import type { RuleAlertType, Severity } from './vocabulary';

export type TypedAlert = RuleAlertType;
export type { Severity };

export interface RuleThresholds {
  /** Rug pull: TVL falls below this log ratio in one hour (ln 0.1: 90 % gone) ... */
  readonly rugTvlLogChange: number;
  /** ... and the pool's swap rate for token0 collapses below this log ratio (ln 0.3). */
  readonly rugRateLogChange: number;
  /** Drain: TVL's one-hour log change, net of the market's, at most this (ln 0.75) ... */
  readonly drainTvlLogChange: number;
  /** ... and TVL at most this log ratio of the week's maximum (ln 0.7). */
  readonly drainDrawdown: number;
  /** A drain is critical below this drawdown (ln 0.2: 80 % gone). */
  readonly drainHighDrawdown: number;
  /** Spike: volume_vs_usual net of the market's at least this (1.5: about 3.5x the usual busy hour) ... */
  readonly spikeVolumeExcess: number;
  /** ... with transactions at least this far above the usual (ln 3: twice the usual count). */
  readonly spikeTx: number;
  /** A spike is critical above this volume excess (2.3: about 9x the usual busy hour). */
  readonly spikeHighVolumeExcess: number;
  /** A spike is in its second hour when the previous hour's volume net of this hour's market move was at least this (1.25: about 2.5x the usual busy hour); chosen on seeds 1-3. */
  readonly spikePreviousHourExcess: number;
}

export const DEFAULT_RULES: RuleThresholds = {
  rugTvlLogChange: Math.log(0.1),
  rugRateLogChange: Math.log(0.3),
  drainTvlLogChange: Math.log(0.75),
  drainDrawdown: Math.log(0.7),
  drainHighDrawdown: Math.log(0.2),
  spikeVolumeExcess: 1.5,
  spikeTx: Math.log(3),
  spikeHighVolumeExcess: 2.3,
  spikePreviousHourExcess: 1.25,
};

/** The features the rules read (names of shared/features/feature_spec.ts). */
export const RULE_FEATURES = ['volume_vs_usual', 'volume_vs_usual_1h_ago', 'tx_vs_usual', 'tvl_log_change_1h', 'tvl_drawdown_7d', 'swap_rate_log_change_1h', 'market_volume_move', 'market_tvl_move'] as const;
export type RuleFeature = (typeof RULE_FEATURES)[number];
export type RuleInputs = Readonly<Record<RuleFeature, number>>;

export interface RuleMatch {
  readonly type: TypedAlert;
  readonly severity: Severity;
  /** One sentence for a person: what moved, by how much. */
  readonly reason: string;
  /** A volume spike whose previous hour was already well above the usual (spikePreviousHourExcess): two hours in a row confirm it without the forest. */
  readonly sustained?: boolean;
}

const pct = (logRatio: number) => `${Math.round((1 - Math.exp(logRatio)) * 100)} %`;
const times = (x: number) => `${(Math.exp(x) - 1).toFixed(1)}x`;

/** The most serious rule a pool-hour matches (rug pull, then drain, then spike), or undefined. */
export function matchRules(f: RuleInputs, t: RuleThresholds = DEFAULT_RULES): RuleMatch | undefined {
  const tvlNet = f.tvl_log_change_1h - Math.min(f.market_tvl_move, 0);
  if (f.tvl_log_change_1h <= t.rugTvlLogChange && f.swap_rate_log_change_1h <= t.rugRateLogChange) {
    return { type: 'rug_pull', severity: 'critical', reason: `TVL fell ${pct(f.tvl_log_change_1h)} in one hour while token0's price in the pool fell ${pct(f.swap_rate_log_change_1h)}` };
  }
  if (tvlNet <= t.drainTvlLogChange && f.tvl_drawdown_7d <= t.drainDrawdown) {
    const severity = f.tvl_drawdown_7d <= t.drainHighDrawdown ? 'critical' : 'warning';
    return { type: 'liquidity_drain', severity, reason: `TVL fell ${pct(f.tvl_log_change_1h)} in one hour (market ${pct(f.market_tvl_move)}), ${pct(f.tvl_drawdown_7d)} below its 7-day high` };
  }
  const volumeExcess = f.volume_vs_usual - Math.max(f.market_volume_move, 0);
  if (volumeExcess >= t.spikeVolumeExcess && f.tx_vs_usual >= t.spikeTx) {
    const severity = volumeExcess >= t.spikeHighVolumeExcess ? 'critical' : 'warning';
    // The previous hour netted with this hour's market move: a market surge lasts its hours together.
    const sustained = f.volume_vs_usual_1h_ago - Math.max(f.market_volume_move, 0) >= t.spikePreviousHourExcess;
    const second = sustained ? `, the second hour in a row (previous hour ${times(f.volume_vs_usual_1h_ago)})` : '';
    return { type: 'volume_spike', severity, sustained, reason: `volume ${times(f.volume_vs_usual)} the pool's usual busy hour (market ${times(f.market_volume_move)})${second}, transactions ${times(f.tx_vs_usual)} the usual` };
  }
  return undefined;
}
