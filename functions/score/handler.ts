import * as z from 'zod';
import { alertsConfig, alertsEnvShape, openNotifier } from '../../shared/alerts/alerts_config';
import { loadMuteList } from '../../shared/alerts/mute_list';
import type { Notifier } from '../../shared/alerts/notifier';
import { baseEnvShape, isoHourVar, parseEnv, warehouseUrlVar, type Env } from '../../shared/config/env';
import { InvalidInputError } from '../../shared/errors';
import { HOUR_SECONDS, lastFullHour } from '../../shared/hours';
import { jsonLogger, type Logger } from '../../shared/logging';
import { hoursToScore } from '../../shared/pipeline/score_catch_up';
import { scoreHour, type ScoreHourResult } from '../../shared/pipeline/score_hour';
import { openSecrets } from '../../shared/secrets/open_secrets';
import { openObjectStore } from '../../shared/storage/open_store';
import { openWarehouse } from '../../shared/warehouse/open_warehouse';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import { parseOrThrow } from '../../shared/validation';
import { alertRateLogLine, freshnessLogLine, logOps } from '../../shared/ops/ops_log';
import { httpFunction, type HttpEntry } from '../_runtime/http_function';

/** Everything the score function reads from the environment. */
export const scoreEnvSchema = z.object({
  ...baseEnvShape,
  WAREHOUSE: warehouseUrlVar,
  /** The registry's model name (models/<name>/...): the one train writes. */
  MODEL_NAME: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -').default('pool-hour-iforest'),
  /** Most hours one call may score (a backfill of a range is split across calls beyond it). */
  SCORE_MAX_HOURS_PER_CALL: z.coerce.number().int().min(1).max(24 * 31).default(48),
  /** A default run also scores the hours since the newest scored one, at most this many back (0: only the last complete hour). */
  SCORE_CATCH_UP_HOURS: z.coerce.number().int().min(0).max(48).default(6),
  ...alertsEnvShape,
});

/** `{"hour": ISO}` or `{"from": ISO, "to": ISO}` (inclusive), in the body or the query string; default: the last complete hour and any missed before it (SCORE_CATCH_UP_HOURS). */
const requestSchema = z.object({ hour: isoHourVar.optional(), from: isoHourVar.optional(), to: isoHourVar.optional() }).strict();

export interface ScoreFunctionOverrides {
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly warehouse?: Warehouse;
  readonly notifier?: Notifier;
}

/**
 * The score function (HTTP, called hourly by Cloud Scheduler after fetch and the Dataform run):
 * scores the hour (by default the last complete one, and any missed before it) with the production model, writes
 * pool_scores and delivers alerts. The mart not having the hour yet answers 503 so the scheduler
 * retries; a rerun replaces the hour's scores and posts nothing twice.
 */
export function createScoreFunction(env: Env, overrides: ScoreFunctionOverrides = {}): HttpEntry {
  const e = parseEnv(scoreEnvSchema, env);
  const store = openObjectStore(e.DATA_STORE_URL);
  const secretValues: string[] = [];
  const logger = overrides.logger ?? jsonLogger(undefined, { component: 'score' }, secretValues);
  const now = overrides.now ?? (() => new Date());
  const config = alertsConfig(e, e.DATA_STORE_URL);
  const notifier = overrides.notifier
    ? Promise.resolve(overrides.notifier)
    : openSecrets(e.SECRETS_BACKEND ?? 'env', e.GOOGLE_CLOUD_PROJECT, env).then((secrets) => openNotifier(config, secrets, env, logger, { onSecret: (v) => secretValues.push(v) }));
  let warehouse: Promise<Warehouse> | undefined;
  return httpFunction(
    'score',
    async (req, invocation) => {
      const body: unknown = req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0 ? req.body : req.query;
      const asked = parseOrThrow(requestSchema, body ?? {}, 'invalid score request', (m) => new InvalidInputError(m));
      const explicit = hoursAsked(asked, e.SCORE_MAX_HOURS_PER_CALL);
      warehouse ??= overrides.warehouse ? Promise.resolve(overrides.warehouse) : openWarehouse(e.WAREHOUSE);
      const wh = await warehouse;
      const hours = explicit ?? (await hoursToScore(wh, lastFullHour(now()), e.SCORE_CATCH_UP_HOURS));
      const deps = { warehouse: wh, store, modelName: e.MODEL_NAME, alerts: { notifier: await notifier, loadMuteList: () => loadMuteList(store, config.muteListKey), config: config.policy, now, logger: invocation.logger } };
      const results: ScoreHourResult[] = [];
      for (const hour of hours) {
        const result = await scoreHour(deps, hour);
        results.push(result);
        // What the staleness and alert-rate policies read (terraform/modules/monitoring).
        for (const s of result.bySource) {
          logOps(invocation.logger, freshnessLogLine('scored', s.source, hour, now()));
          logOps(invocation.logger, alertRateLogLine(s.source, hour, s.pools, Math.min(s.alerts, s.pools)));
        }
      }
      return { status: 200, body: { hours: results } };
    },
    { logger, projectId: e.GOOGLE_CLOUD_PROJECT },
  );
}

/** The hours a request names; null when it names none (the scheduled run). */
function hoursAsked(asked: z.output<typeof requestSchema>, maxHours: number): number[] | null {
  const at = (text: string) => Date.parse(text) / 1000;
  if (asked.hour && (asked.from || asked.to)) throw new InvalidInputError('invalid score request: give hour, or from and to, not both');
  if (asked.hour) return [at(asked.hour)];
  if (asked.from || asked.to) {
    if (!asked.from || !asked.to) throw new InvalidInputError("invalid score request: 'from' and 'to' go together");
    const from = at(asked.from);
    const to = at(asked.to);
    if (to < from) throw new InvalidInputError(`invalid score request: 'to' (${asked.to}) is before 'from' (${asked.from})`);
    const count = (to - from) / HOUR_SECONDS + 1;
    if (count > maxHours) throw new InvalidInputError(`invalid score request: ${count} hours asked, at most ${maxHours} per call (SCORE_MAX_HOURS_PER_CALL)`);
    return Array.from({ length: count }, (_, k) => from + k * HOUR_SECONDS);
  }
  return null;
}
