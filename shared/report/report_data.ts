import * as z from 'zod';
import { SEVERITIES, type Severity } from '../alerting/vocabulary';
import { InvalidInputError } from '../errors';
import { parseOrThrow } from '../validation';

/**
 * Everything the run report shows, in one JSON-able value: what `npm run pipeline` hands to
 * `renderReport`. Times are unix seconds of an hour's start (the pipeline's key everywhere), days are
 * `YYYY-MM-DD` in UTC, money is USD, shares and metrics are fractions in [0, 1]. A metric that is
 * undefined for the data (no positive label that day, no alert at all) is `null`, never NaN.
 */

const fraction = z.number().min(0).max(1);
const nullableFraction = fraction.nullable();
const count = z.number().int().min(0);
const unixHour = z.number().int().min(0).refine((t) => t % 3600 === 0, 'must be the unix second of an hour start');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const nonEmpty = z.string().min(1);

/** The alerts' severities (shared/alerting/vocabulary.ts); the report colours alerts by them. */
export { SEVERITIES, type Severity };

/** One pool, as people name it. `explorer_url`, when given, is rendered as the only outgoing link. */
const poolIdentity = z.object({
  /** Source id from the fetch configuration, e.g. `uniswap-v3-ethereum`. */
  source: nonEmpty,
  dex: nonEmpty,
  chain: nonEmpty,
  /** Pool (or pair) address as the subgraph has it. */
  pool_id: nonEmpty,
  /** Token symbols, e.g. `WETH/USDC`. */
  pair: nonEmpty,
  explorer_url: z.url({ protocol: /^https$/ }).optional(),
});

export const runInfoSchema = z.object({
  /** ISO time the report was produced. */
  generated_at: z.iso.datetime(),
  seed: z.number().int(),
  pools: count,
  days: count,
  /** First and last hour of the window. */
  window: z.object({ from_hour: unixHour, to_hour: unixHour }),
  sources: z.array(z.object({ id: nonEmpty, dex: nonEmpty, chain: nonEmpty })),
  /** Each pipeline step in the order it ran, with its wall time. */
  steps: z.array(z.object({ name: nonEmpty, seconds: z.number().min(0) })),
  /** Where the run's outputs are (lake, warehouse, model, scores, truth, this report). */
  files: z.array(z.object({ label: nonEmpty, path: nonEmpty })),
});

export const modelInfoSchema = z.object({
  version: nonEmpty,
  trained_at: z.iso.datetime().optional(),
  /** Score at or above which an hour alerts. */
  threshold: z.number(),
  /** Feature names in the model's order. */
  features: z.array(nonEmpty),
  /** What the metrics are measured against, in words (e.g. "proxy label: |z(volume)| > 4 or TVL -50 % in 1 h"). */
  label: nonEmpty,
  metrics: z.object({
    pr_auc: nullableFraction,
    roc_auc: nullableFraction,
    precision_at_10: nullableFraction,
    recall_at_10: nullableFraction,
  }),
});

/** One pool's month, hour by hour; every array has the length of `hour_ts`. */
export const poolSeriesSchema = z
  .object({
    hour_ts: z.array(unixHour),
    /** null: no row for the hour (no activity). */
    volume_usd: z.array(z.number().min(0).nullable()),
    tvl_usd: z.array(z.number().min(0).nullable()),
    /** Anomaly score; null where the hour was not scored. */
    score: z.array(z.number().nullable()),
  })
  .superRefine((s, ctx) => {
    for (const key of ['volume_usd', 'tvl_usd', 'score'] as const) {
      if (s[key].length !== s.hour_ts.length) ctx.addIssue({ code: 'custom', path: [key], message: `has ${s[key].length} values for ${s.hour_ts.length} hours` });
    }
    for (let i = 1; i < s.hour_ts.length; i++) {
      if (s.hour_ts[i]! <= s.hour_ts[i - 1]!) {
        ctx.addIssue({ code: 'custom', path: ['hour_ts', i], message: 'hours must be strictly increasing' });
        break;
      }
    }
  });

export const topPoolSchema = poolIdentity.extend({
  /** Highest score of the month: what put the pool in the top N. */
  max_score: z.number(),
  series: poolSeriesSchema,
  alerts: z.array(z.object({ hour_ts: unixHour, type: nonEmpty, severity: z.enum(SEVERITIES) })),
  /** Anomalies the simulator injected (the truth), with every affected hour. */
  injected: z.array(z.object({ type: nonEmpty, hours: z.array(unixHour).min(1) })),
});

export const detectionSchema = z.object({
  by_type: z.array(
    z.object({
      type: nonEmpty,
      events: count,
      caught_within_1h: count,
      caught_within_2h: count,
      /** Hours from an event's first hour to its first alert, over caught events; null when none was caught. */
      median_delay_hours: z.number().min(0).nullable(),
    }),
  ),
  /** Share of alerts that fall on an injected event's hours; null without alerts. */
  alert_precision: nullableFraction,
  /** Alerts outside injected events, per 1,000 pools per day. */
  false_alerts_per_1000_pools_per_day: z.number().min(0),
  /** Mispriced-token events whose alert was routed as a data error rather than market abuse. */
  mispriced_routed_as_data_error: z.object({ events: count, routed: count }),
});

export const alertRowSchema = poolIdentity.omit({ explorer_url: true }).extend({
  type: nonEmpty,
  hour_ts: unixHour,
  /** What happened, in words (e.g. "volume 38x its 7-day median"). */
  description: nonEmpty,
  severity: z.enum(SEVERITIES),
  score: z.number(),
});

export const reportDataSchema = z.object({
  /** Bumped when a field changes meaning, so an old JSON is refused rather than misread. */
  schema_version: z.literal(1),
  run: runInfoSchema,
  model: modelInfoSchema,
  /** The most abnormal pools (top N by max score), most abnormal first. */
  top_pools: z.array(topPoolSchema),
  /** Alerts per UTC day, by alert type (days in order, a type absent on a day counts 0). */
  alerts_per_day: z.array(z.object({ day, by_type: z.record(nonEmpty, count) })),
  /** Precision@10 and Recall@10 of each day's scores against the proxy label. */
  ranking_over_time: z.array(z.object({ day, precision_at_10: nullableFraction, recall_at_10: nullableFraction })),
  /** Detection against the simulator's truth; null when the run had no truth (real data). */
  detection: detectionSchema.nullable(),
  /** The train step's own evaluation hours (before the scored ones) replayed against the truth; absent without a truth. */
  train_detection: detectionSchema.extend({ window: z.object({ from_hour: unixHour, to_hour: unixHour }) }).optional(),
  alerts: z.array(alertRowSchema),
});

export type ReportData = z.infer<typeof reportDataSchema>;
export type RunInfo = ReportData['run'];
export type ModelInfo = ReportData['model'];
export type TopPool = ReportData['top_pools'][number];
export type PoolSeries = TopPool['series'];
export type Detection = NonNullable<ReportData['detection']>;
export type AlertRow = ReportData['alerts'][number];

/** Validates report data at the boundary; throws InvalidInputError naming every bad field. */
export function parseReportData(input: unknown): ReportData {
  return parseOrThrow(reportDataSchema, input, 'invalid report data', (m) => new InvalidInputError(m));
}
