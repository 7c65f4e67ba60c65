import type { z } from 'zod';
import type { Row, Warehouse } from '../warehouse/warehouse';
import type { storedAlertSchema, storedScoreSchema } from './score_schema';

export type StoredScore = z.output<typeof storedScoreSchema>;
export type StoredAlert = z.output<typeof storedAlertSchema>;

/** Scores and alerts the hourly scoring job wrote (tables defined in shared/scoring). */
export interface StoredScores {
  /** The score of one pool-hour; null when none was stored. */
  scoreAt(source: string, poolId: string, hourStartUnix: number): Promise<StoredScore | null>;
  /** The pool's latest stored score (null if none) and its most recent alerts, newest first. */
  latest(source: string, poolId: string): Promise<{ score: StoredScore | null; alerts: StoredAlert[] }>;
}

/** Alerts returned with a pool's latest score. */
export const RECENT_ALERTS = 20;

const SCORE_COLUMNS = 'source, dex, chain, pool_id, pair, hour_ts, score, threshold, is_anomaly, alert_type, model_version, top_features, scored_at';

/** The SQL (BigQuery subset, run on DuckDB locally) behind StoredScores. */
export const STORED_SCORES_SQL = {
  scoreAt: `SELECT ${SCORE_COLUMNS} FROM dex_anomaly.pool_scores WHERE source = @source AND pool_id = @pool_id AND hour_ts = TIMESTAMP_SECONDS(@hour_s) ORDER BY scored_at DESC LIMIT 1`,
  latest: `SELECT ${SCORE_COLUMNS} FROM dex_anomaly.pool_scores WHERE source = @source AND pool_id = @pool_id ORDER BY hour_ts DESC, scored_at DESC LIMIT 1`,
  alerts: `SELECT source, pool_id, hour_ts, alert_type, severity, delivery_status FROM dex_anomaly.alerts WHERE source = @source AND pool_id = @pool_id ORDER BY hour_ts DESC LIMIT ${RECENT_ALERTS}`,
} as const;

/** StoredScores over the warehouse's dex_anomaly.pool_scores and dex_anomaly.alerts. */
export function warehouseStoredScores(warehouse: Warehouse): StoredScores {
  return {
    async scoreAt(source, poolId, hourStartUnix) {
      const rows = await warehouse.query(STORED_SCORES_SQL.scoreAt, { source, pool_id: poolId, hour_s: hourStartUnix });
      return rows[0] ? toScore(rows[0]) : null;
    },
    async latest(source, poolId) {
      const [scores, alerts] = await Promise.all([warehouse.query(STORED_SCORES_SQL.latest, { source, pool_id: poolId }), warehouse.query(STORED_SCORES_SQL.alerts, { source, pool_id: poolId })]);
      return { score: scores[0] ? toScore(scores[0]) : null, alerts: alerts.map(toAlert) };
    },
  };
}

function toScore(row: Row): StoredScore {
  return {
    source: String(row.source),
    dex: text(row.dex),
    chain: text(row.chain),
    pool_id: String(row.pool_id),
    pair: text(row.pair),
    hour: iso(row.hour_ts),
    score: Number(row.score),
    threshold: Number(row.threshold),
    is_anomaly: row.is_anomaly === true,
    alert_type: text(row.alert_type),
    model_version: String(row.model_version),
    top_features: parsedJson(row.top_features),
    scored_at: row.scored_at === null || row.scored_at === undefined ? null : iso(row.scored_at),
  };
}

function toAlert(row: Row): StoredAlert {
  return { source: String(row.source), pool_id: String(row.pool_id), hour: iso(row.hour_ts), alert_type: text(row.alert_type), severity: text(row.severity), status: text(row.delivery_status) };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : value === null || value === undefined ? null : JSON.stringify(value);
}

/** BigQuery answers timestamps as objects with `value`, DuckDB as ISO text. */
function iso(value: unknown): string {
  const raw: unknown = value !== null && typeof value === 'object' && 'value' in value ? value.value : value;
  return (raw instanceof Date ? raw : new Date(typeof raw === 'number' || typeof raw === 'string' ? raw : NaN)).toISOString();
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
