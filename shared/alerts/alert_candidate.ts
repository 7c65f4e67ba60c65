import * as z from 'zod';
import { ALERT_TYPES, SEVERITIES, type AlertType, type Severity } from '../alerting/vocabulary';
import { featureContributionSchema } from '../scoring/write_hour_scores';

export { ALERT_TYPES, SEVERITIES, type AlertType, type Severity };

/**
 * A pool-hour the alert policy decided to alert on: what delivery needs and nothing of how the
 * decision was made. The score use-case builds it from the policy's decision; everything past it
 * (deduplication, recording, muting, messages, retries) reads only this.
 *
 * `facts` are the numbers the message puts into words, e.g. `{ tvl_change_2h: -0.94,
 * volume_vs_usual: 38 }` (see describeFacts in slack_blocks.ts for the names it knows).
 */
export const alertCandidateSchema = z.object({
  source: z.string().min(1),
  dex: z.string().min(1),
  chain: z.string().min(1),
  pool_id: z.string().min(1),
  /** e.g. 'WETH/USDC'; null when the tokens' symbols are unknown. */
  pair: z.string().nullable(),
  /** Protocol version, for the DEX's pool page (Sushi has v2 and v3 pages). */
  protocol_version: z.enum(['v2', 'v3']).optional(),
  /** The hour's start, unix seconds. */
  hour_ts: z.number().int(),
  alert_type: z.enum(ALERT_TYPES),
  severity: z.enum(SEVERITIES),
  score: z.number(),
  threshold: z.number(),
  /** How rare the score is among the pool-hours the model was calibrated on, 0..100 (99.9: top 0.1 %). */
  score_percentile: z.number().min(0).max(100),
  model_version: z.string().min(1),
  top_features: z.array(featureContributionSchema),
  facts: z.record(z.string(), z.number()),
});
export type AlertCandidate = z.output<typeof alertCandidateSchema>;

/** What deduplication is keyed by: never the score or the time. */
export function alertKey(a: Pick<AlertCandidate, 'chain' | 'dex' | 'pool_id' | 'alert_type'>): string {
  return [a.chain, a.dex, a.pool_id.toLowerCase(), a.alert_type].join('|');
}
