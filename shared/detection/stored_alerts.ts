import type { AlertRecord } from './evaluate';

/** One alerting pool-hour as `pool_scores` stores it (alert_type set). */
export interface StoredDecision {
  readonly pool: string;
  /** Unix seconds of the scored hour. */
  readonly hour: number;
  readonly type: string;
}

/** One row of the `alerts` table: an episode, posted once at its first hour. */
export interface StoredEpisode {
  readonly pool: string;
  readonly type: string;
  /** Unix seconds of the episode's first hour (the table's `hour_ts` is its latest one). */
  readonly episodeStart: number;
}

/**
 * The alert records a scoring run stored, as the benchmark builds them from the policy's
 * decisions: every alerting pool-hour, posted when it opened an episode. Reading the alerts
 * table's `hour_ts` instead would date each alert at its episode's last hour.
 */
export function recordsFromStoredAlerts(decisions: readonly StoredDecision[], episodes: readonly StoredEpisode[]): AlertRecord[] {
  const opened = new Set(episodes.map((e) => `${e.pool}|${e.type}|${e.episodeStart}`));
  return [...decisions]
    .sort((a, b) => a.hour - b.hour || a.pool.localeCompare(b.pool) || a.type.localeCompare(b.type))
    .map((d) => ({ pool: d.pool, hour: d.hour, type: d.type, post: opened.has(`${d.pool}|${d.type}|${d.hour}`) }));
}
