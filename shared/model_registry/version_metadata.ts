import { createHash } from 'node:crypto';
import { z } from 'zod';

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

/** metrics.json: the version's evaluation, and production's on the same window when there was one. */
export const versionMetricsSchema = z.object({
  window: z.object({ evalStart: z.iso.datetime(), end: z.iso.datetime() }),
  challenger: evaluationSchema,
  production: z.object({ version: z.string(), evaluation: evaluationSchema.nullable(), problem: z.string().nullable() }).nullable(),
  groundTruth: evaluationSchema.nullable(),
});
export type VersionMetrics = z.infer<typeof versionMetricsSchema>;

/** A stable hash of the ordered feature list: two models agree on features iff their hashes do. */
export function featureHash(featureNames: readonly string[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(featureNames)).digest('hex')}`;
}
