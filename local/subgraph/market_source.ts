import { HOUR_SECONDS, windowHour, type Market, type SimPool, type SubgraphKind } from '../market/market';
import type { ChainClock } from './chain_clock';
import { toBigDecimal as dec, toBigInt as int } from './decimal';
import { createdAt, hourStart, hourValues, poolTotals, type HourValues, type PoolTotals } from './pool_values';

/** A stored entity as graph-node returns it: big numbers as strings, references as objects. */
export type Entity = { readonly id: string } & Readonly<Record<string, unknown>>;

/** The block a query reads at. */
export interface BlockView {
  readonly number: number;
  readonly time: number;
}

/** Narrowing a listing may use (the filter still runs on whatever is returned). */
export interface ListHint {
  /** Inclusive bounds on the entity's time field (hour or day start). */
  readonly fromTime?: number;
  readonly toTime?: number;
  /** Only entities of these pools / pairs. */
  readonly poolIds?: ReadonlySet<string>;
}

export interface EntitySource {
  list(type: string, at: BlockView, hint: ListHint): Entity[];
}

const DAY_SECONDS = 86400;

interface PoolState {
  readonly values: HourValues;
  readonly volumeUSD: number;
  readonly volumeToken0: number;
  readonly volumeToken1: number;
  readonly feesUSD: number;
  readonly txCount: number;
}
const LIQUIDITY_UNITS = 1e9;
const Q96 = 2 ** 96;

/** Little-endian int32 as hex: how Sushi V2 ids append an hour or day index to the pair address. */
export function littleEndianI32Hex(value: number): string {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return b.toString('hex');
}

/** Serves one subgraph (Uniswap V3 / Sushi V3 shape, or Sushi V2) of a simulated market. */
export class MarketSource implements EntitySource {
  private readonly v2: boolean;
  private readonly totals = new Map<number, PoolTotals>();
  private readonly poolByAddress: Map<string, SimPool>;
  private tokenCache: { block: number; tokens: Map<number, Entity> } | undefined;
  /** Pool entities at one block: every page of every hour read at the same head shares them. */
  private poolCache: { block: number; pools: Map<number, Entity> } | undefined;

  constructor(
    private readonly market: Market,
    private readonly kind: SubgraphKind,
    private readonly clock: ChainClock,
  ) {
    this.v2 = kind === 'sushiswap-v2';
    this.poolByAddress = new Map(this.pools.map((p) => [p.address, p]));
  }

  private get pools(): readonly SimPool[] {
    return this.market.subgraphs[this.kind].pools;
  }

  list(type: string, at: BlockView, hint: ListHint): Entity[] {
    switch (type) {
      case 'Bundle':
        return [this.bundle(at)];
      case 'Token':
        return [...this.tokensAt(at).values()];
      case 'Pool':
      case 'Pair':
        return this.selectedPools(hint).filter((p) => createdAt(this.market, p) <= at.time).map((p) => this.poolEntity(p, at));
      case 'PoolHourData':
      case 'PairHourData':
        return this.hourEntities(at, hint);
      case 'PoolDayData':
      case 'PairDayData':
        return this.dayEntities(at, hint);
      default:
        return [];
    }
  }

  private selectedPools(hint: ListHint): SimPool[] {
    if (!hint.poolIds) return [...this.pools];
    return [...hint.poolIds].map((id) => this.poolByAddress.get(id)).filter((p): p is SimPool => p !== undefined);
  }

  private bundle(at: BlockView): Entity {
    const eth = this.market.tokenPrices[this.market.wethIndex]![this.stateHour(at)]!;
    return { id: '1', ethPriceUSD: dec(eth), ethPrice: dec(eth) };
  }

  /** The window hour whose state a block shows (clamped to the window). */
  private stateHour(at: BlockView): number {
    return Math.min(this.market.hours - 1, Math.max(0, windowHour(this.market, at.time)));
  }

  /** Share of hour t that has happened by the block; 0 while its first event is still ahead. */
  private hourVisibility(pool: SimPool, t: number, at: BlockView): number {
    const series = this.market.subgraphs[this.kind].series[pool.index]!;
    if (!series.active[t]) return 0;
    const start = hourStart(this.market, t);
    if (at.time < start + series.firstEventOffset[t]!) return 0;
    return Math.min(1, (at.time - start) / HOUR_SECONDS);
  }

  private poolTotalsOf(pool: SimPool): PoolTotals {
    let totals = this.totals.get(pool.index);
    if (!totals) {
      totals = poolTotals(this.market, pool, this.market.subgraphs[this.kind].series[pool.index]!);
      this.totals.set(pool.index, totals);
    }
    return totals;
  }

  /** State values and lifetime totals of a pool at a block. */
  private poolState(pool: SimPool, at: BlockView): PoolState {
    const series = this.market.subgraphs[this.kind].series[pool.index]!;
    const totals = this.poolTotalsOf(pool);
    const raw = windowHour(this.market, at.time);
    const t = this.stateHour(at);
    // Outside the window: the first or last hour's state and the totals up to there.
    const done = raw >= this.market.hours ? this.market.hours : t;
    const fraction = raw >= 0 && raw < this.market.hours ? this.hourVisibility(pool, t, at) : 0;
    const values = hourValues(this.market, pool, series, t, fraction > 0 ? fraction : 1);
    const current = (pick: (v: HourValues) => number) => (fraction > 0 ? pick(values) : 0);
    return {
      values,
      volumeUSD: totals.volumeUSD[done]! + current((v) => v.volumeUSD),
      volumeToken0: totals.volumeToken0[done]! + current((v) => v.volumeToken0),
      volumeToken1: totals.volumeToken1[done]! + current((v) => v.volumeToken1),
      feesUSD: totals.feesUSD[done]! + current((v) => v.feesUSD),
      txCount: totals.txCount[done]! + current((v) => v.txCount),
    };
  }

  /** Every token any pool of this subgraph trades, with aggregates over those pools. */
  private tokensAt(at: BlockView): Map<number, Entity> {
    if (this.tokenCache?.block === at.number) return this.tokenCache.tokens;
    const t = this.stateHour(at);
    const eth = this.market.tokenPrices[this.market.wethIndex]![t]!;
    const acc = new Map<number, { volume: number; volumeUSD: number; fees: number; tx: number; pools: number; locked: number; lockedUSD: number }>();
    for (const pool of this.pools) {
      if (createdAt(this.market, pool) > at.time) continue;
      const s = this.poolState(pool, at);
      for (const [token, amount, volume] of [
        [pool.token0, s.values.amount0, s.volumeToken0],
        [pool.token1, s.values.amount1, s.volumeToken1],
      ] as const) {
        const a = acc.get(token) ?? { volume: 0, volumeUSD: 0, fees: 0, tx: 0, pools: 0, locked: 0, lockedUSD: 0 };
        a.volume += volume;
        a.volumeUSD += s.volumeUSD / 2;
        a.fees += s.feesUSD / 2;
        a.tx += s.txCount;
        a.pools += 1;
        a.locked += amount;
        a.lockedUSD += s.values.tvlUSD / 2;
        acc.set(token, a);
      }
    }
    const tokens = new Map<number, Entity>();
    for (const [index, a] of [...acc.entries()].sort(([x], [y]) => x - y)) {
      const token = this.market.tokens[index]!;
      const price = this.market.tokenPrices[index]![t]!;
      tokens.set(index, {
        id: token.address,
        symbol: token.symbol,
        name: token.name,
        decimals: String(token.decimals),
        totalSupply: int(1e9 * 10 ** Math.min(token.decimals, 9)),
        volume: dec(a.volume),
        volumeUSD: dec(a.volumeUSD),
        untrackedVolumeUSD: dec(a.volumeUSD),
        feesUSD: dec(a.fees),
        txCount: int(a.tx),
        poolCount: String(a.pools),
        totalValueLocked: dec(a.locked),
        totalValueLockedUSD: dec(a.lockedUSD),
        totalValueLockedUSDUntracked: dec(a.lockedUSD),
        derivedETH: dec(price / eth),
        tradeVolume: dec(a.volume),
        tradeVolumeUSD: dec(a.volumeUSD),
        totalLiquidity: dec(a.locked),
      });
    }
    this.tokenCache = { block: at.number, tokens };
    return tokens;
  }

  private poolEntity(pool: SimPool, at: BlockView): Entity {
    const s = this.poolState(pool, at);
    const v = s.values;
    const tokens = this.tokensAt(at);
    const created = createdAt(this.market, pool);
    const common = {
      id: pool.address,
      token0: tokens.get(pool.token0),
      token1: tokens.get(pool.token1),
      token0Price: dec(v.token0Price),
      token1Price: dec(v.token1Price),
      volumeToken0: dec(s.volumeToken0),
      volumeToken1: dec(s.volumeToken1),
      volumeUSD: dec(s.volumeUSD),
      untrackedVolumeUSD: dec(s.volumeUSD),
      txCount: int(s.txCount),
      createdAtTimestamp: String(created),
      createdAtBlockNumber: String(this.clock.blockAt(created)),
      liquidityProviderCount: String(5 + (pool.index % 50)),
    };
    if (this.v2) {
      return {
        ...common,
        reserve0: dec(v.amount0),
        reserve1: dec(v.amount1),
        totalSupply: dec(v.liquidity),
        reserveETH: dec(v.tvlUSD / v.ethPrice),
        reserveUSD: dec(v.tvlUSD),
        trackedReserveETH: dec(v.tvlUSD / v.ethPrice),
      };
    }
    return {
      ...common,
      feeTier: String(pool.feeTier),
      liquidity: int(v.liquidity * LIQUIDITY_UNITS),
      sqrtPrice: int(Math.sqrt(v.token1Price) * Q96),
      feeGrowthGlobal0X128: '0',
      feeGrowthGlobal1X128: '0',
      tick: String(Math.floor(Math.log(v.token1Price) / Math.log(1.0001))),
      observationIndex: '0',
      feesUSD: dec(s.feesUSD),
      collectedFeesToken0: '0',
      collectedFeesToken1: '0',
      collectedFeesUSD: '0',
      totalValueLockedToken0: dec(v.amount0),
      totalValueLockedToken1: dec(v.amount1),
      totalValueLockedETH: dec(v.tvlUSD / v.ethPrice),
      totalValueLockedUSD: dec(v.tvlUSD),
      totalValueLockedUSDUntracked: dec(v.tvlUSD),
      isProtocolFeeEnabled: false,
    };
  }

  /** Window hours the hint and the block allow, oldest first. */
  private hourRange(at: BlockView, hint: ListHint, unit: number): [number, number] {
    const lastVisible = Math.min(this.market.hours - 1, windowHour(this.market, at.time));
    const from = hint.fromTime === undefined ? 0 : Math.max(0, Math.floor((hint.fromTime - this.market.startTime) / HOUR_SECONDS));
    const to = hint.toTime === undefined ? lastVisible : Math.min(lastVisible, Math.floor((hint.toTime + unit - 1 - this.market.startTime) / HOUR_SECONDS));
    return [from, to];
  }

  private hourEntities(at: BlockView, hint: ListHint): Entity[] {
    const [from, to] = this.hourRange(at, hint, 1);
    const pools = this.selectedPools(hint);
    if (this.poolCache?.block !== at.number) this.poolCache = { block: at.number, pools: new Map() };
    const poolEntities = this.poolCache.pools;
    const out: Entity[] = [];
    for (let t = from; t <= to; t++) {
      const start = hourStart(this.market, t);
      const hourIndex = start / HOUR_SECONDS;
      for (const pool of pools) {
        const fraction = this.hourVisibility(pool, t, at);
        if (fraction === 0) continue;
        const v = hourValues(this.market, pool, this.market.subgraphs[this.kind].series[pool.index]!, t, fraction);
        let poolEntity = poolEntities.get(pool.index);
        if (!poolEntity) {
          poolEntity = this.poolEntity(pool, at);
          poolEntities.set(pool.index, poolEntity);
        }
        out.push(this.v2 ? this.pairHour(pool, poolEntity, hourIndex, start, v) : this.poolHour(pool, poolEntity, hourIndex, start, v));
      }
    }
    return out;
  }

  private poolHour(pool: SimPool, poolEntity: Entity, hourIndex: number, start: number, v: HourValues): Entity {
    return {
      id: `${pool.address}-${hourIndex}`,
      periodStartUnix: start,
      pool: poolEntity,
      ...this.v3Snapshot(v),
      txCount: int(v.txCount),
      open: dec(v.open),
      high: dec(v.high),
      low: dec(v.low),
      close: dec(v.close),
    };
  }

  private v3Snapshot(v: HourValues): Record<string, string> {
    return {
      liquidity: int(v.liquidity * LIQUIDITY_UNITS),
      sqrtPrice: int(Math.sqrt(v.token1Price) * Q96),
      token0Price: dec(v.token0Price),
      token1Price: dec(v.token1Price),
      tick: String(Math.floor(Math.log(v.token1Price) / Math.log(1.0001))),
      feeGrowthGlobal0X128: '0',
      feeGrowthGlobal1X128: '0',
      tvlUSD: dec(v.tvlUSD),
      volumeToken0: dec(v.volumeToken0),
      volumeToken1: dec(v.volumeToken1),
      volumeUSD: dec(v.volumeUSD),
      feesUSD: dec(v.feesUSD),
    };
  }

  private pairHour(pool: SimPool, pairEntity: Entity, hourIndex: number, start: number, v: HourValues): Entity {
    return {
      id: `${pool.address}${littleEndianI32Hex(hourIndex)}`,
      hourStartUnix: start,
      pair: pairEntity,
      reserve0: dec(v.amount0),
      reserve1: dec(v.amount1),
      totalSupply: dec(v.liquidity),
      reserveUSD: dec(v.tvlUSD),
      hourlyVolumeToken0: dec(v.volumeToken0),
      hourlyVolumeToken1: dec(v.volumeToken1),
      hourlyVolumeUSD: dec(v.volumeUSD),
      hourlyTxns: int(v.txCount),
    };
  }

  /** Day aggregates of the visible hours of each day, for pools with any activity that day. */
  private dayEntities(at: BlockView, hint: ListHint): Entity[] {
    const [from, to] = this.hourRange(at, hint, DAY_SECONDS);
    const series = this.market.subgraphs[this.kind].series;
    const out: Entity[] = [];
    const tokens = this.tokensAt(at);
    const firstDay = Math.floor(hourStart(this.market, from) / DAY_SECONDS);
    const lastDay = Math.floor(hourStart(this.market, to) / DAY_SECONDS);
    for (let day = firstDay; day <= lastDay; day++) {
      for (const pool of this.selectedPools(hint)) {
        const hours: HourValues[] = [];
        for (let t = Math.max(0, windowHour(this.market, day * DAY_SECONDS)); t <= to && hourStart(this.market, t) < (day + 1) * DAY_SECONDS; t++) {
          const fraction = this.hourVisibility(pool, t, at);
          if (fraction > 0) hours.push(hourValues(this.market, pool, series[pool.index]!, t, fraction));
        }
        if (hours.length === 0) continue;
        const last = hours[hours.length - 1]!;
        const sum = (f: (v: HourValues) => number) => hours.reduce((acc, v) => acc + f(v), 0);
        const date = day * DAY_SECONDS;
        if (this.v2) {
          out.push({
            id: `${pool.address}${littleEndianI32Hex(day)}`,
            date,
            pairAddress: pool.address,
            token0: tokens.get(pool.token0),
            token1: tokens.get(pool.token1),
            reserve0: dec(last.amount0),
            reserve1: dec(last.amount1),
            totalSupply: dec(last.liquidity),
            reserveUSD: dec(last.tvlUSD),
            dailyVolumeToken0: dec(sum((v) => v.volumeToken0)),
            dailyVolumeToken1: dec(sum((v) => v.volumeToken1)),
            dailyVolumeUSD: dec(sum((v) => v.volumeUSD)),
            dailyTxns: int(sum((v) => v.txCount)),
          });
          continue;
        }
        out.push({
          id: `${pool.address}-${day}`,
          date,
          pool: this.poolEntity(pool, at),
          ...this.v3Snapshot(last),
          volumeToken0: dec(sum((v) => v.volumeToken0)),
          volumeToken1: dec(sum((v) => v.volumeToken1)),
          volumeUSD: dec(sum((v) => v.volumeUSD)),
          feesUSD: dec(sum((v) => v.feesUSD)),
          txCount: int(sum((v) => v.txCount)),
          open: dec(hours[0]!.open),
          high: dec(Math.max(...hours.map((v) => v.high))),
          low: dec(Math.min(...hours.map((v) => v.low))),
          close: dec(last.close),
        });
      }
    }
    return out;
  }
}
