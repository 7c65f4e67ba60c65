import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../../../shared/errors';
import { ALERTS, POOL_SCORES } from '../../../shared/scoring/tables';
import { writeHourScores, type PoolScore } from '../../../shared/scoring/write_hour_scores';
import { replaceRowsSql, tableDefinition } from '../../../shared/warehouse/bigquery_sql';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'sql');
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const H = Date.UTC(2026, 10, 24, 5) / 1000;
const SCORED_AT = new Date('2026-11-24T06:05:00Z');

function score(pool: string, value: number, hour = H): PoolScore {
  return {
    source: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', pool_id: pool, pair: 'WETH/USDC', hour_ts: hour,
    score: value, threshold: 0.62, is_anomaly: value >= 0.62, alert_type: value >= 0.62 ? 'volume_spike' : null, severity: value >= 0.62 ? 'warning' : null,
    model_version: 'iforest-2026-11-20', top_features: [{ feature: 'volume_usd_log', value: 14.2, baseline: 10.5, contribution: 0.41 }],
  };
}

let wh: DuckDbWarehouse;
beforeEach(async () => {
  wh = await DuckDbWarehouse.open();
  await wh.ensureTable(POOL_SCORES);
});
afterEach(async () => {
  await wh.close();
});

const countsByHour = async (): Promise<Record<string, unknown>[]> => wh.query('SELECT hour_ts, COUNT(*) AS n, SUM(score) AS total FROM `dex_anomaly.pool_scores` GROUP BY hour_ts ORDER BY hour_ts');

test('rerunning an hour replaces its rows: never duplicates, other hours untouched', async () => {
  await writeHourScores(wh, H - 3600, [score('0xa', 0.3, H - 3600)], SCORED_AT);
  expect(await writeHourScores(wh, H, [score('0xa', 0.5), score('0xb', 0.7)], SCORED_AT)).toEqual({ rows: 2 });
  await writeHourScores(wh, H, [score('0xa', 0.55), score('0xb', 0.75)], SCORED_AT);
  expect(await countsByHour()).toEqual([
    { hour_ts: '2026-11-24T04:00:00.000Z', n: 1, total: 0.3 },
    { hour_ts: '2026-11-24T05:00:00.000Z', n: 2, total: 1.3 },
  ]);
  // A rerun with fewer pools leaves exactly the rerun's pools.
  await writeHourScores(wh, H, [score('0xb', 0.8)], SCORED_AT);
  expect(await wh.query('SELECT pool_id, score, is_anomaly, alert_type, top_features, scored_at FROM `dex_anomaly.pool_scores` WHERE hour_ts = @h', { h: new Date(H * 1000) })).toEqual([
    { pool_id: '0xb', score: 0.8, is_anomaly: true, alert_type: 'volume_spike', top_features: '[{"feature":"volume_usd_log","value":14.2,"baseline":10.5,"contribution":0.41}]', scored_at: '2026-11-24T06:05:00.000Z' },
  ]);
});

test('a row of another hour is refused before anything is written', async () => {
  const err = await writeHourScores(wh, H, [score('0xa', 0.5), score('0xb', 0.7, H + 3600)], SCORED_AT).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  expect((err as Error).message).toBe('invalid pool score for pool 0xb: hour_ts 2026-11-24T06:00:00Z is not the hour being written (2026-11-24T05:00:00Z)');
  expect(await countsByHour()).toEqual([]);
});

test('an invalid row names the field', async () => {
  const bad = { ...score('0xa', 0.5), score: Number.NaN };
  await expect(writeHourScores(wh, H, [bad], SCORED_AT)).rejects.toThrow("invalid pool score '0.score'");
});

test('BigQuery: pool_scores definition and the hour rewrite statement', () => {
  golden('bigquery_pool_scores_table.json', `${JSON.stringify(tableDefinition(POOL_SCORES), null, 2)}\n`);
  golden('bigquery_replace_pool_scores_hour.sql', `${replaceRowsSql(POOL_SCORES, ['hour_ts'])}\n`);
});

test('BigQuery: alerts definition and the per-alert rewrite statement', () => {
  golden('bigquery_alerts_table.json', `${JSON.stringify(tableDefinition(ALERTS), null, 2)}\n`);
  golden('bigquery_replace_alert.sql', `${replaceRowsSql(ALERTS, ['alert_id'])}\n`);
});
