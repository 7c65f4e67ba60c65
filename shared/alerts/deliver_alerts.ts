import * as z from 'zod';
import { AppError, ConfigError, InvalidInputError } from '../errors';
import { HOUR_SECONDS, iso } from '../hours';
import type { Logger } from '../logging';
import { ALERTS } from '../scoring/tables';
import { parseOrThrow } from '../validation';
import { ensureTableOnce } from '../warehouse/ensure_table_once';
import type { Warehouse } from '../warehouse/warehouse';
import { alertCandidateSchema, alertKey, type AlertCandidate } from './alert_candidate';
import { markDelivery, markMuted, newAlertRow, readEpisodesNear, readUndelivered, writeAlertRow, type AlertRow, type DeliveryStatus } from './alert_store';
import { decideEpisodes, type KnownEpisode } from './episodes';
import { EMPTY_MUTE_LIST, findMute, type MuteList } from './mute_list';
import type { Notifier } from './notifier';
import { buildAlertMessage, buildDataErrorMessage, buildDigestMessage, type AlertMessage, type AlertRecord } from './slack_blocks';

/** The alerting knobs (see alertsEnvShape for their variables and defaults). */
export interface AlertPolicyConfig {
  /** Hours a key may stay quiet and still be the same episode (one alert per episode). */
  readonly cooldownHours: number;
  /** This many market alerts delivered together become one digest message. */
  readonly digestThreshold: number;
  /** 'post' data errors as their own message (own channel if configured), or 'hold' them unsent. */
  readonly dataErrors: 'post' | 'hold';
  /** Undelivered alerts are retried on later runs until they have had this many tries. */
  readonly maxAttempts: number;
}

export interface AlertDeps {
  readonly warehouse: Warehouse;
  readonly notifier: Notifier;
  /** Read on every run: users edit the mute list between runs. */
  readonly loadMuteList: () => Promise<MuteList>;
  readonly config: AlertPolicyConfig;
  readonly now: () => Date;
  readonly logger: Logger;
}

export interface DeliverySummary {
  readonly messages: number;
  readonly delivered: number;
  readonly failed: number;
  /** Alerts not tried because an earlier message showed the notifier is misconfigured. */
  readonly skipped: number;
}

export interface AlertRunSummary extends DeliverySummary {
  readonly candidates: number;
  readonly newAlerts: number;
  readonly continued: number;
  readonly alreadyAlerted: number;
  readonly muted: number;
  readonly held: number;
}

/**
 * Turns one hour's alert candidates into alerts: deduplicates by episode, records every new alert
 * with its delivery status before anything is sent, mutes and holds, delivers the rest, and
 * records the outcome. Delivery failures never throw (scores are not lost for a Slack outage;
 * the alerts stay owed and deliverPending retries them); only warehouse failures do.
 */
export async function recordAndDeliverAlerts(deps: AlertDeps, hour: number, candidates: readonly AlertCandidate[]): Promise<AlertRunSummary> {
  const valid = parseOrThrow(z.array(alertCandidateSchema), candidates, 'invalid alert candidate', (m) => new InvalidInputError(m));
  const stray = valid.find((c) => c.hour_ts !== hour);
  if (stray) throw new InvalidInputError(`invalid alert candidate for pool ${stray.pool_id}: hour_ts ${iso(stray.hour_ts)} is not the hour being alerted (${iso(hour)})`);
  await ensureTableOnce(deps.warehouse, ALERTS);
  if (valid.length === 0) return { candidates: 0, newAlerts: 0, continued: 0, alreadyAlerted: 0, muted: 0, held: 0, messages: 0, delivered: 0, failed: 0, skipped: 0 };
  const cooldown = deps.config.cooldownHours * HOUR_SECONDS;
  const nearby = await readEpisodesNear(deps.warehouse, hour - cooldown, hour + cooldown);
  const rowsById = new Map(nearby.map((r) => [r.alert_id, r]));
  const known: KnownEpisode[] = nearby.map((r) => ({ alertId: r.alert_id, key: alertKey({ chain: r.chain, dex: r.dex, pool_id: r.pool_id, alert_type: r.payload.alert_type }), episodeStart: r.episode_start, lastHour: r.hour_ts }));
  const decisions = decideEpisodes(valid, known, deps.config.cooldownHours);
  const mutes = await readMutes(deps);
  const now = deps.now();

  let continued = 0;
  let alreadyAlerted = 0;
  const fresh: AlertRow[] = [];
  for (const d of decisions) {
    if (d.kind === 'already_alerted') alreadyAlerted++;
    else if (d.kind === 'continued') {
      continued++;
      const row = rowsById.get(d.episode.alertId)!;
      await writeAlertRow(deps.warehouse, { ...row, hour_ts: Math.max(row.hour_ts, hour), score: Math.max(row.score, d.candidate.score) });
    } else {
      const record: AlertRecord = { ...d.candidate, alert_id: d.alertId, episode_start: hour };
      const mute = findMute(mutes, record, now);
      const status: DeliveryStatus = mute ? 'muted' : record.alert_type === 'data_error' && deps.config.dataErrors === 'hold' ? 'held' : 'pending';
      const row = newAlertRow(record, messageFor(record).text, status, now);
      // Recorded before it is sent: whatever happens to the delivery, the alert is not lost.
      await writeAlertRow(deps.warehouse, row);
      fresh.push(row);
      if (mute) deps.logger.log('INFO', 'alert muted', { alert_id: row.alert_id, pool_id: row.pool_id, alert_type: row.alert_type, reason: mute.reason ?? null });
    }
  }
  const delivery = await deliverRows(deps, fresh.filter((r) => r.delivery_status === 'pending'));
  const summary: AlertRunSummary = {
    candidates: valid.length,
    newAlerts: fresh.length,
    continued,
    alreadyAlerted,
    muted: fresh.filter((r) => r.delivery_status === 'muted').length,
    held: fresh.filter((r) => r.delivery_status === 'held').length,
    ...delivery,
  };
  deps.logger.log('INFO', 'alerts recorded and delivered', { hour: iso(hour), notifier: deps.notifier.name, ...summary });
  return summary;
}

/**
 * Retries every alert still owed a delivery (pending or failed, under the attempt limit), except
 * those whose pool was muted since: they become muted. Call it before recordAndDeliverAlerts on
 * each run, so a run after an outage sends what the outage kept.
 */
export async function deliverPending(deps: AlertDeps): Promise<DeliverySummary & { readonly muted: number }> {
  await ensureTableOnce(deps.warehouse, ALERTS);
  const owed = await readUndelivered(deps.warehouse, deps.config.maxAttempts);
  if (owed.length === 0) return { messages: 0, delivered: 0, failed: 0, skipped: 0, muted: 0 };
  const mutes = await readMutes(deps);
  const now = deps.now();
  const nowMuted = owed.filter((r) => findMute(mutes, r.payload, now) !== undefined);
  await markMuted(deps.warehouse, nowMuted.map((r) => r.alert_id));
  const summary = { ...(await deliverRows(deps, owed.filter((r) => !nowMuted.includes(r)))), muted: nowMuted.length };
  deps.logger.log('INFO', 'undelivered alerts retried', { notifier: deps.notifier.name, owed: owed.length, ...summary });
  return summary;
}

function messageFor(record: AlertRecord): AlertMessage {
  return record.alert_type === 'data_error' ? buildDataErrorMessage(record) : buildAlertMessage(record);
}

/** Market alerts one by one, or as one digest when there are many; data errors always on their own. */
export function planMessages(records: readonly AlertRecord[], digestThreshold: number): AlertMessage[] {
  const market = records.filter((r) => r.alert_type !== 'data_error');
  const dataErrors = records.filter((r) => r.alert_type === 'data_error');
  const marketMessages = market.length >= digestThreshold ? [buildDigestMessage(market)] : market.map(buildAlertMessage);
  return [...marketMessages, ...dataErrors.map(buildDataErrorMessage)];
}

async function deliverRows(deps: AlertDeps, rows: readonly AlertRow[]): Promise<DeliverySummary> {
  const messages = planMessages(rows.map((r) => r.payload), deps.config.digestThreshold);
  let delivered = 0;
  let failed = 0;
  let skipped = 0;
  let stopped = false;
  for (const message of messages) {
    if (stopped) {
      skipped += message.alertIds.length;
      continue;
    }
    try {
      await deps.notifier.send(message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      failed += message.alertIds.length;
      // A bad token or channel will fail every message: say so once, loudly, and stop trying.
      stopped = err instanceof ConfigError;
      const retryable = err instanceof AppError && err.retryable;
      deps.logger.log(retryable ? 'WARNING' : 'ERROR', stopped ? `alert delivery stopped: ${error}` : `alert delivery failed: ${error}`, { notifier: deps.notifier.name, kind: message.kind, alert_ids: message.alertIds, retryable });
      await markDelivery(deps.warehouse, message.alertIds, { delivered: false, error });
      continue;
    }
    delivered += message.alertIds.length;
    await markDelivery(deps.warehouse, message.alertIds, { delivered: true, at: deps.now() });
  }
  return { messages: messages.length, delivered, failed, skipped };
}

async function readMutes(deps: AlertDeps): Promise<MuteList> {
  try {
    return await deps.loadMuteList();
  } catch (err) {
    // A typo in a user-edited file must not silence every alert nor stop the scoring: say so, mute nothing.
    deps.logger.log('ERROR', `mute list ignored: ${(err as Error).message}`);
    return EMPTY_MUTE_LIST;
  }
}
