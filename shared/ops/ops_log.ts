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

export type SlackDeliveryOutcome = { readonly ok: true; readonly alerts: number } | { readonly ok: false; readonly alerts: number; readonly status?: number; readonly error: string };

/** One line per Slack message attempted: WARNING when it failed (the run itself may still succeed). */
export function slackDeliveryLogLine(outcome: SlackDeliveryOutcome): OpsLogLine {
  if (outcome.ok) return { severity: 'INFO', message: `slack delivered ${outcome.alerts} alerts`, fields: { slack_delivery: { ok: true, alerts: outcome.alerts } } };
  return {
    severity: 'WARNING',
    message: `slack delivery failed: ${outcome.error}`,
    fields: { slack_delivery: { ok: false, alerts: outcome.alerts, ...(outcome.status === undefined ? {} : { status: outcome.status }), error: outcome.error } },
  };
}

/** Writes an ops line through the function's logger (which adds `function` and the trace). */
export function logOps(logger: Logger, line: OpsLogLine): void {
  logger.log(line.severity, line.message, line.fields);
}
