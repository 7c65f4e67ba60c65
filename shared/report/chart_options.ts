import type { EChartsOption } from 'echarts';
import type { ReportData, TopPool } from './report_data';
import { ALERT_COLOUR, INJECTED_COLOUR, SEVERITY_COLOUR, colourOfType } from './report_colours';

/**
 * One chart of the report: the ECharts option (plain JSON) and, for a pool chart, the index of the
 * pool whose hourly series the page puts into `dataset.source` (so the month of data is embedded
 * once, in the report data, not twice). Formatters are named strings (`fmt:usd`, `fmt:share`) that
 * the page's script replaces by functions, since JSON cannot carry functions.
 */
export interface ChartSpec {
  readonly id: string;
  readonly option: EChartsOption;
  readonly poolIndex?: number;
}

const HOUR_MS = 3_600_000;
// Short enough that the pool chart's legend fits one row at 640 px; the page's key explains them.
const VOLUME = 'Volume (USD/h)';
const TVL = 'TVL (USD)';
const SCORE = 'Score';
const ALERT = 'Alert';
const INJECTED = 'Injected (truth)';
const BASE = {
  animation: false,
  useUTC: true,
  textStyle: { fontFamily: 'system-ui, sans-serif' },
} satisfies EChartsOption;

/** Stacked bars of alerts per UTC day, one colour per alert type. */
export function alertsPerDayChart(data: ReportData): ChartSpec {
  const types = [...new Set(data.alerts_per_day.flatMap((d) => Object.keys(d.by_type)))].sort();
  return {
    id: 'alerts-per-day',
    option: {
      ...BASE,
      title: { text: 'Alerts per day (UTC), by alert type', left: 'center' },
      tooltip: { trigger: 'axis' },
      legend: { top: 34, data: types },
      grid: { top: 84, left: 60, right: 30, bottom: 50 },
      xAxis: { type: 'category', name: 'day (UTC)', nameLocation: 'middle', nameGap: 30, data: data.alerts_per_day.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', name: 'alerts', minInterval: 1 },
      series: types.map((t) => ({
        name: t,
        type: 'bar',
        stack: 'alerts',
        itemStyle: { color: colourOfType(t) },
        data: data.alerts_per_day.map((d) => d.by_type[t] ?? 0),
      })),
    },
  };
}

/** Precision@10 and Recall@10 per day against the proxy label, with the model's overall values. */
export function rankingOverTimeChart(data: ReportData): ChartSpec {
  const m = data.model.metrics;
  const overall = (value: number | null, name: string) => (value === null ? [] : [{ yAxis: value, name, label: { formatter: `${name} ${value.toFixed(2)}` } }]);
  return {
    id: 'ranking-over-time',
    option: {
      ...BASE,
      title: { text: 'Precision@10 and Recall@10 per day (against the proxy label)', left: 'center' },
      tooltip: { trigger: 'axis', valueFormatter: 'fmt:share' as never },
      legend: { top: 34, data: ['Precision@10', 'Recall@10'] },
      grid: { top: 84, left: 60, right: 150, bottom: 50 },
      xAxis: { type: 'category', name: 'day (UTC)', nameLocation: 'middle', nameGap: 30, data: data.ranking_over_time.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', name: 'share of top 10', min: 0, max: 1 },
      series: [
        {
          name: 'Precision@10',
          type: 'line',
          connectNulls: false,
          itemStyle: { color: '#1f77b4' },
          data: data.ranking_over_time.map((d) => d.precision_at_10),
          markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#1f77b4' }, data: overall(m.precision_at_10, 'overall P@10') },
        },
        {
          name: 'Recall@10',
          type: 'line',
          connectNulls: false,
          itemStyle: { color: '#ff7f0e' },
          data: data.ranking_over_time.map((d) => d.recall_at_10),
          markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#ff7f0e' }, data: overall(m.recall_at_10, 'overall R@10') },
        },
      ],
    },
  };
}

/**
 * A pool's month: volume and TVL on one logarithmic USD axis (both are money, spanning decades),
 * the anomaly score on a 0-1 axis with the alert threshold, alerts as red triangles on the score,
 * injected anomalies (the truth) as purple bands.
 */
export function poolChart(pool: TopPool, poolIndex: number, threshold: number): ChartSpec {
  const scoreAt = new Map(pool.series.hour_ts.map((t, i) => [t, pool.series.score[i] ?? null]));
  const bands = pool.injected.flatMap((inj) => {
    const sorted = [...inj.hours].sort((a, b) => a - b);
    return [[{ name: inj.type, xAxis: sorted[0]! * 1000 }, { xAxis: sorted[sorted.length - 1]! * 1000 + HOUR_MS }]];
  });
  return {
    id: `pool-${poolIndex}`,
    poolIndex,
    option: {
      ...BASE,
      title: {
        text: `#${poolIndex + 1}  ${pool.pair}  on ${pool.dex} (${pool.chain})`,
        subtext: `${pool.pool_id}   max score ${pool.max_score.toFixed(3)}`,
        left: 'center',
      },
      tooltip: { trigger: 'axis', formatter: 'fmt:pool_tooltip' as never },
      legend: {
        top: 50,
        itemGap: 12,
        data: [VOLUME, TVL, SCORE, ALERT, { name: INJECTED, icon: 'rect' }],
      },
      grid: { top: 112, left: 80, right: 60, bottom: 56 },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      xAxis: { type: 'time', name: 'hour (UTC)', nameLocation: 'middle', nameGap: 30 },
      yAxis: [
        { type: 'log', name: 'USD (log scale)', logBase: 10, axisLabel: { formatter: 'fmt:usd' as never }, splitLine: { lineStyle: { color: '#eee' } } },
        { type: 'value', name: 'score', min: 0, max: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: VOLUME,
          type: 'line',
          encode: { x: 'time', y: 'volume_usd' },
          yAxisIndex: 0,
          showSymbol: false,
          lineStyle: { width: 1, color: '#6baed6' },
          itemStyle: { color: '#6baed6' },
          areaStyle: { color: 'rgba(107,174,214,0.25)', origin: 'start' },
        },
        { name: TVL, type: 'line', encode: { x: 'time', y: 'tvl_usd' }, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 2, color: '#08306b' }, itemStyle: { color: '#08306b' } },
        {
          name: SCORE,
          type: 'line',
          encode: { x: 'time', y: 'score' },
          yAxisIndex: 1,
          showSymbol: false,
          lineStyle: { width: 1, color: '#2ca02c' },
          itemStyle: { color: '#2ca02c' },
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#555' },
            label: { formatter: `threshold ${threshold}`, position: 'insideEndTop' },
            data: [{ yAxis: threshold }],
          },
        },
        {
          name: ALERT,
          type: 'scatter',
          yAxisIndex: 1,
          symbol: 'triangle',
          symbolSize: 12,
          itemStyle: { color: ALERT_COLOUR, borderColor: '#fff', borderWidth: 1 },
          z: 5,
          data: pool.alerts.map((a) => ({
            name: `${a.type} (${a.severity})`,
            value: [a.hour_ts * 1000, scoreAt.get(a.hour_ts) ?? threshold],
            itemStyle: { color: SEVERITY_COLOUR[a.severity] },
          })),
        },
        {
          name: INJECTED,
          type: 'line',
          yAxisIndex: 1,
          itemStyle: { color: INJECTED_COLOUR },
          data: [],
          markArea: {
            itemStyle: { color: 'rgba(148,103,189,0.28)', borderColor: INJECTED_COLOUR, borderWidth: 1 },
            label: { color: '#54278f', position: 'insideTop', fontWeight: 'bold' },
            data: bands as never,
          },
        },
      ],
    },
  };
}

/** Every chart of the report, in page order. */
export function reportCharts(data: ReportData): ChartSpec[] {
  return [alertsPerDayChart(data), rankingOverTimeChart(data), ...data.top_pools.map((p, i) => poolChart(p, i, data.model.threshold))];
}
