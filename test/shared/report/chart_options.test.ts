import { alertsPerDayChart, poolChart, rankingOverTimeChart, reportCharts } from '../../../shared/report/chart_options';
import { demoReportData } from '../../../shared/report/demo_report_data';
import { ALERT_COLOUR, INJECTED_COLOUR, SEVERITY_COLOUR } from '../../../shared/report/report_colours';
import type { ReportData, TopPool } from '../../../shared/report/report_data';

const H = 3600;
const T0 = Date.UTC(2026, 9, 1) / 1000;

const pool: TopPool = {
  source: 'uniswap-v3-ethereum',
  dex: 'uniswap-v3',
  chain: 'ethereum',
  pool_id: '0xabc',
  pair: 'PEPE/WETH',
  max_score: 0.91,
  series: { hour_ts: [T0, T0 + H, T0 + 2 * H, T0 + 3 * H], volume_usd: [10, 0, null, 1000], tvl_usd: [1e6, 1e6, 5e5, 1e4], score: [null, 0.3, 0.91, 0.7] },
  alerts: [
    { hour_ts: T0 + 2 * H, type: 'liquidity_drain', severity: 'critical' },
    { hour_ts: T0 + 3 * H, type: 'liquidity_drain', severity: 'warning' },
  ],
  injected: [{ type: 'liquidity_drain', hours: [T0 + 3 * H, T0 + 2 * H] }],
};

type Series = { name: string; type: string; data?: unknown; yAxisIndex?: number; markArea?: { data: unknown }; markLine?: { data: unknown } };

describe('pool chart', () => {
  const spec = poolChart(pool, 2, 0.62);
  const series = spec.option.series as Series[];
  const byName = (name: string) => series.find((s) => s.name === name)!;

  test('id and pool index tie the chart to its element and its data', () => {
    expect([spec.id, spec.poolIndex]).toEqual(['pool-2', 2]);
  });

  test('volume and TVL on the log USD axis, score on the 0-1 axis with the threshold line', () => {
    expect(spec.option.yAxis).toMatchObject([{ type: 'log', name: 'USD (log scale)' }, { type: 'value', name: 'score', min: 0, max: 1 }]);
    expect([byName('Volume (USD/h)').yAxisIndex, byName('TVL (USD)').yAxisIndex, byName('Score').yAxisIndex]).toEqual([0, 0, 1]);
    expect(byName('Score').markLine!.data).toEqual([{ yAxis: 0.62 }]);
  });

  test('alerts: a triangle at each alert hour on its score, coloured by severity', () => {
    expect(byName('Alert').data).toEqual([
      { name: 'liquidity_drain (critical)', value: [(T0 + 2 * H) * 1000, 0.91], itemStyle: { color: SEVERITY_COLOUR.critical } },
      { name: 'liquidity_drain (warning)', value: [(T0 + 3 * H) * 1000, 0.7], itemStyle: { color: SEVERITY_COLOUR.warning } },
    ]);
  });

  test('injected anomaly: one band from its first hour to the end of its last, in the truth colour', () => {
    const injected = byName('Injected (truth)');
    expect(injected.markArea!.data).toEqual([[{ name: 'liquidity_drain', xAxis: (T0 + 2 * H) * 1000 }, { xAxis: (T0 + 4 * H) * 1000 }]]);
    expect(JSON.stringify(injected)).toContain(INJECTED_COLOUR);
    expect(INJECTED_COLOUR).not.toBe(ALERT_COLOUR);
  });

  test('an alert on an unscored hour sits on the threshold', () => {
    const s = poolChart({ ...pool, alerts: [{ hour_ts: T0, type: 'volume_spike', severity: 'info' }] }, 0, 0.5).option.series as Series[];
    expect((s.find((x) => x.name === 'Alert')!.data as { value: number[] }[])[0]!.value).toEqual([T0 * 1000, 0.5]);
  });
});

test('alerts per day: one stacked series per type, zeros where a day lacks the type', () => {
  const data: ReportData = { ...demoReportData({ topPools: 1, days: 2 }), alerts_per_day: [{ day: '2026-10-01', by_type: { volume_spike: 2 } }, { day: '2026-10-02', by_type: { data_error: 1, volume_spike: 3 } }] };
  const option = alertsPerDayChart(data).option;
  expect((option.xAxis as { data: string[] }).data).toEqual(['10-01', '10-02']);
  expect((option.series as Series[]).map((s) => [s.name, s.data])).toEqual([
    ['data_error', [0, 1]],
    ['volume_spike', [2, 3]],
  ]);
});

test('ranking over time: daily values with gaps as null, the overall values as dashed lines', () => {
  const data = demoReportData({ topPools: 1, days: 9 });
  const series = rankingOverTimeChart(data).option.series as Series[];
  expect(series.map((s) => s.name)).toEqual(['Precision@10', 'Recall@10']);
  expect(series[0]!.data).toEqual(data.ranking_over_time.map((d) => d.precision_at_10));
  expect((series[0]!.data as (number | null)[]).slice(0, 7)).toEqual([null, null, null, null, null, null, null]);
  expect(series[1]!.markLine!.data).toEqual([{ yAxis: 0.438, name: 'overall R@10', label: { formatter: 'overall R@10 0.44' } }]);
});

test('every chart in page order', () => {
  expect(reportCharts(demoReportData({ topPools: 3, days: 8 })).map((c) => c.id)).toEqual(['alerts-per-day', 'ranking-over-time', 'pool-0', 'pool-1', 'pool-2']);
});
