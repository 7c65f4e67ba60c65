import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import type { Evaluation } from '../../shared/detection/evaluate';
import { alertsPerDay } from '../../shared/report/alerts_per_day';
import { isSeverity } from '../../shared/alerting/vocabulary';
import type { Detection, ReportData } from '../../shared/report/report_data';
import type { TrainRunResult } from '../../shared/train/train_model';
import type { Warehouse } from '../../shared/warehouse/warehouse';

const HOUR = 3600;
const severityOf = (stored: unknown) => (isSeverity(stored) ? stored : 'info');
const TOP_POOLS = 8;

export interface ReportInputs {
  readonly seed: number;
  readonly pools: number;
  readonly days: number;
  readonly fromHour: number;
  readonly toHour: number;
  readonly scoreFrom: number;
  readonly sources: readonly { id: string; dex: string; chain: string }[];
  readonly steps: readonly { name: string; seconds: number }[];
  readonly files: readonly { label: string; path: string }[];
  readonly trained: TrainRunResult;
  readonly detection: Evaluation | null;
  readonly truth: readonly { pool: string; type: string; hours: readonly number[] }[];
  readonly generatedAt: Date;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const fraction = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.min(1, Math.max(0, v)));

/** The run report's data from the warehouse a pipeline run filled (pool_scores, alerts, staging, the mart). */
export async function buildReportData(wh: Warehouse, r: ReportInputs): Promise<ReportData> {
  const window = { from: r.fromHour, to: r.toHour };
  const top = await wh.query('SELECT source, pool_id, ANY_VALUE(dex) AS dex, ANY_VALUE(chain) AS chain, MAX(pair) AS pair, MAX(score) AS max_score FROM `dex_anomaly.pool_scores` GROUP BY source, pool_id ORDER BY max_score DESC, source, pool_id LIMIT ' + String(TOP_POOLS));
  const alertRows = await wh.query('SELECT source, dex, chain, pool_id, pair, alert_type, severity, UNIX_SECONDS(hour_ts) AS hour, score, summary FROM `dex_anomaly.alerts` ORDER BY hour_ts, source, pool_id');
  const hours = Array.from({ length: (r.toHour - r.fromHour) / HOUR + 1 }, (_, k) => r.fromHour + k * HOUR);
  const topPools: ReportData['top_pools'] = [];
  for (const p of top) {
    const key = { source: String(p.source), pool: String(p.pool_id), from: r.fromHour, to: r.toHour };
    const stg = await wh.query('SELECT UNIX_SECONDS(hour_ts) AS hour, volume_usd, tvl_usd FROM `dex_anomaly.stg_pool_hour` WHERE source = @source AND pool_id = @pool AND hour_ts >= TIMESTAMP_SECONDS(@from) AND hour_ts <= TIMESTAMP_SECONDS(@to)', key);
    const scores = await wh.query('SELECT UNIX_SECONDS(hour_ts) AS hour, score FROM `dex_anomaly.pool_scores` WHERE source = @source AND pool_id = @pool', { source: key.source, pool: key.pool });
    const byHour = new Map(stg.map((s) => [Number(s.hour), s]));
    const scoreByHour = new Map(scores.map((s) => [Number(s.hour), Number(s.score)]));
    const poolKey = `${key.source}/${key.pool}`;
    topPools.push({
      source: key.source,
      dex: String(p.dex),
      chain: String(p.chain),
      pool_id: key.pool,
      pair: typeof p.pair === 'string' && p.pair ? p.pair : key.pool.slice(0, 10),
      max_score: Number(p.max_score),
      series: {
        hour_ts: hours,
        volume_usd: hours.map((h) => { const v = num(byHour.get(h)?.volume_usd); return v === null ? null : Math.max(0, v); }),
        tvl_usd: hours.map((h) => { const v = num(byHour.get(h)?.tvl_usd); return v === null ? null : Math.max(0, v); }),
        score: hours.map((h) => scoreByHour.get(h) ?? null),
      },
      alerts: alertRows.filter((a) => a.source === key.source && a.pool_id === key.pool).map((a) => ({ hour_ts: Number(a.hour), type: String(a.alert_type), severity: severityOf(a.severity) })),
      injected: r.truth.filter((t) => t.pool === poolKey).map((t) => ({ type: t.type, hours: t.hours.filter((h) => h >= r.fromHour && h <= r.toHour) })).filter((t) => t.hours.length > 0),
    });
  }
  const alerts: ReportData['alerts'] = alertRows.map((a) => ({
    source: String(a.source),
    dex: String(a.dex),
    chain: String(a.chain),
    pool_id: String(a.pool_id),
    pair: typeof a.pair === 'string' && a.pair ? a.pair : String(a.pool_id).slice(0, 10),
    type: String(a.alert_type),
    hour_ts: Number(a.hour),
    description: typeof a.summary === 'string' && a.summary ? a.summary : String(a.alert_type),
    severity: severityOf(a.severity),
    score: Number(a.score),
  }));
  const d = r.detection;
  const m = r.trained.metrics.overall;
  return {
    schema_version: 1,
    run: {
      generated_at: r.generatedAt.toISOString(),
      seed: r.seed,
      pools: r.pools,
      days: r.days,
      window: { from_hour: r.fromHour, to_hour: r.toHour },
      sources: r.sources.map((s) => ({ id: s.id, dex: s.dex, chain: s.chain })),
      steps: r.steps.map((s) => ({ name: s.name, seconds: s.seconds })),
      files: r.files.map((f) => ({ ...f })),
    },
    model: {
      version: r.trained.version,
      threshold: r.trained.threshold,
      features: [...FEATURE_NAMES],
      label: 'proxy label y: the hour\'s volume above the pool\'s 90th percentile of the previous 7 days (past warm-up)',
      metrics: { pr_auc: fraction(m.prAuc), roc_auc: fraction(m.rocAuc), precision_at_10: fraction(m.precisionAt10), recall_at_10: fraction(m.recallAt10) },
    },
    top_pools: topPools,
    alerts_per_day: alertsPerDay(alerts, { from_hour: window.from, to_hour: window.to }),
    ranking_over_time: await rankingPerDay(wh, r.scoreFrom, r.toHour),
    detection: d ? detectionData(d) : null,
    ...(r.trained.truthDetection.available ? { train_detection: { ...detectionData(r.trained.truthDetection.figures), window: { from_hour: r.trained.truthDetection.window.from, to_hour: r.trained.truthDetection.window.to } } } : {}),
    alerts,
  };
}

/** The detection benchmark's figures as the report shows them (types without events left out). */
function detectionData(d: Evaluation): Detection {
  return {
    by_type: Object.entries(d.types).filter(([, f]) => f.events > 0).map(([type, f]) => ({ type, events: f.events, caught_within_1h: f.caught_1h, caught_within_2h: f.caught_2h, median_delay_hours: f.median_delay_h })),
    alert_precision: fraction(d.alert_precision),
    false_alerts_per_1000_pools_per_day: Math.max(0, d.alerts_per_1000_pools_day),
    mispriced_routed_as_data_error: { events: d.types.mispriced_token.events, routed: Math.round((d.mispriced_as_data_error ?? 0) * d.types.mispriced_token.events) },
  };
}

/** Precision@10 and Recall@10 of each scored hour against the proxy label y, averaged per day. */
async function rankingPerDay(wh: Warehouse, from: number, to: number): Promise<ReportData['ranking_over_time']> {
  const rows = await wh.query('SELECT UNIX_SECONDS(s.hour_ts) AS hour, s.score, m.y FROM `dex_anomaly.pool_scores` AS s JOIN `dex_anomaly.mart_pool_features_labeled` AS m ON m.source = s.source AND m.pool_id = s.pool_id AND m.hour_ts = s.hour_ts WHERE s.hour_ts >= TIMESTAMP_SECONDS(@from) AND s.hour_ts <= TIMESTAMP_SECONDS(@to) AND m.is_warm', { from, to });
  const byHour = new Map<number, { score: number; y: boolean }[]>();
  for (const row of rows) {
    const list = byHour.get(Number(row.hour)) ?? [];
    list.push({ score: Number(row.score), y: row.y === true });
    byHour.set(Number(row.hour), list);
  }
  const byDay = new Map<string, { p: number[]; r: number[] }>();
  for (const [hour, list] of byHour) {
    const day = new Date(hour * 1000).toISOString().slice(0, 10);
    const entry = byDay.get(day) ?? { p: [], r: [] };
    const positives = list.filter((x) => x.y).length;
    const top = [...list].sort((a, b) => b.score - a.score).slice(0, 10);
    const hits = top.filter((x) => x.y).length;
    if (top.length > 0) entry.p.push(hits / top.length);
    if (positives > 0) entry.r.push(hits / positives);
    byDay.set(day, entry);
  }
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, e]) => ({ day, precision_at_10: mean(e.p), recall_at_10: mean(e.r) }));
}
