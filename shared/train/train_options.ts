import * as z from 'zod';
import { InvalidInputError } from '../errors';

const MODEL_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Options of one training run, one schema for every caller: the Cloud Function builds it from
 * env vars or an HTTP body, the CLI from flags. Numbers are coerced so strings from env vars and
 * flags parse as they are.
 */
export const trainOptionsSchema = z
  .object({
    modelName: z.string().regex(MODEL_NAME, 'lowercase letters, digits, _ and -, at most 63').default('pool-hour-iforest').describe('model name in the registry: models/<name>/<version>/'),
    windowDays: z.coerce.number().int().min(2).max(365).default(30).describe('days of the mart read: training part then evaluation part'),
    evalDays: z.coerce.number().int().min(1).max(90).default(7).describe('newest days of the window held out for evaluation'),
    windowEnd: z.iso.datetime().optional().describe('exclusive end of the window (ISO hour); default the current hour'),
    trees: z.coerce.number().int().min(1).max(1000).default(100).describe('trees in the forest'),
    samples: z.coerce.number().int().min(2).max(65_536).default(256).describe('rows each tree is grown on (max_samples)'),
    trainRows: z.coerce.number().int().min(100).max(5_000_000).default(65_536).describe('training rows sampled from the window (deterministic hash of pool and hour)'),
    evalMaxRows: z.coerce.number().int().min(1000).max(20_000_000).default(2_000_000).describe('evaluation rows at most; beyond it whole hours are sampled'),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(42).describe('seed of the row sample and of the forest'),
    targetAlertRate: z.coerce.number().gt(0).lt(0.5).default(0.0001).describe('share of pool-hours the forest alone flags; sets the stored threshold (0.0001: the alert policy default, chosen by npm run bench:detect)'),
    prAucTolerance: z.coerce.number().min(0).max(1).default(0.01).describe('a challenger may lose at most this much PR-AUC to production'),
    alertRateTolerance: z.coerce.number().min(0).max(100).default(0.5).describe("a challenger's alert rate may miss the target by at most this much more (relative to the target) than production's"),
  })
  .strict()
  .refine((o) => o.evalDays < o.windowDays, { message: 'evalDays must be smaller than windowDays (the rest of the window is for training)', path: ['evalDays'] });

export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;
export type TrainOptions = z.output<typeof trainOptionsSchema>;

/** Parses options, failing with an InvalidInputError that names the option and the reason. */
export function parseTrainOptions(input: unknown): TrainOptions {
  const parsed = trainOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `option '${issue.path.join('.')}'` : 'options';
    throw new InvalidInputError(`invalid training ${where}: ${issue.message}`);
  }
  const o = parsed.data;
  if (o.windowEnd !== undefined && Date.parse(o.windowEnd) % 3_600_000 !== 0) {
    throw new InvalidInputError(`invalid training option 'windowEnd': ${o.windowEnd} is not a whole hour`);
  }
  return o;
}

/**
 * The options set in env vars (TRAIN_WINDOW_DAYS, TRAIN_TARGET_ALERT_RATE, ...), unparsed: merge
 * an HTTP body over it and pass the result to parseTrainOptions.
 */
export function trainOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TRAIN_OPTION_KEYS) {
    const value = env[envNameOf(key)];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** Every option's name, in the schema's order. */
export const TRAIN_OPTION_KEYS = Object.keys(trainOptionsSchema.shape) as (keyof TrainOptions)[];

/** TRAIN_WINDOW_DAYS for windowDays, and so on. */
export function envNameOf(key: string): string {
  return `TRAIN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** --window-days for windowDays, and so on. */
export function flagNameOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
