/** The simulated DEX market the local subgraph serves: plain data, no GraphQL. */

import { HOUR_SECONDS } from '../../shared/hours';

export { HOUR_SECONDS };
export { SUBGRAPH_KINDS, type SubgraphKind } from '../../shared/subgraph/kinds';
import type { SubgraphKind } from '../../shared/subgraph/kinds';

export const ANOMALY_TYPES = ['volume_spike', 'liquidity_drain', 'rug_pull', 'mispriced_token'] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export interface SimToken {
  readonly index: number;
  /** Lower-case 0x address. */
  readonly address: string;
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  readonly stable: boolean;
}

export interface SimPool {
  readonly kind: SubgraphKind;
  readonly index: number;
  readonly address: string;
  readonly token0: number;
  readonly token1: number;
  /** Fee in hundredths of a basis point (3000 = 0.3 %), as the subgraphs store it. */
  readonly feeTier: number;
  /** Window hour of creation; negative means created before the window. */
  readonly createdHour: number;
}

/**
 * One pool's hourly path over the window (index 0 = first window hour). A pool's value follows a
 * constant-product position: TVL = 2 L sqrt(p0 p1), token amounts L sqrt(p1/p0) and L sqrt(p0/p1).
 */
export interface PoolSeries {
  readonly liquidity: Float64Array;
  /** True USD volume traded in the hour; 0 when the pool had no swap. */
  readonly volumeUSD: Float64Array;
  readonly txCount: Int32Array;
  /** 1 when the pool had any event in the hour: only then does an hourly entity exist. */
  readonly active: Uint8Array;
  /** Factor on the USD values the subgraph reports (a mispriced token's spike), 1 normally. */
  readonly usdMispricing: Float64Array;
  /** Factor on token0's market price for this pool (a rug pull's collapse), 1 normally. */
  readonly token0PriceShock: Float64Array;
  /** Seconds into the hour of the first event, when the entity appears. */
  readonly firstEventOffset: Int16Array;
  /** Relative intra-hour price excursion beyond open/close, for high and low. */
  readonly intraHourRange: Float32Array;
}

export interface AnomalyTruth {
  readonly subgraph: SubgraphKind;
  readonly pool: string;
  readonly type: AnomalyType;
  /** Unix seconds of each affected hour's start. */
  readonly hours: readonly number[];
  /** The factor applied: volume multiple, share of TVL removed, USD price error. */
  readonly magnitude: number;
  /** 'abandonment': liquidity withdrawn to nothing by the simulation itself; absent when injected. */
  readonly origin?: 'abandonment';
}

export const HARD_NEGATIVE_KINDS = ['market_move', 'large_deposit', 'once_a_day'] as const;
export type HardNegativeKind = (typeof HARD_NEGATIVE_KINDS)[number];

/**
 * Normal behaviour that looks abnormal, recorded so a benchmark can count false alerts on it:
 * a major token moving 10 % with volume surging in every pool that trades it, a single large
 * deposit, a pool that trades about once a day. (New pools' first days and weekends are in every
 * simulation and need no record.)
 */
export interface HardNegative {
  readonly kind: HardNegativeKind;
  /** The subgraph and pool for pool-level ones; undefined for a market-wide move. */
  readonly subgraph?: SubgraphKind;
  readonly pool?: string;
  /** Unix seconds of the first hour affected. */
  readonly hour: number;
  readonly magnitude: number;
}

export interface Market {
  readonly seed: number;
  /** Unix seconds of the first window hour's start. */
  readonly startTime: number;
  readonly hours: number;
  readonly tokens: readonly SimToken[];
  /** USD price per token per window hour. */
  readonly tokenPrices: readonly Float64Array[];
  readonly wethIndex: number;
  readonly subgraphs: Readonly<Record<SubgraphKind, { readonly pools: readonly SimPool[]; readonly series: readonly PoolSeries[] }>>;
  readonly hardNegatives: readonly HardNegative[];
  readonly truth: readonly AnomalyTruth[];
}

/** Window hour of a unix time (may be out of range). */
export function windowHour(market: Market, unixSeconds: number): number {
  return Math.floor((unixSeconds - market.startTime) / HOUR_SECONDS);
}
