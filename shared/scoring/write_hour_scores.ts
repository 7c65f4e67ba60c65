import * as z from 'zod';
import { ALERT_TYPES, SEVERITIES } from '../alerting/vocabulary';
import { InvalidInputError } from '../errors';
import { iso } from '../hours';
import { parseOrThrow } from '../validation';
import type { Warehouse } from '../warehouse/warehouse';
import { POOL_SCORES } from './tables';

/** A feature's part in a score: this hour's value against the pool's usual (baseline). */
export const featureContributionSchema = z.object({
  feature: z.string().min(1),
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  contribution: z.number(),
});
export type FeatureContribution = z.output<typeof featureContributionSchema>;

/** One scored pool-hour, as the scoring step hands it over (hour_ts in unix seconds). */
export const poolScoreSchema = z.object({
  source: z.string().min(1),
  dex: z.string().min(1),
  chain: z.string().min(1),
  pool_id: z.string().min(1),
  pair: z.string().nullable(),
  hour_ts: z.number().int(),
  score: z.number(),
  threshold: z.number(),
  is_anomaly: z.boolean(),
  alert_type: z.enum(ALERT_TYPES).nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  model_version: z.string().min(1),
  top_features: z.array(featureContributionSchema),
});
export type PoolScore = z.output<typeof poolScoreSchema>;

/**
 * Writes hour `hour`'s scores (unix seconds), replacing whatever that hour had: a rerun of the
 * hour leaves exactly its new rows, never duplicates. Every row must belong to `hour`, since a row
 * of another hour would survive that hour's own rewrite.
 */
export async function writeHourScores(warehouse: Warehouse, hour: number, rows: readonly PoolScore[], scoredAt: Date): Promise<{ rows: number }> {
  const valid = parseOrThrow(z.array(poolScoreSchema), rows, 'invalid pool score', (m) => new InvalidInputError(m));
  const stray = valid.find((r) => r.hour_ts !== hour);
  if (stray) throw new InvalidInputError(`invalid pool score for pool ${stray.pool_id}: hour_ts ${iso(stray.hour_ts)} is not the hour being written (${iso(hour)})`);
  const hourDate = new Date(hour * 1000);
  await warehouse.replaceRows(
    POOL_SCORES,
    { hour_ts: hourDate },
    valid.map((r) => ({ ...r, hour_ts: hourDate, top_features: JSON.stringify(r.top_features), scored_at: scoredAt })),
  );
  return { rows: valid.length };
}
