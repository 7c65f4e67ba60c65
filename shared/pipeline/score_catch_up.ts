import { HOUR_SECONDS } from '../hours';
import { POOL_SCORES } from '../scoring/tables';
import { ensureTableOnce } from '../warehouse/ensure_table_once';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * The hours a default (scheduled) score run scores: the last complete hour and every hour after
 * the newest one already scored, at most `catchUpHours` back. An hour missed because Dataform ran
 * late beyond the scheduler's retries is then scored by the next hourly run, oldest first. With
 * nothing scored in that window (a new deployment, or a longer outage: a backfill's job), only the
 * last complete hour.
 */
export function catchUpHours(newestScored: number | null, lastHour: number, catchUpHours: number): number[] {
  const earliest = lastHour - catchUpHours * HOUR_SECONDS;
  if (newestScored === null || newestScored < earliest || newestScored >= lastHour) return [lastHour];
  const hours: number[] = [];
  for (let h = newestScored + HOUR_SECONDS; h <= lastHour; h += HOUR_SECONDS) hours.push(h);
  return hours;
}

/** Reads only the window's partitions (the filter is on constants), so its cost does not grow with history. */
export const NEWEST_SCORED_SQL = `SELECT UNIX_SECONDS(MAX(hour_ts)) AS newest FROM ${POOL_SCORES.dataset}.${POOL_SCORES.name} WHERE hour_ts >= TIMESTAMP_SECONDS(@since) AND hour_ts <= TIMESTAMP_SECONDS(@last)`;

/** catchUpHours with the newest scored hour read from pool_scores. */
export async function hoursToScore(warehouse: Warehouse, lastHour: number, maxCatchUp: number): Promise<number[]> {
  if (maxCatchUp === 0) return [lastHour];
  await ensureTableOnce(warehouse, POOL_SCORES);
  const rows = await warehouse.query(NEWEST_SCORED_SQL, { since: lastHour - maxCatchUp * HOUR_SECONDS, last: lastHour });
  const newest = rows[0]?.newest;
  return catchUpHours(newest === null || newest === undefined ? null : Number(newest), lastHour, maxCatchUp);
}
