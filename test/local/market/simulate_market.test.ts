import { createHash } from 'node:crypto';
import { ANOMALY_TYPES, HOUR_SECONDS, SUBGRAPH_KINDS, type Market } from '../../../local/market/market';
import { simulateMarket } from '../../../local/market/simulate_market';
import { hourValues } from '../../../local/subgraph/pool_values';
import { postQuery, TEST_END_HOUR, withSubgraph } from '../../helpers/local_subgraph';

const market = simulateMarket({ seed: 11, pools: 200, days: 14, endHour: TEST_END_HOUR });
const v3 = market.subgraphs['uniswap-v3'];

function digest(m: Market): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ start: m.startTime, tokens: m.tokens, truth: m.truth }));
  for (const p of m.tokenPrices) h.update(new Uint8Array(p.buffer));
  for (const kind of SUBGRAPH_KINDS) {
    h.update(JSON.stringify(m.subgraphs[kind].pools));
    for (const s of m.subgraphs[kind].series) for (const arr of Object.values(s)) h.update(new Uint8Array((arr as Float64Array).buffer));
  }
  return h.digest('hex');
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y) / n;
  const mb = b.reduce((x, y) => x + y) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

describe('determinism', () => {
  test('same seed and end hour give the same bytes; another seed does not', () => {
    const config = { seed: 4, pools: 40, days: 3, endHour: TEST_END_HOUR };
    expect(digest(simulateMarket(config))).toBe(digest(simulateMarket(config)));
    expect(digest(simulateMarket({ ...config, seed: 5 }))).not.toBe(digest(simulateMarket(config)));
  });

  test('the served responses are byte-identical for the same seed', async () => {
    const q = `{ poolHourDatas(first: 1000, orderBy: id, where: { periodStartUnix_gte: ${TEST_END_HOUR - 6 * HOUR_SECONDS} }) { id tvlUSD volumeUSD txCount open high low close pool { id totalValueLockedUSD } } }`;
    const run = () => withSubgraph(simulateMarket({ seed: 4, pools: 40, days: 3, endHour: TEST_END_HOUR }), async (sg) => JSON.stringify((await postQuery(sg.url('uniswap-v3'), q)).body));
    const [a, b] = [await run(), await run()];
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(5000);
  });

  test('the window ends at the given hour', () => {
    expect(market.startTime + (market.hours - 1) * HOUR_SECONDS).toBe(TEST_END_HOUR);
    expect(market.hours).toBe(14 * 24);
  });
});

describe('realistic shapes', () => {
  const tvls = v3.pools.map((p) => hourValues(market, p, v3.series[p.index]!, market.hours - 1).tvlUSD).sort((a, b) => b - a);

  test('TVL is heavy-tailed: the top 10% of pools hold most of it', () => {
    const total = tvls.reduce((a, b) => a + b, 0);
    const top = tvls.slice(0, 20).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.5);
    expect(tvls[0]! / tvls[Math.floor(tvls.length / 2)]!).toBeGreaterThan(20);
  });

  test('volume follows a daily cycle and is lower at weekends', () => {
    const byHour = new Array<number>(24).fill(0);
    let weekday = 0;
    let weekend = 0;
    let weekdayHours = 0;
    let weekendHours = 0;
    for (let t = 0; t < market.hours; t++) {
      const time = market.startTime + t * HOUR_SECONDS;
      let volume = 0;
      for (const s of v3.series) volume += s.volumeUSD[t]! / (s.usdMispricing[t]! > 1 ? Infinity : 1);
      byHour[(time / HOUR_SECONDS) % 24]! += volume;
      const dow = (Math.floor(time / 86400) + 4) % 7;
      if (dow === 0 || dow === 6) {
        weekend += volume;
        weekendHours++;
      } else {
        weekday += volume;
        weekdayHours++;
      }
    }
    const peak = Math.max(...byHour.slice(12, 18));
    const trough = Math.min(...byHour.slice(0, 6));
    expect(peak / trough).toBeGreaterThan(1.8);
    expect(weekend / weekendHours / (weekday / weekdayHours)).toBeLessThan(0.9);
  });

  test('volume scales with TVL', () => {
    const tvl: number[] = [];
    const vol: number[] = [];
    v3.pools.forEach((p) => {
      const s = v3.series[p.index]!;
      let v = 0;
      for (let t = 0; t < market.hours; t++) v += s.volumeUSD[t]!;
      if (v > 0 && p.createdHour < 0) {
        tvl.push(Math.log(hourValues(market, p, s, 0).tvlUSD));
        vol.push(Math.log(v));
      }
    });
    expect(corr(tvl, vol)).toBeGreaterThan(0.6);
  });

  test('small pools have quiet hours without an entity; big ones trade every hour', () => {
    const activeShare = v3.pools.map((p) => v3.series[p.index]!.active.reduce((a, b) => a + b, 0) / market.hours);
    expect(Math.min(...activeShare)).toBeLessThan(0.6);
    expect(Math.max(...activeShare)).toBe(1);
  });

  test('pools sharing WETH move together', () => {
    const weth = v3.pools.filter((p) => p.token1 === 0 && p.token0 >= 5).slice(0, 2);
    const returns = weth.map((p) => {
      const out: number[] = [];
      for (let t = 1; t < market.hours; t++) out.push(Math.log(market.tokenPrices[p.token0]![t]! / market.tokenPrices[p.token0]![t - 1]!));
      return out;
    });
    expect(corr(returns[0]!, returns[1]!)).toBeGreaterThan(0.2);
  });

  test('a few pools are created, and a few abandoned, inside the window', () => {
    const all = SUBGRAPH_KINDS.flatMap((k) => market.subgraphs[k].series.map((s, i) => ({ s, pool: market.subgraphs[k].pools[i]! })));
    expect(all.filter(({ pool }) => pool.createdHour > 0).length).toBeGreaterThan(0);
    const abandoned = all.filter(({ s }) => s.active.slice(-48).every((a) => a === 0) && s.active.slice(0, 48).some((a) => a === 1));
    expect(abandoned.length).toBeGreaterThan(0);
  });
});

describe('hard negatives: normal behaviour that looks abnormal', () => {
  const big = simulateMarket({ seed: 11, pools: 200, days: 30, endHour: TEST_END_HOUR });
  const kinds = (k: string) => big.hardNegatives.filter((h) => h.kind === k);

  test('market-wide moves: ETH moves 10 % in an hour and volume surges in most pools at once', () => {
    expect(kinds('market_move').length).toBe(4);
    for (const move of kinds('market_move')) {
      const t = (move.hour - big.startTime) / HOUR_SECONDS;
      const eth = big.tokenPrices[0]!;
      expect(Math.abs(Math.log(eth[t]! / eth[t - 1]!))).toBeGreaterThan(0.07);
      const series = big.subgraphs['uniswap-v3'].series.filter((s) => s.active[t] && s.active[t - 1]);
      const up = series.filter((s) => s.volumeUSD[t]! > s.volumeUSD[t - 1]!).length;
      expect(up / series.length).toBeGreaterThan(0.75);
    }
  });

  test('large deposits multiply liquidity at least 3 times and it stays', () => {
    expect(kinds('large_deposit').length).toBe(6);
    for (const d of kinds('large_deposit')) {
      const { pools, series } = big.subgraphs[d.subgraph!];
      const s = series[pools.find((p) => p.address === d.pool)!.index]!;
      const t = (d.hour - big.startTime) / HOUR_SECONDS;
      expect(s.liquidity[t]! / s.liquidity[t - 1]!).toBeGreaterThan(2.8);
      expect(d.magnitude).toBeGreaterThanOrEqual(3);
    }
  });

  test('once-a-day pools have at most one active hour per day', () => {
    expect(kinds('once_a_day').length).toBeGreaterThan(0);
    for (const q of kinds('once_a_day')) {
      const { pools, series } = big.subgraphs[q.subgraph!];
      const s = series[pools.find((p) => p.address === q.pool)!.index]!;
      for (let day = 0; day < 30; day++) expect(s.active.slice(day * 24, day * 24 + 24).reduce((a, b) => a + b, 0)).toBe(1);
    }
  });
});

describe('injected anomalies and their ground truth', () => {
  test('every type is injected in every subgraph', () => {
    for (const kind of SUBGRAPH_KINDS) {
      expect(new Set(market.truth.filter((t) => t.subgraph === kind).map((t) => t.type))).toEqual(new Set(ANOMALY_TYPES));
    }
  });

  const lookup = (pool: string) => {
    const p = v3.pools.find((x) => x.address === pool)!;
    return { p, s: v3.series[p.index]! };
  };
  const hourOf = (time: number) => (time - market.startTime) / HOUR_SECONDS;
  const v3Truth = market.truth.filter((t) => t.subgraph === 'uniswap-v3');

  test('volume spikes multiply the pool\'s usual hourly volume at least 15 times', () => {
    for (const truth of v3Truth.filter((t) => t.type === 'volume_spike')) {
      const { s } = lookup(truth.pool);
      const normal = Array.from(s.volumeUSD.slice(0, hourOf(truth.hours[0]!))).filter((v) => v > 0).sort((a, b) => a - b);
      const median = normal[Math.floor(normal.length / 2)]!;
      for (const h of truth.hours) expect(s.volumeUSD[hourOf(h)]! / median).toBeGreaterThanOrEqual(14.9);
    }
  });

  test('liquidity drains remove most of the TVL within a few hours, and it stays low', () => {
    for (const truth of v3Truth.filter((t) => t.type === 'liquidity_drain' && t.origin === undefined)) {
      const { p, s } = lookup(truth.pool);
      const before = hourValues(market, p, s, hourOf(truth.hours[0]!) - 1).tvlUSD;
      const last = hourOf(truth.hours[truth.hours.length - 1]!);
      expect(truth.hours.length).toBeLessThanOrEqual(3);
      expect(hourValues(market, p, s, last).tvlUSD / before).toBeLessThan(0.35);
      expect(hourValues(market, p, s, market.hours - 1).tvlUSD / before).toBeLessThan(0.45);
    }
  });

  test('rug pulls take TVL to near zero with a price collapse', () => {
    for (const truth of v3Truth.filter((t) => t.type === 'rug_pull')) {
      const { p, s } = lookup(truth.pool);
      const t = hourOf(truth.hours[0]!);
      const before = hourValues(market, p, s, t - 1);
      const after = hourValues(market, p, s, t);
      expect(after.tvlUSD / before.tvlUSD).toBeLessThan(0.03);
      expect(after.token1Price / before.token1Price).toBeLessThan(0.15);
    }
  });

  test('mispriced tokens inflate USD values 100x or more for exactly one hour', () => {
    for (const truth of v3Truth.filter((t) => t.type === 'mispriced_token')) {
      const { p, s } = lookup(truth.pool);
      const t = hourOf(truth.hours[0]!);
      const [before, during, after] = [t - 1, t, t + 1].map((h) => hourValues(market, p, s, Math.min(h, market.hours - 1)));
      expect(during!.tvlUSD / before!.tvlUSD).toBeGreaterThan(90);
      if (t + 1 < market.hours) expect(after!.tvlUSD / before!.tvlUSD).toBeLessThan(1.5);
      expect(during!.amount0 / before!.amount0).toBeLessThan(1.5);
    }
  });

  test('abandonment is labelled: liquidity withdrawn to under 5 % within five hours, a drain', () => {
    const abandoned = market.truth.filter((t) => t.origin === 'abandonment');
    expect(abandoned.length).toBeGreaterThan(0);
    for (const truth of abandoned) {
      expect(truth.type).toBe('liquidity_drain');
      const { pools, series } = market.subgraphs[truth.subgraph];
      const p = pools.find((x) => x.address === truth.pool)!;
      const first = hourOf(truth.hours[0]!);
      const last = hourOf(truth.hours[truth.hours.length - 1]!);
      if (first === 0 || truth.hours.length < 5) continue;
      expect(series[p.index]!.liquidity[last]! / series[p.index]!.liquidity[first - 1]!).toBeLessThan(0.05);
    }
  });

  test('an anomalous hour always has an entity', () => {
    for (const truth of market.truth) {
      const { pools, series } = market.subgraphs[truth.subgraph];
      const p = pools.find((x) => x.address === truth.pool)!;
      for (const h of truth.hours) expect(series[p.index]!.active[hourOf(h)]).toBe(1);
    }
  });
});
