import { ALERTS } from '../scoring/tables';

/**
 * The statements the alert use-cases send through the Warehouse port, written once in the
 * BigQuery subset (DuckDB runs them through duckdb_dialect.ts) and checked against golden files.
 */
const TABLE = `\`${ALERTS.dataset}.${ALERTS.name}\``;
const COLUMNS = ALERTS.columns.map((c) => `\`${c.name}\``).join(', ');

/** Alert episodes that touch the window [@window_start, @window_end]: the state deduplication reads. */
export const SELECT_EPISODES_NEAR_SQL = `SELECT ${COLUMNS} FROM ${TABLE} WHERE \`hour_ts\` >= @window_start AND \`episode_start\` <= @window_end ORDER BY \`episode_start\`, \`alert_id\``;

/** Alerts still owed a delivery (never tried, or failed), fewer than @max_attempts tries so far. */
export const SELECT_UNDELIVERED_SQL = `SELECT ${COLUMNS} FROM ${TABLE} WHERE \`delivery_status\` IN ('pending', 'failed') AND \`attempts\` < @max_attempts ORDER BY \`hour_ts\`, \`alert_id\``;

function idList(idCount: number): string {
  if (!Number.isInteger(idCount) || idCount < 1) throw new RangeError(`an alert update needs at least one id, got ${idCount}`);
  return Array.from({ length: idCount }, (_v, i) => `@id${i}`).join(', ');
}

/**
 * Marks the alerts one message carried (a digest carries many) delivered, in one statement:
 * parameters @delivered_at and @id0..@id<n-1>. No NULL parameters: BigQuery needs a type for those.
 */
export function markDeliveredSql(idCount: number): string {
  return `UPDATE ${TABLE} SET \`delivery_status\` = 'delivered', \`attempts\` = \`attempts\` + 1, \`last_error\` = NULL, \`delivered_at\` = @delivered_at WHERE \`alert_id\` IN (${idList(idCount)})`;
}

/** Marks the alerts one message carried failed, keeping the error: parameters @last_error and @id0..@id<n-1>. */
export function markFailedSql(idCount: number): string {
  return `UPDATE ${TABLE} SET \`delivery_status\` = 'failed', \`attempts\` = \`attempts\` + 1, \`last_error\` = @last_error WHERE \`alert_id\` IN (${idList(idCount)})`;
}

/** Marks owed alerts muted (the user muted the pool before they could be delivered): parameters @id0..@id<n-1>. */
export function markMutedSql(idCount: number): string {
  return `UPDATE ${TABLE} SET \`delivery_status\` = 'muted' WHERE \`alert_id\` IN (${idList(idCount)})`;
}

/** The @id0..@id<n-1> parameters of the mark*Sql statements. */
export function idParams(ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id, i) => [`id${i}`, id]));
}
