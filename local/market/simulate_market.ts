import { Rng } from '../../shared/rng';
import { applyHardNegatives } from './hard_negatives';
import { injectAnomalies } from './inject_anomalies';
import { HOUR_SECONDS, SUBGRAPH_KINDS, type AnomalyTruth, type Market, type PoolSeries, type SimPool, type SimToken, type SubgraphKind } from './market';

export interface MarketConfig {
  readonly seed: number;
  /** Pools in each subgraph. */
  readonly pools: number;
  readonly days: number;
  /** Unix seconds of the last window hour's start (a whole hour). */
  readonly endHour: number;
}

const MAJOR_TOKENS = [
  { symbol: 'WETH', name: 'Wrapped Ether', decimals: 18, stable: false, price: 3000 },
  { symbol: 'USDC', name: 'USD Coin', decimals: 6, stable: true, price: 1 },
  { symbol: 'USDT', name: 'Tether USD', decimals: 6, stable: true, price: 1 },
  { symbol: 'DAI', name: 'Dai Stablecoin', decimals: 18, stable: true, price: 1 },
  { symbol: 'WBTC', name: 'Wrapped BTC', decimals: 8, stable: false, price: 60000 },
];
const QUOTE_SHARES: readonly [number, number][] = [
  [0, 0.55],
  [1, 0.3],
  [2, 0.1],
  [3, 0.05],
];
const V3_FEE_TIERS = [100, 500, 3000, 10000];

/**
 * A deterministic market (same config, same bytes): heavy-tailed pool sizes, daily and weekly
 * volume cycles, volume scaling with TVL and fee tier, quiet hours without entities, token prices
 * that move pools sharing a token together, pools created or abandoned inside the window, and
 * injected anomalies recorded as ground truth.
 */
export function simulateMarket(config: MarketConfig): Market {
  if (config.endHour % HOUR_SECONDS !== 0) throw new RangeError(`endHour ${config.endHour} is not a whole hour`);
  const hours = Math.round(config.days * 24);
  if (hours < 2) throw new RangeError('the window needs at least 2 hours');
  const startTime = config.endHour - (hours - 1) * HOUR_SECONDS;
  const tokens = makeTokens(config, new Rng(config.seed * 7 + 1));
  const tokenPrices = simulatePrices(tokens, hours, new Rng(config.seed * 7 + 2));
  const subgraphs = {} as Record<SubgraphKind, { pools: SimPool[]; series: PoolSeries[] }>;
  const abandonments: AnomalyTruth[] = [];
  SUBGRAPH_KINDS.forEach((kind, k) => {
    const rng = new Rng(config.seed * 7 + 3 + k);
    const pools = makePools(kind, config.pools, tokens, hours, rng);
    const series = pools.map((pool) => {
      const simulated = simulatePool(pool, tokenPrices, startTime, hours, rng);
      if (simulated.drained.length > 0) {
        abandonments.push({ subgraph: kind, pool: pool.address, type: 'liquidity_drain', hours: simulated.drained.map((t) => startTime + t * HOUR_SECONDS), magnitude: 1 - ABANDON_KEEP ** simulated.drained.length, origin: 'abandonment' });
      }
      return simulated.series;
    });
    subgraphs[kind] = { pools, series };
  });
  const base = { seed: config.seed, startTime, hours, tokens, tokenPrices, wethIndex: 0, subgraphs };
  const hardNegatives = applyHardNegatives(base, new Rng(config.seed * 7 + 13));
  const market = { ...base, hardNegatives, truth: [] };
  return { ...market, truth: [...abandonments, ...injectAnomalies(market, new Rng(config.seed * 7 + 6))] };
}

function address(rng: Rng): string {
  let hex = '0x';
  for (let i = 0; i < 5; i++) hex += rng.nextUint32().toString(16).padStart(8, '0');
  return hex;
}

function makeTokens(config: MarketConfig, rng: Rng): SimToken[] {
  const tail = Math.max(8, Math.ceil(config.pools * 0.6));
  const tokens: SimToken[] = MAJOR_TOKENS.map((t, index) => ({ index, address: address(rng), symbol: t.symbol, name: t.name, decimals: t.decimals, stable: t.stable }));
  for (let i = 0; i < tail; i++) {
    const symbol = `TKN${String(i + 1).padStart(3, '0')}`;
    tokens.push({ index: tokens.length, address: address(rng), symbol, name: `Token ${i + 1}`, decimals: rng.nextFloat() < 0.8 ? 18 : 9, stable: false });
  }
  return tokens;
}

/** Hourly USD prices: ETH a random walk, BTC and the long tail partly following it, stables pegged. */
function simulatePrices(tokens: readonly SimToken[], hours: number, rng: Rng): Float64Array[] {
  const eth = new Float64Array(hours);
  eth[0] = MAJOR_TOKENS[0]!.price;
  for (let t = 1; t < hours; t++) eth[t] = eth[t - 1]! * Math.exp(0.008 * rng.nextNormal());
  return tokens.map((token) => {
    if (token.index === 0) return eth;
    const prices = new Float64Array(hours);
    if (token.stable) {
      for (let t = 0; t < hours; t++) prices[t] = 1 + 0.0005 * rng.nextNormal();
      return prices;
    }
    const beta = token.index === 4 ? 0.7 : 0.5 + rng.nextFloat();
    // Alt-coins' hourly returns correlate with ETH's at about 0.5-0.8, as in real markets.
    const ownVol = token.index === 4 ? 0.005 : 0.004 + 0.01 * rng.nextFloat();
    prices[0] = token.index === 4 ? MAJOR_TOKENS[4]!.price : 10 ** (rng.nextFloat() * 6 - 4);
    for (let t = 1; t < hours; t++) {
      const ethReturn = Math.log(eth[t]! / eth[t - 1]!);
      prices[t] = prices[t - 1]! * Math.exp(beta * ethReturn + ownVol * rng.nextNormal());
    }
    return prices;
  });
}

function makePools(kind: SubgraphKind, count: number, tokens: readonly SimToken[], hours: number, rng: Rng): SimPool[] {
  const pools: SimPool[] = [];
  for (let index = 0; index < count; index++) {
    let quote = 0;
    let u = rng.nextFloat();
    for (const [token, share] of QUOTE_SHARES) {
      if (u < share) {
        quote = token;
        break;
      }
      u -= share;
    }
    // A fifth of the pools pair two majors (WETH/USDC, WBTC/WETH...), the rest a tail token.
    let base = rng.nextFloat() < 0.2 ? rng.nextInt(MAJOR_TOKENS.length) : MAJOR_TOKENS.length + rng.nextInt(tokens.length - MAJOR_TOKENS.length);
    if (base === quote) base = quote === 0 ? 1 : 0;
    const stablePair = tokens[base]!.stable && tokens[quote]!.stable;
    const feeTier = kind === 'sushiswap-v2' ? 3000 : stablePair ? 100 : V3_FEE_TIERS[1 + rng.nextInt(3)]!;
    const created = rng.nextFloat() < 0.03 ? 1 + rng.nextInt(Math.max(1, hours - 48)) : -1 - rng.nextInt(5000);
    pools.push({ kind, index, address: address(rng), token0: base, token1: quote, feeTier, createdHour: created });
  }
  return pools;
}

function diurnal(unixSeconds: number): number {
  const hourOfDay = (unixSeconds / HOUR_SECONDS) % 24;
  const day = Math.floor(unixSeconds / 86400);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
  const weekend = weekday === 0 || weekday === 6 ? 0.75 : 1;
  // US and European trading hours overlap around 14-16 UTC.
  return weekend * (1 + 0.45 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24));
}

function poisson(rng: Rng, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextNormal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.nextFloat();
  while (p > limit) {
    k++;
    p *= rng.nextFloat();
  }
  return k;
}

/** Share of liquidity an abandoning pool keeps each hour while its providers withdraw. */
const ABANDON_KEEP = 0.5;
/** Hours an abandonment takes: the providers' withdrawals are events, so each hour has an entity. */
const ABANDON_HOURS = 5;

/**
 * One pool's path. Abandonment (about 2 % of pools) is liquidity withdrawn to nearly nothing over
 * a few hours, then silence: a user wants to hear about it, so it is returned as a drain.
 */
function simulatePool(pool: SimPool, prices: readonly Float64Array[], startTime: number, hours: number, rng: Rng): { series: PoolSeries; drained: number[] } {
  const series: PoolSeries = {
    liquidity: new Float64Array(hours),
    volumeUSD: new Float64Array(hours),
    txCount: new Int32Array(hours),
    active: new Uint8Array(hours),
    usdMispricing: new Float64Array(hours).fill(1),
    token0PriceShock: new Float64Array(hours).fill(1),
    firstEventOffset: new Int16Array(hours),
    intraHourRange: new Float32Array(hours),
  };
  // Heavy-tailed size: log-normal around $150k with sigma 2.3, so the top tenth of pools holds
  // about three quarters of all TVL (as on real DEXes), between $5k and $1B.
  const targetTvl = Math.min(1e9, Math.max(5e3, Math.exp(Math.log(1.5e5) + 2.3 * rng.nextNormal())));
  const tierTurnover = pool.feeTier === 100 ? 2 : pool.feeTier === 500 ? 1.5 : pool.feeTier === 3000 ? 1 : 0.4;
  const dailyTurnover = tierTurnover * Math.exp(Math.log(0.25) + 0.8 * rng.nextNormal());
  const abandonAt = rng.nextFloat() < 0.02 ? Math.floor(hours * (0.3 + 0.6 * rng.nextFloat())) : Infinity;
  const p0 = prices[pool.token0]!;
  const p1 = prices[pool.token1]!;
  let liquidity = targetTvl / (2 * Math.sqrt(p0[0]! * p1[0]!));
  for (let t = 0; t < hours; t++) {
    if (t < pool.createdHour) continue;
    const sinceCreation = t - pool.createdHour;
    // New pools fill up over their first day; abandoned ones drain and go quiet.
    const ramp = pool.createdHour >= 0 && sinceCreation < 24 ? (sinceCreation + 1) / 24 : 1;
    liquidity *= Math.exp(0.004 * rng.nextNormal());
    const withdrawing = t >= abandonAt && t < abandonAt + ABANDON_HOURS;
    if (withdrawing) liquidity *= ABANDON_KEEP;
    const l = liquidity * ramp;
    series.liquidity[t] = l;
    const tvl = 2 * l * Math.sqrt(p0[t]! * p1[t]!);
    const time = startTime + t * HOUR_SECONDS;
    const expectedVolume = t >= abandonAt ? 0 : ((dailyTurnover * tvl) / 24) * diurnal(time) * Math.exp(0.6 * rng.nextNormal() - 0.18);
    const tradeSize = Math.max(40, tvl * 0.0004 * Math.exp(0.5 * rng.nextNormal()));
    const swaps = poisson(rng, expectedVolume / tradeSize);
    const lpEvents = poisson(rng, t >= abandonAt ? 0.01 : 0.05);
    const txCount = swaps + lpEvents + (withdrawing ? 1 : 0);
    if (txCount === 0) continue;
    series.active[t] = 1;
    series.txCount[t] = txCount;
    series.volumeUSD[t] = swaps * tradeSize * Math.exp(0.3 * rng.nextNormal() - 0.045);
    series.firstEventOffset[t] = Math.min(3599, Math.floor((-Math.log(1 - rng.nextFloat()) * HOUR_SECONDS) / txCount));
    series.intraHourRange[t] = Math.abs(0.003 * rng.nextNormal());
  }
  const drained: number[] = [];
  for (let t = Math.max(abandonAt, pool.createdHour); t < Math.min(hours, abandonAt + ABANDON_HOURS); t++) drained.push(t);
  return { series, drained };
}
