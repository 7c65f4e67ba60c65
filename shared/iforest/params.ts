import * as z from 'zod';
import { InvalidInputError } from '../errors';
import { parseOrThrow } from '../validation';

/** Training options, validated so a bad option fails with the option's name before any work. */
export const trainOptionsSchema = z
  .object({
    /** Number of trees. */
    nEstimators: z.number().int().min(1).max(10_000).default(100),
    /** Rows per tree: 'auto' = min(256, n), an integer count, or a fraction of n in (0, 1]. */
    maxSamples: z.union([z.literal('auto'), z.number().int().min(1), z.number().gt(0).lt(1)]).default('auto'),
    /** Features per tree: an integer count, or a fraction of the features in (0, 1]. */
    maxFeatures: z.union([z.number().int().min(1), z.number().gt(0).lte(1)]).default(1),
    /** 'auto' (offset -0.5) or the expected share of anomalies in the training data. */
    contamination: z.union([z.literal('auto'), z.number().gt(0).lte(0.5)]).default('auto'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** 'axis-parallel' (Liu et al., scikit-learn) or 'extended' (Hariri et al., hyperplane splits). */
    kind: z.enum(['axis-parallel', 'extended']).default('axis-parallel'),
    /** Extended forest only: non-zero hyperplane components minus one; default the full extension. */
    extensionLevel: z.number().int().min(0).optional(),
  })
  .strict();

export type TrainOptions = z.input<typeof trainOptionsSchema>;
export type ResolvedTrainOptions = z.output<typeof trainOptionsSchema>;

export function parseTrainOptions(options: TrainOptions | undefined): ResolvedTrainOptions {
  const parsed = parseOrThrow(trainOptionsSchema, options ?? {}, 'invalid Isolation Forest option', (m) => new InvalidInputError(m));
  if (parsed.extensionLevel !== undefined && parsed.kind !== 'extended') {
    throw new InvalidInputError("invalid Isolation Forest option 'extensionLevel': only applies to kind 'extended'");
  }
  return parsed;
}

/** Rows per tree exactly as scikit-learn resolves `max_samples`. */
export function resolveMaxSamples(maxSamples: ResolvedTrainOptions['maxSamples'], nRows: number): number {
  if (maxSamples === 'auto') return Math.min(256, nRows);
  if (Number.isInteger(maxSamples) && maxSamples >= 1) return Math.min(maxSamples, nRows);
  return Math.max(1, Math.floor(maxSamples * nRows));
}

/** Features per tree exactly as scikit-learn resolves `max_features` (1.0 means all). */
export function resolveMaxFeatures(maxFeatures: number, nFeatures: number): number {
  const count = Number.isInteger(maxFeatures) && maxFeatures > 1 ? maxFeatures : Math.floor(maxFeatures * nFeatures);
  if (count > nFeatures) {
    throw new InvalidInputError(`invalid Isolation Forest option 'maxFeatures': ${maxFeatures} exceeds the ${nFeatures} features`);
  }
  return Math.max(1, count);
}

/** Height limit ceil(log2(max(maxSamples, 2))) from Liu et al. */
export function heightLimit(maxSamplesUsed: number): number {
  return Math.ceil(Math.log2(Math.max(maxSamplesUsed, 2)));
}
