import { createHash } from 'node:crypto';
import * as z from 'zod';
import { EVENT_TYPES } from '../detection/evaluate';

const metricsSchema = z.object({
  rows: z.number().int(),
  positives: z.number().int(),
  prAuc: z.number().nullable(),
  rocAuc: z.number().nullable(),
  precisionAt10: z.number().nullable(),
  recallAt10: z.number().nullable(),
  hours: z.number().int(),
  hoursWithPositives: z.number().int(),
  hoursWithFewerThan10: z.number().int(),
  alertRate: z.number().nullable(),
});

export const evaluationSchema = z.object({ overall: metricsSchema, bySource: z.record(z.string(), metricsSchema) });

/** metadata.json: what a model is, where it came from and how to alert with it. */
export const versionMetadataSchema = z.object({
  modelName: z.string(),
  version: z.string(),
  createdAt: z.iso.datetime(),
  origin: z.enum(['trained', 'imported']),
  producer: z.string(),
  featureNames: z.array(z.string()).min(1),
  featureHash: z.string(),
  modelSha256: z.string(),
  window: z.object({ start: z.iso.datetime(), evalStart: z.iso.datetime(), end: z.iso.datetime() }),
  rowCounts: z.object({
    trainWindowRows: z.number().int(),
    trainRows: z.number().int(),
    evalWindowRows: z.number().int(),
    evalRows: z.number().int(),
    skippedNonFinite: z.number().int(),
  }),
  /** SHA-256 of the training matrix (feature names, then row-major float64 values). */
  trainingFingerprint: z.string(),
  params: z.record(z.string(), z.unknown()),
  /** Alert when -score_samples >= value (see shared/train/alert_threshold.ts). */
  threshold: z.object({
    value: z.number(),
    scale: z.literal('anomaly_score'),
    targetAlertRate: z.number(),
    /** The looser score that confirms a medium volume spike (the alert policy's spikeConfirmThreshold); absent in older versions. */
    spikeConfirmValue: z.number().optional(),
  }),
  codeVersion: z.string(),
});
export type VersionMetadata = z.infer<typeof versionMetadataSchema>;

const typeFiguresSchema = z.object({
  events: z.number().int(),
  caught_1h: z.number().int(),
  caught_2h: z.number().int(),
  median_delay_h: z.number().nullable(),
  caught_24h: z.number().int(),
});

/** The detection benchmark's figures (shared/detection/evaluate.ts `Evaluation`). */
export const detectionFiguresSchema = z.object({
  types: z.record(z.enum(EVENT_TYPES), typeFiguresSchema),
  alerts_posted: z.number().int(),
  alerts_true: z.number().int(),
  alert_precision: z.number().nullable(),
  false_alerts: z.number().int(),
  false_by_type: z.record(z.string(), z.number().int()),
  alerts_per_1000_pools_day: z.number(),
  mispriced_as_data_error: z.number().nullable(),
  data_error_posts: z.number().int(),
  aftermath_hours: z.number(),
  delays: z.record(z.enum(EVENT_TYPES), z.array(z.number()).readonly()),
});

/** Detection against a ground truth, or why there is none (shared/train/truth_detection.ts). */
export const truthDetectionSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(false), note: z.string() }),
  z.object({
    available: z.literal(true),
    window: z.object({ from: z.number().int(), to: z.number().int(), hours: z.number().int(), pools: z.number().int(), rows: z.number().int() }),
    policy: z.object({ scoreThreshold: z.number(), spikeConfirmThreshold: z.number().nullable(), cooldownHours: z.number(), maxPostsPerHour: z.number() }),
    figures: detectionFiguresSchema,
  }),
]);

export type TruthDetection = z.infer<typeof truthDetectionSchema>;

/** metrics.json: the version's evaluation, and production's on the same window when there was one. */
export const versionMetricsSchema = z.object({
  window: z.object({ evalStart: z.iso.datetime(), end: z.iso.datetime() }),
  challenger: evaluationSchema,
  production: z.object({ version: z.string(), evaluation: evaluationSchema.nullable(), problem: z.string().nullable() }).nullable(),
  /** The ranking figures against the ground truth's pool-hours (null without one). */
  groundTruth: evaluationSchema.nullable(),
  /** Detection figures against the ground truth; absent in versions written before they existed. */
  truthDetection: truthDetectionSchema.optional(),
});
export type VersionMetrics = z.infer<typeof versionMetricsSchema>;

/** A stable hash of the ordered feature list: two models agree on features iff their hashes do. */
export function featureHash(featureNames: readonly string[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(featureNames)).digest('hex')}`;
}
