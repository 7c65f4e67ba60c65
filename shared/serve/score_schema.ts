import * as z from 'zod';

/** Rows one POST /score may carry. */
export const MAX_ROWS = 10_000;
/** Largest magnitude the model accepts: rows are cast to float32 before scoring, as scikit-learn does. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// A schema-level error also replaces its checks' messages (min, max): those need their own.
const missingOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : message);

/**
 * The POST /score body for a model with these features: every feature present, nothing else,
 * each a finite number within float32's range. Built per model, so an unknown or missing feature
 * name is a validation issue naming its path, and /openapi.json lists the real names.
 */
export function scoreRequestSchema(featureNames: readonly string[]) {
  const value = z
    .number({ error: missingOr('must be a finite number') })
    .min(-FLOAT32_MAX, 'must be within float32 range (|x| <= 3.4e38)')
    .max(FLOAT32_MAX, 'must be within float32 range (|x| <= 3.4e38)');
  const features = z.strictObject(Object.fromEntries(featureNames.map((name) => [name, value])), { error: missingOr('must be an object of feature name to number') });
  const row = z.strictObject(
    {
      pool_id: z.string({ error: 'must be a string' }).min(1, 'must be 1 to 256 characters').max(256, 'must be 1 to 256 characters').optional().describe('echoed back; not used for scoring'),
      features,
    },
    { error: missingOr('must be an object with features') },
  );
  return z
    .strictObject(
      {
        rows: z
          .array(row, { error: missingOr('must be an array of rows') })
          .min(1, 'must hold at least 1 row')
          .max(MAX_ROWS, `must hold at most ${MAX_ROWS} rows`),
      },
      { error: missingOr('the body must be a JSON object { "rows": [...] }') },
    )
    .describe('Rows of features to score with the production model.');
}

export type ScoreRequest = z.output<ReturnType<typeof scoreRequestSchema>>;

export const contributionSchema = z.object({
  feature: z.string(),
  value: z.number(),
  contribution: z.number().describe('DIFFI importance of the feature for this row; larger = more responsible for an abnormal score'),
});

export const scoreResultSchema = z.object({
  pool_id: z.string().optional(),
  score: z.number().describe('anomaly score 2^(-E[h(x)]/c(n)) in (0, 1]; higher is more abnormal'),
  is_anomaly: z.boolean().describe('score > threshold'),
  contributions: z.array(contributionSchema).describe('every feature, most responsible first'),
});

export const scoreResponseSchema = z.object({
  model_version: z.string(),
  threshold: z.number(),
  results: z.array(scoreResultSchema).describe('one per request row, in order'),
});

export type ScoreResponse = z.output<typeof scoreResponseSchema>;

/** A whole UTC hour, e.g. 2026-11-24T07:00:00Z. */
const isoHour = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}(:00(:00(\.0+)?)?)?(Z|\+00:00)$/.test(s) && !Number.isNaN(Date.parse(s)), 'must be a whole UTC hour such as 2026-11-24T07:00:00Z');

/** GET /score: one stored pool-hour, or without `hour` the pool's latest score and recent alerts. */
export const storedScoreQuerySchema = z.strictObject(
  {
    source: z.string({ error: missingOr('must be one value') }).min(1, 'must be 1 to 128 characters').max(128, 'must be 1 to 128 characters'),
    pool_id: z.string({ error: missingOr('must be one value') }).min(1, 'must be 1 to 256 characters').max(256, 'must be 1 to 256 characters'),
    hour: isoHour.optional(),
  },
  { error: 'expected query parameters source, pool_id and optionally hour' },
);

export type StoredScoreQuery = z.output<typeof storedScoreQuerySchema>;

export const storedScoreSchema = z.object({
  source: z.string(),
  dex: z.string().nullable(),
  chain: z.string().nullable(),
  pool_id: z.string(),
  pair: z.string().nullable(),
  hour: z.string().describe('ISO timestamp of the hour start'),
  score: z.number(),
  threshold: z.number(),
  is_anomaly: z.boolean(),
  alert_type: z.string().nullable(),
  model_version: z.string(),
  top_features: z.unknown().describe('as stored by the scoring job'),
  scored_at: z.string().nullable(),
});

export const storedAlertSchema = z.object({
  source: z.string(),
  pool_id: z.string(),
  hour: z.string(),
  alert_type: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.string().nullable(),
});

export const storedHourResponseSchema = z.object({ score: storedScoreSchema });
export const storedLatestResponseSchema = z.object({ latest: storedScoreSchema, alerts: z.array(storedAlertSchema).describe('most recent first') });

export const issueSchema = z.object({ path: z.string().describe("dotted path into the body or query, e.g. rows.3.features.turnover; '' for the whole"), message: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    kind: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    issues: z.array(issueSchema).optional().describe('each offending path (400 only)'),
  }),
});

export const healthSchema = z.object({ status: z.literal('ok'), model_version: z.string().nullable() });
