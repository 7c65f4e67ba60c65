import * as z from 'zod';
import { UpstreamError } from '../errors';
import { ALERTS } from '../scoring/tables';
import { parseOrThrow } from '../validation';
import type { Row, Warehouse } from '../warehouse/warehouse';
import { alertCandidateSchema } from './alert_candidate';
import { idParams, markDeliveredSql, markFailedSql, markMutedSql, SELECT_EPISODES_NEAR_SQL, SELECT_UNDELIVERED_SQL } from './alert_sql';
import type { AlertRecord } from './slack_blocks';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'held', 'muted'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const isoToSeconds = z.string().transform((s) => Math.floor(Date.parse(s) / 1000));
const jsonValue = z.union([z.string().transform((s) => JSON.parse(s) as unknown), z.record(z.string(), z.unknown())]);

/** A row of the alerts table as read back (timestamps as unix seconds, payload parsed). */
const alertRowSchema = z.object({
  alert_id: z.string(),
  source: z.string(),
  dex: z.string(),
  chain: z.string(),
  pool_id: z.string(),
  pair: z.string().nullable(),
  alert_type: z.string(),
  severity: z.string(),
  episode_start: isoToSeconds,
  hour_ts: isoToSeconds,
  score: z.number(),
  summary: z.string().nullable(),
  payload: jsonValue.pipe(alertCandidateSchema.extend({ alert_id: z.string(), episode_start: z.number().int() })),
  delivery_status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});
export type AlertRow = z.output<typeof alertRowSchema>;

/** A new alert's row: the message's fallback text as summary, the record as payload, not yet tried. */
export function newAlertRow(record: AlertRecord, summary: string, status: DeliveryStatus, createdAt: Date): AlertRow {
  return {
    alert_id: record.alert_id,
    source: record.source,
    dex: record.dex,
    chain: record.chain,
    pool_id: record.pool_id,
    pair: record.pair,
    alert_type: record.alert_type,
    severity: record.severity,
    episode_start: record.episode_start,
    hour_ts: record.hour_ts,
    score: record.score,
    summary,
    payload: record,
    delivery_status: status,
    attempts: 0,
    last_error: null,
    created_at: createdAt.toISOString(),
    delivered_at: null,
  };
}

function parseRows(rows: readonly Row[]): AlertRow[] {
  return parseOrThrow(z.array(alertRowSchema), rows, `unreadable row in ${ALERTS.dataset}.${ALERTS.name}`, (m) => new UpstreamError(m, false));
}

/** Alert episodes touching [from, to] (unix seconds). */
export async function readEpisodesNear(warehouse: Warehouse, from: number, to: number): Promise<AlertRow[]> {
  return parseRows(await warehouse.query(SELECT_EPISODES_NEAR_SQL, { window_start: new Date(from * 1000), window_end: new Date(to * 1000) }));
}

/** Alerts owed a delivery with fewer than `maxAttempts` tries, oldest hour first. */
export async function readUndelivered(warehouse: Warehouse, maxAttempts: number): Promise<AlertRow[]> {
  return parseRows(await warehouse.query(SELECT_UNDELIVERED_SQL, { max_attempts: maxAttempts }));
}

/** Writes one alert's row whole (atomic per alert id: a rerun rewrites, never duplicates). */
export async function writeAlertRow(warehouse: Warehouse, row: AlertRow): Promise<void> {
  await warehouse.replaceRows(ALERTS, { alert_id: row.alert_id }, [
    {
      ...row,
      episode_start: new Date(row.episode_start * 1000),
      hour_ts: new Date(row.hour_ts * 1000),
      payload: JSON.stringify(row.payload),
      created_at: new Date(row.created_at),
      delivered_at: row.delivered_at === null ? null : new Date(row.delivered_at),
    },
  ]);
}

/** Records one message's outcome on every alert it carried. */
export async function markDelivery(warehouse: Warehouse, alertIds: readonly string[], outcome: { delivered: true; at: Date } | { delivered: false; error: string }): Promise<void> {
  if (outcome.delivered) await warehouse.query(markDeliveredSql(alertIds.length), { ...idParams(alertIds), delivered_at: outcome.at });
  else await warehouse.query(markFailedSql(alertIds.length), { ...idParams(alertIds), last_error: outcome.error });
}

/** Marks owed alerts muted, so they are never sent. */
export async function markMuted(warehouse: Warehouse, alertIds: readonly string[]): Promise<void> {
  if (alertIds.length > 0) await warehouse.query(markMutedSql(alertIds.length), idParams(alertIds));
}
