import type { AlertCandidate } from '../alerts/alert_candidate';
import { deliverPending, recordAndDeliverAlerts, type AlertDeps, type AlertRunSummary, type DeliverySummary } from '../alerts/deliver_alerts';
import { timedStep, type StepObserver } from '../pipeline/score_steps';
import { ensureTableOnce } from '../warehouse/ensure_table_once';
import { POOL_SCORES } from './tables';
import { writeHourScores, type PoolScore } from './write_hour_scores';

export interface PublishedHour {
  readonly scores: number;
  /** Alerts owed from earlier runs, retried first. */
  readonly earlier: DeliverySummary & { readonly muted: number };
  readonly alerts: AlertRunSummary;
}

/**
 * The delivery half of scoring an hour, in the order that loses nothing: the hour's scores first
 * (rewritten whole), then alerts owed from earlier runs, then this hour's alerts. Slack failures
 * never throw; a warehouse failure does, and the whole call is safe to rerun (scores are
 * replaced, alerts deduplicated by episode).
 */
export async function publishScoredHour(deps: AlertDeps, hour: number, scores: readonly PoolScore[], candidates: readonly AlertCandidate[], onStep?: StepObserver): Promise<PublishedHour> {
  const written = await timedStep(onStep, 'write', async () => {
    await ensureTableOnce(deps.warehouse, POOL_SCORES);
    return writeHourScores(deps.warehouse, hour, scores, deps.now());
  });
  const { earlier, alerts } = await timedStep(onStep, 'alerts', async () => {
    const earlier = await deliverPending(deps);
    const alerts = await recordAndDeliverAlerts(deps, hour, candidates);
    return { earlier, alerts };
  });
  return { scores: written.rows, earlier, alerts };
}
