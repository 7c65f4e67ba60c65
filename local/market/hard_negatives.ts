import type { Rng } from '../../shared/rng';
import { HOUR_SECONDS, SUBGRAPH_KINDS, type HardNegative, type Market, type PoolSeries, type SimPool } from './market';

/** Relative move of the major token in a market-wide move (the "a major token moves 10 %"). */
const MARKET_MOVE = 0.1;
/** Alt-coins follow ETH with about this beta in a market-wide move. */
const ALT_BETA = 0.8;

/**
 * Writes normal-but-hard behaviour into the series and returns what was written: market-wide
 * moves (ETH +-10 % in an hour, every alt-coin with it, volume and transactions x2.5-5 in every
 * pool with a non-stable token for two hours), single large deposits (liquidity x3-10 from one
 * hour on, about 1 % of pools) and pools that trade about once a day (about 3 %). Runs before
 * anomalies are injected, with its own random stream, so the rest of the market is unchanged.
 */
export function applyHardNegatives(market: Omit<Market, 'truth' | 'hardNegatives'>, rng: Rng): HardNegative[] {
  const out: HardNegative[] = [];
  const moves = Math.max(1, Math.round(market.hours / 24 / 7));
  for (let m = 0; m < moves; m++) {
    const hour = 24 + rng.nextInt(Math.max(1, market.hours - 26));
    const direction = rng.nextFloat() < 0.5 ? -1 : 1;
    const surge = 2.5 + 2.5 * rng.nextFloat();
    moveMarket(market, hour, 1 + direction * MARKET_MOVE, surge);
    out.push({ kind: 'market_move', hour: market.startTime + hour * HOUR_SECONDS, magnitude: direction * MARKET_MOVE });
  }
  for (const kind of SUBGRAPH_KINDS) {
    const { pools, series } = market.subgraphs[kind];
    const deposits = Math.max(1, Math.round(pools.length * 0.01));
    for (let k = 0; k < deposits; k++) {
      const pool = pools[rng.nextInt(pools.length)]!;
      const hour = Math.max(pool.createdHour + 48, 24) + rng.nextInt(Math.max(1, market.hours - 24));
      if (hour >= market.hours) continue;
      const factor = 3 + 7 * rng.nextFloat();
      const s = series[pool.index]!;
      for (let t = hour; t < market.hours; t++) s.liquidity[t] = s.liquidity[t]! * factor;
      markEvent(s, hour);
      out.push({ kind: 'large_deposit', subgraph: kind, pool: pool.address, hour: market.startTime + hour * HOUR_SECONDS, magnitude: factor });
    }
    const quiet = Math.max(1, Math.round(pools.length * 0.03));
    for (let k = 0; k < quiet; k++) {
      const pool = pools[rng.nextInt(pools.length)]!;
      if (!steady(pool, series[pool.index]!, market.hours)) continue;
      tradeOnceADay(series[pool.index]!, market.hours, rng);
      out.push({ kind: 'once_a_day', subgraph: kind, pool: pool.address, hour: market.startTime, magnitude: 1 });
    }
  }
  return out;
}

function markEvent(s: PoolSeries, t: number): void {
  s.active[t] = 1;
  s.txCount[t] = s.txCount[t]! + 1;
}

/** Existing before the window and never drained (an abandoned pool keeps its own story). */
function steady(pool: SimPool, s: PoolSeries, hours: number): boolean {
  if (pool.createdHour >= 0) return false;
  let max = 0;
  for (let t = 0; t < hours; t++) max = Math.max(max, s.liquidity[t]!);
  return s.liquidity[hours - 1]! > 0.5 * max;
}

function moveMarket(market: Omit<Market, 'truth' | 'hardNegatives'>, hour: number, factor: number, surge: number): void {
  market.tokens.forEach((token, i) => {
    if (token.stable) return;
    const f = i === market.wethIndex ? factor : factor ** ALT_BETA;
    const prices = market.tokenPrices[i]!;
    for (let t = hour; t < market.hours; t++) prices[t] = prices[t]! * f;
  });
  for (const kind of SUBGRAPH_KINDS) {
    const { pools, series } = market.subgraphs[kind];
    for (const pool of pools) {
      if (market.tokens[pool.token0]!.stable && market.tokens[pool.token1]!.stable) continue;
      const s = series[pool.index]!;
      // The surge peaks in the hour of the move and fades over the next.
      for (const [t, m] of [[hour, surge], [hour + 1, 1 + (surge - 1) / 2]] as const) {
        if (t >= market.hours || !s.active[t]) continue;
        s.volumeUSD[t] = s.volumeUSD[t]! * m;
        s.txCount[t] = Math.round(s.txCount[t]! * m);
      }
    }
  }
}

/** One trade a day at a random hour, carrying the day's volume; the other hours are silent. */
function tradeOnceADay(s: PoolSeries, hours: number, rng: Rng): void {
  for (let day = 0; day * 24 < hours; day++) {
    const end = Math.min(hours, day * 24 + 24);
    let volume = 0;
    for (let t = day * 24; t < end; t++) {
      volume += s.volumeUSD[t]!;
      s.volumeUSD[t] = 0;
      s.txCount[t] = 0;
      s.active[t] = 0;
    }
    const t = day * 24 + rng.nextInt(end - day * 24);
    s.volumeUSD[t] = volume;
    s.txCount[t] = 1;
    s.active[t] = 1;
  }
}
