import { HOUR_SECONDS, type Market, type PoolSeries, type SimPool } from '../market/market';

/** What a pool looked like in one window hour, as the subgraph would report it. */
export interface HourValues {
  readonly liquidity: number;
  readonly amount0: number;
  readonly amount1: number;
  /** Reported USD values (a mispriced token inflates them). */
  readonly tvlUSD: number;
  readonly volumeUSD: number;
  readonly feesUSD: number;
  readonly volumeToken0: number;
  readonly volumeToken1: number;
  readonly txCount: number;
  /** token1 per token0 and its inverse, as the subgraphs name them. */
  readonly token1Price: number;
  readonly token0Price: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly ethPrice: number;
}

export function tokenPricesAt(market: Market, pool: SimPool, series: PoolSeries, t: number): { p0: number; p1: number } {
  return { p0: market.tokenPrices[pool.token0]![t]! * series.token0PriceShock[t]!, p1: market.tokenPrices[pool.token1]![t]! };
}

/**
 * Values of window hour t; `fraction` < 1 is an hour still in progress at the pinned block, whose
 * flows (volume, fees, transactions) have only partly happened.
 */
export function hourValues(market: Market, pool: SimPool, series: PoolSeries, t: number, fraction = 1): HourValues {
  const { p0, p1 } = tokenPricesAt(market, pool, series, t);
  const l = series.liquidity[t]!;
  const mispricing = series.usdMispricing[t]!;
  const volume = series.volumeUSD[t]! * fraction;
  const close = p1 / p0;
  const previous = t > 0 ? tokenPricesAt(market, pool, series, t - 1) : { p0, p1 };
  const open = previous.p1 / previous.p0;
  const range = series.intraHourRange[t]!;
  const volumeUSD = volume * mispricing;
  return {
    liquidity: l,
    amount0: l * Math.sqrt(p1 / p0),
    amount1: l * Math.sqrt(p0 / p1),
    tvlUSD: 2 * l * Math.sqrt(p0 * p1) * mispricing,
    volumeUSD,
    feesUSD: (volumeUSD * pool.feeTier) / 1e6,
    volumeToken0: volume / 2 / p0,
    volumeToken1: volume / 2 / p1,
    txCount: fraction < 1 ? Math.max(1, Math.floor(series.txCount[t]! * fraction)) : series.txCount[t]!,
    token1Price: p0 / p1,
    token0Price: close,
    open,
    high: Math.max(open, close) * (1 + range),
    low: Math.min(open, close) * (1 - range),
    close,
    ethPrice: market.tokenPrices[market.wethIndex]![t]!,
  };
}

/** Running totals of a pool's flows, so lifetime fields at any block cost O(1). */
export interface PoolTotals {
  readonly volumeUSD: Float64Array;
  readonly volumeToken0: Float64Array;
  readonly volumeToken1: Float64Array;
  readonly feesUSD: Float64Array;
  readonly txCount: Float64Array;
}

/** totals.x[t] = sum of hours before t (index 0: the pool's history before the window). */
export function poolTotals(market: Market, pool: SimPool, series: PoolSeries): PoolTotals {
  const n = market.hours + 1;
  const totals = { volumeUSD: new Float64Array(n), volumeToken0: new Float64Array(n), volumeToken1: new Float64Array(n), feesUSD: new Float64Array(n), txCount: new Float64Array(n) };
  if (pool.createdHour < 0) {
    // History before the window: a plausible lifetime so far, proportional to the pool's age.
    const age = -pool.createdHour;
    const v = hourValues(market, pool, series, 0);
    totals.volumeUSD[0] = v.tvlUSD * 0.01 * age;
    totals.volumeToken0[0] = v.amount0 * 0.005 * age;
    totals.volumeToken1[0] = v.amount1 * 0.005 * age;
    totals.feesUSD[0] = (totals.volumeUSD[0] * pool.feeTier) / 1e6;
    totals.txCount[0] = 3 * age;
  }
  for (let t = 0; t < market.hours; t++) {
    const v = series.active[t] ? hourValues(market, pool, series, t) : undefined;
    totals.volumeUSD[t + 1] = totals.volumeUSD[t]! + (v?.volumeUSD ?? 0);
    totals.volumeToken0[t + 1] = totals.volumeToken0[t]! + (v?.volumeToken0 ?? 0);
    totals.volumeToken1[t + 1] = totals.volumeToken1[t]! + (v?.volumeToken1 ?? 0);
    totals.feesUSD[t + 1] = totals.feesUSD[t]! + (v?.feesUSD ?? 0);
    totals.txCount[t + 1] = totals.txCount[t]! + (v?.txCount ?? 0);
  }
  return totals;
}

export function hourStart(market: Market, t: number): number {
  return market.startTime + t * HOUR_SECONDS;
}

/** Unix seconds of the pool's creation (before the window for most pools). */
export function createdAt(market: Market, pool: SimPool): number {
  return hourStart(market, pool.createdHour) + 600;
}
