import { InvalidInputError } from '../errors';
import { HOUR_SECONDS, iso } from '../hours';
import type { Logger, Severity } from '../logging';

/**
 * The log lines Cloud Monitoring alerts on (terraform/modules/monitoring): built here, in one
 * place, so the metric filters and the code cannot drift (test/terraform/monitoring.test.ts runs
 * each filter against lines built by these functions). Field names are part of the contract.
 */
export interface OpsLogLine {
  readonly severity: Severity;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Which stage of the pipeline a freshness line reports. */
export const FRESHNESS_KINDS = ['fetched', 'loaded', 'scored'] as const;
export type FreshnessKind = (typeof FRESHNESS_KINDS)[number];

/**
 * After each run, per source: the newest hour this stage holds and how far behind `now` it is.
 * The staleness alert fires when `lag_hours` exceeds its threshold, or when no line arrives.
 */
export function freshnessLogLine(kind: FreshnessKind, source: string, newestHourUnix: number, now: Date): OpsLogLine {
  if (!FRESHNESS_KINDS.includes(kind)) throw new InvalidInputError(`freshness kind: '${kind}' is not one of ${FRESHNESS_KINDS.join(', ')}`);
  if (!source) throw new InvalidInputError('freshness source: must not be empty');
  if (!Number.isInteger(newestHourUnix) || newestHourUnix % HOUR_SECONDS !== 0) throw new InvalidInputError(`freshness newest hour: ${newestHourUnix} is not a whole hour in unix seconds`);
  const lagHours = Math.round(((now.getTime() / 1000 - newestHourUnix) / HOUR_SECONDS) * 100) / 100;
  return {
    severity: 'INFO',
    message: `freshness ${kind} ${source} ${iso(newestHourUnix)}`,
    fields: { freshness: { kind, source, newest_hour: iso(newestHourUnix), lag_hours: lagHours } },
  };
}

/** After each scoring run: how many pools were scored and how many alerted, per source. */
export function alertRateLogLine(source: string, hourUnix: number, scoredPools: number, alerts: number): OpsLogLine {
  if (!Number.isInteger(scoredPools) || scoredPools < 0) throw new InvalidInputError(`alert rate scored pools: ${scoredPools} is not a count`);
  if (!Number.isInteger(alerts) || alerts < 0 || alerts > scoredPools) throw new InvalidInputError(`alert rate alerts: ${alerts} is not a count between 0 and ${scoredPools}`);
  // No pools scored is no evidence about the rate: such a line carries no rate, so the band ignores it.
  const rate = scoredPools === 0 ? undefined : alerts / scoredPools;
  return {
    severity: 'INFO',
    message: `alert rate ${source} ${iso(hourUnix)}: ${alerts}/${scoredPools}`,
    fields: { alert_rate: { source, hour: iso(hourUnix), scored_pools: scoredPools, alerts, ...(rate === undefined ? {} : { rate }) } },
  };
}

/**
 * What became of one Slack message: sent (after `attempts` tries), retried (attempt `attempt`
 * failed, the next follows in `delayMs`), or failed for this run (the alerts stay owed). `error`
 * is Slack's code (`invalid_auth`, `rate_limited`, ...), `status` the HTTP status when there was one.
 */
export type SlackDeliveryOutcome =
  | { readonly outcome: 'sent'; readonly alerts: number; readonly attempts: number }
  | { readonly outcome: 'retried'; readonly alerts: number; readonly attempt: number; readonly delayMs: number; readonly status?: number; readonly error: string }
  | { readonly outcome: 'failed'; readonly alerts: number; readonly attempts: number; readonly status?: number; readonly error: string };

/**
 * One line per outcome of a Slack message. Only `failed` carries `ok: false` (what the "Slack
 * deliveries failing" metric counts) and is a WARNING: a retry that later succeeds is no failure.
 */
export function slackDeliveryLogLine(o: SlackDeliveryOutcome): OpsLogLine {
  const status = o.outcome !== 'sent' && o.status !== undefined ? { status: o.status } : {};
  switch (o.outcome) {
    case 'sent':
      return { severity: 'INFO', message: `slack delivered ${o.alerts} alerts`, fields: { slack_delivery: { outcome: 'sent', ok: true, alerts: o.alerts, attempts: o.attempts } } };
    case 'retried':
      return { severity: 'INFO', message: `slack delivery retried in ${o.delayMs} ms: ${o.error}`, fields: { slack_delivery: { outcome: 'retried', alerts: o.alerts, attempt: o.attempt, delay_ms: o.delayMs, ...status, error: o.error } } };
    case 'failed':
      return { severity: 'WARNING', message: `slack delivery failed: ${o.error}`, fields: { slack_delivery: { outcome: 'failed', ok: false, alerts: o.alerts, attempts: o.attempts, ...status, error: o.error } } };
  }
}

/** Writes an ops line through the function's logger (which adds `function` and the trace). */
export function logOps(logger: Logger, line: OpsLogLine): void {
  logger.log(line.severity, line.message, line.fields);
}
