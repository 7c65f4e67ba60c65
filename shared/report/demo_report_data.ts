import { HOUR_SECONDS } from '../hours';
import { Rng } from '../rng';
import { alertsPerDay } from './alerts_per_day';
import type { AlertRow, ReportData, Severity, TopPool } from './report_data';

/** Size of a demo report: the defaults are a typical run (12 pools shown, 30 days). */
export interface DemoOptions {
  readonly seed?: number;
  readonly topPools?: number;
  readonly days?: number;
  /** Unix seconds of the window's first hour. */
  readonly fromHour?: number;
}

const TYPES = ['volume_spike', 'liquidity_drain', 'rug_pull', 'mispriced_token'] as const;
const PAIRS = ['WETH/USDC', 'WBTC/WETH', 'PEPE/WETH', 'USDC/USDT', 'LINK/WETH', 'UNI/WETH', 'DAI/USDC', 'SHIB/WETH', 'MKR/WETH', 'ARB/WETH', 'LDO/WETH', 'CRV/WETH'];
const SOURCES = [
  { id: 'uniswap-v3-ethereum', dex: 'uniswap-v3', chain: 'ethereum' },
  { id: 'sushiswap-v2-ethereum', dex: 'sushiswap-v2', chain: 'ethereum' },
  { id: 'sushiswap-v3-ethereum', dex: 'sushiswap-v3', chain: 'ethereum' },
];

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function dayOf(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

function describeEvent(type: (typeof TYPES)[number]): string {
  switch (type) {
    case 'volume_spike':
      return 'volume 40x its 7-day median with TVL unchanged';
    case 'liquidity_drain':
      return 'TVL down 65 % within 2 hours';
    case 'rug_pull':
      return 'TVL down 98 %, then no trading';
    case 'mispriced_token':
      return 'USD volume and TVL x1000 for one hour: a price error, not a trade';
  }
}

/**
 * Deterministic, plausible report data (same options, same value) with every part populated: for
 * tests, for `check:report --demo`, and for the committed screenshot. Not a simulation of a market:
 * shapes only, so the report can be built and looked at before the pipeline produces real data.
 */
export function demoReportData(options: DemoOptions = {}): ReportData {
  const seed = options.seed ?? 1;
  const days = options.days ?? 30;
  const nPools = options.topPools ?? 12;
  const fromHour = options.fromHour ?? Date.UTC(2026, 9, 1) / 1000;
  const hours = days * 24;
  const rng = new Rng(seed);
  const hourTs = Array.from({ length: hours }, (_, i) => fromHour + i * HOUR_SECONDS);
  const threshold = 0.62;
  const window = { from_hour: fromHour, to_hour: fromHour + (hours - 1) * HOUR_SECONDS };
  const topPools: TopPool[] = [];
  const alerts: AlertRow[] = [];

  for (let p = 0; p < nPools; p++) {
    const source = SOURCES[p % SOURCES.length]!;
    const pair = PAIRS[p % PAIRS.length]!;
    const poolId = `0x${Array.from({ length: 5 }, () => (rng.nextInt(0x100000000)).toString(16).padStart(8, '0')).join('')}`;
    const type = TYPES[p % TYPES.length]!;
    const tvlBase = 10 ** (5 + 2.5 * rng.nextFloat());
    const start = Math.floor(hours / 3 + rng.nextFloat() * (hours / 2));
    const length = type === 'volume_spike' ? 3 : type === 'mispriced_token' ? 1 : 2;
    const eventHours = Array.from({ length }, (_, k) => start + k);
    const volume: (number | null)[] = [];
    const tvl: (number | null)[] = [];
    const score: (number | null)[] = [];
    let level = tvlBase;
    for (let h = 0; h < hours; h++) {
      const daily = 1 + 0.6 * Math.sin(((h % 24) / 24) * 2 * Math.PI);
      let v = tvlBase * 0.02 * daily * Math.exp(0.5 * rng.nextNormal());
      level *= Math.exp(0.01 * rng.nextNormal());
      let t = level;
      let s = 0.3 + 0.04 * rng.nextNormal();
      const inEvent = eventHours.indexOf(h);
      if (type === 'volume_spike' && inEvent >= 0) {
        v *= 40;
        s = 0.8 + 0.05 * inEvent;
      }
      if ((type === 'liquidity_drain' || type === 'rug_pull') && h >= start) {
        if (inEvent >= 0) s = 0.75 + 0.1 * inEvent;
        const kept = type === 'rug_pull' ? 0.02 : 0.35;
        t = level * (h === start ? (1 + kept) / 2 : kept);
        if (type === 'rug_pull' && h > start + 1) v = 0;
      }
      if (type === 'mispriced_token' && inEvent >= 0) {
        v *= 1000;
        t *= 1000;
        s = 0.93;
      }
      volume.push(v === 0 ? null : round(v, 2));
      tvl.push(round(t, 2));
      score.push(h < 24 * 7 ? null : round(Math.min(1, Math.max(0, s)), 4));
    }
    const poolAlerts: TopPool['alerts'] = [];
    for (let h = 0; h < hours; h++) {
      const s = score[h];
      if (s === null || s === undefined || s < threshold) continue;
      const inEvent = eventHours.includes(h);
      const alertType = inEvent ? (type === 'mispriced_token' ? 'data_error' : type) : 'volume_spike';
      const severity: Severity = s >= 0.9 ? 'critical' : s >= 0.75 ? 'warning' : 'info';
      poolAlerts.push({ hour_ts: hourTs[h]!, type: alertType, severity });
      alerts.push({
        source: source.id,
        dex: source.dex,
        chain: source.chain,
        pool_id: poolId,
        pair,
        type: alertType,
        hour_ts: hourTs[h]!,
        description: inEvent ? describeEvent(type) : 'volume 6x its 7-day median',
        severity,
        score: s,
      });
    }
    topPools.push({
      source: source.id,
      dex: source.dex,
      chain: source.chain,
      pool_id: poolId,
      pair,
      ...(p === 0 ? { explorer_url: `https://etherscan.io/address/${poolId}` } : {}),
      max_score: Math.max(...score.map((s) => s ?? 0)),
      series: { hour_ts: hourTs, volume_usd: volume, tvl_usd: tvl, score },
      alerts: poolAlerts,
      injected: [{ type, hours: eventHours.map((h) => hourTs[h]!) }],
    });
  }
  topPools.sort((a, b) => b.max_score - a.max_score || (a.pool_id < b.pool_id ? -1 : 1));
  alerts.sort((a, b) => a.hour_ts - b.hour_ts || (a.pool_id < b.pool_id ? -1 : 1));

  const rankingOverTime = Array.from({ length: days }, (_, d) => ({
    day: dayOf(fromHour + d * 24 * HOUR_SECONDS),
    precision_at_10: d < 7 ? null : round(0.4 + 0.4 * rng.nextFloat(), 3),
    recall_at_10: d < 7 ? null : round(0.3 + 0.5 * rng.nextFloat(), 3),
  }));

  return {
    schema_version: 1,
    run: {
      generated_at: new Date((fromHour + (hours + 1) * HOUR_SECONDS) * 1000).toISOString(),
      seed,
      pools: 500,
      days,
      window,
      sources: SOURCES,
      steps: [
        { name: 'simulate', seconds: 2.1 },
        { name: 'fetch', seconds: 41.3 },
        { name: 'load', seconds: 12.8 },
        { name: 'transform', seconds: 19.4 },
        { name: 'train', seconds: 8.7 },
        { name: 'score', seconds: 6.2 },
        { name: 'report', seconds: 0.4 },
      ],
      files: [
        { label: 'lake', path: 'data/lake/raw/' },
        { label: 'warehouse', path: 'data/lake/warehouse.duckdb' },
        { label: 'model', path: 'data/lake/models/iforest-demo.json' },
        { label: 'truth', path: 'data/lake/truth.json' },
        { label: 'report', path: 'data/report/report.html' },
      ],
    },
    model: {
      version: 'iforest-demo-0001',
      trained_at: new Date((fromHour + 7 * 24 * HOUR_SECONDS) * 1000).toISOString(),
      threshold,
      features: ['log_volume_usd', 'volume_z_7d', 'tvl_change_1h', 'tvl_change_24h', 'price_change_1h', 'tx_count_z_7d', 'volume_to_tvl'],
      label: 'proxy label: |z(volume, 7 d)| > 4 or TVL down 50 % in 1 h',
      metrics: { pr_auc: 0.612, roc_auc: 0.941, precision_at_10: 0.7, recall_at_10: 0.438 },
    },
    top_pools: topPools,
    alerts_per_day: alertsPerDay(alerts, window),
    ranking_over_time: rankingOverTime,
    detection: {
      by_type: TYPES.map((t, i) => ({ type: t, events: 6 + i, caught_within_1h: 4 + (i % 2), caught_within_2h: 5 + (i % 2), median_delay_hours: i === 2 ? null : 0.5 * i })),
      alert_precision: 0.72,
      false_alerts_per_1000_pools_per_day: 3.4,
      mispriced_routed_as_data_error: { events: 9, routed: 8 },
    },
    alerts,
  };
}
