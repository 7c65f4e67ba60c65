import type { Rng } from '../../shared/rng';
import { ANOMALY_TYPES, HOUR_SECONDS, SUBGRAPH_KINDS, type AnomalyTruth, type AnomalyType, type Market, type PoolSeries, type SimPool } from './market';

const MAJOR_TOKEN_COUNT = 5;

/**
 * Writes anomalies into the pools' series and returns what was written, hour by hour: about 3 %
 * of each subgraph's pools (at least one of each type), in the window's last two thirds so that
 * every anomalous pool has history before it.
 */
export function injectAnomalies(market: Omit<Market, 'truth'>, rng: Rng): AnomalyTruth[] {
  const truth: AnomalyTruth[] = [];
  for (const kind of SUBGRAPH_KINDS) {
    const { pools, series } = market.subgraphs[kind];
    const count = Math.min(pools.length, Math.max(ANOMALY_TYPES.length, Math.round(pools.length * 0.03)));
    const used = new Set<number>();
    for (let k = 0; k < count; k++) {
      const type = ANOMALY_TYPES[k % ANOMALY_TYPES.length]!;
      const pool = pickPool(pools, series, used, type, market.hours, rng);
      if (!pool) continue;
      used.add(pool.index);
      const first = Math.floor(market.hours / 3) + rng.nextInt(Math.max(1, market.hours - 6 - Math.floor(market.hours / 3)));
      const applied = APPLY[type](series[pool.index]!, first, market.hours, rng);
      truth.push({
        subgraph: kind,
        pool: pool.address,
        type,
        hours: applied.hours.map((t) => market.startTime + t * HOUR_SECONDS),
        magnitude: applied.magnitude,
      });
    }
  }
  return truth;
}

/** A pool that exists for the whole window and trades (rug pulls need a long-tail token0). */
function pickPool(pools: readonly SimPool[], series: readonly PoolSeries[], used: Set<number>, type: AnomalyType, hours: number, rng: Rng): SimPool | undefined {
  const candidates = pools.filter((p) => {
    if (used.has(p.index) || p.createdHour >= 0) return false;
    if (type === 'rug_pull' && p.token0 < MAJOR_TOKEN_COUNT) return false;
    const active = series[p.index]!.active;
    let activeHours = 0;
    for (let t = 0; t < hours; t++) activeHours += active[t]!;
    return activeHours >= hours / 4 && active[hours - 1] === 1;
  });
  return candidates.length > 0 ? candidates[rng.nextInt(candidates.length)] : undefined;
}

/** Typical traded volume of an active hour: the median, so earlier spikes do not inflate it. */
function typicalVolume(s: PoolSeries, before: number): number {
  const volumes: number[] = [];
  for (let t = 0; t < before; t++) if (s.volumeUSD[t]! > 0) volumes.push(s.volumeUSD[t]!);
  volumes.sort((a, b) => a - b);
  return volumes.length > 0 ? volumes[Math.floor(volumes.length / 2)]! : 1000;
}

function markActive(s: PoolSeries, t: number, extraTx: number): void {
  s.active[t] = 1;
  s.txCount[t] = s.txCount[t]! + extraTx;
  s.firstEventOffset[t] = Math.min(s.firstEventOffset[t]!, 30);
}

type Apply = (s: PoolSeries, first: number, hours: number, rng: Rng) => { hours: number[]; magnitude: number };

const APPLY: Record<AnomalyType, Apply> = {
  // Wash trading: many round-trip trades lift volume and transactions, not liquidity.
  volume_spike(s, first, hours, rng) {
    const span = Math.min(1 + rng.nextInt(4), hours - first);
    const multiple = 15 + 45 * rng.nextFloat();
    const typical = typicalVolume(s, first);
    const affected: number[] = [];
    for (let t = first; t < first + span; t++) {
      s.volumeUSD[t] = Math.max(s.volumeUSD[t]!, typical) * multiple;
      markActive(s, t, 20 + rng.nextInt(200));
      affected.push(t);
    }
    return { hours: affected, magnitude: multiple };
  },
  // Liquidity providers leave: TVL falls by most of its value within a few hours and stays low.
  liquidity_drain(s, first, hours, rng) {
    const span = Math.min(1 + rng.nextInt(3), hours - first);
    const removed = 0.7 + 0.25 * rng.nextFloat();
    const perHour = (1 - removed) ** (1 / span);
    const affected: number[] = [];
    for (let t = first; t < hours; t++) {
      const step = Math.min(t - first + 1, span);
      s.liquidity[t] = s.liquidity[t]! * perHour ** step;
      if (t < first + span) {
        s.volumeUSD[t] = s.volumeUSD[t]! * 2;
        markActive(s, t, 3);
        affected.push(t);
      }
    }
    return { hours: affected, magnitude: removed };
  },
  // A rug pull: liquidity withdrawn at once and token0 dumped; the pool is dead afterwards.
  rug_pull(s, first, hours, rng) {
    const remaining = 0.002 + 0.018 * rng.nextFloat();
    const priceLeft = 0.01 + 0.09 * rng.nextFloat();
    s.volumeUSD[first] = typicalVolume(s, first) * (10 + 20 * rng.nextFloat());
    markActive(s, first, 5);
    for (let t = first; t < hours; t++) {
      s.liquidity[t] = s.liquidity[t]! * remaining;
      s.token0PriceShock[t] = priceLeft;
      if (t > first && rng.nextFloat() < 0.9) {
        s.active[t] = 0;
        s.volumeUSD[t] = 0;
        s.txCount[t] = 0;
      }
    }
    return { hours: [first], magnitude: 1 - remaining };
  },
  // A pricing error in the subgraph: USD values jump by orders of magnitude for one hour.
  mispriced_token(s, first, _hours, rng) {
    const factor = 10 ** (2 + 2 * rng.nextFloat());
    s.usdMispricing[first] = factor;
    markActive(s, first, 1);
    if (s.volumeUSD[first] === 0) s.volumeUSD[first] = typicalVolume(s, first);
    return { hours: [first], magnitude: factor };
  },
};
