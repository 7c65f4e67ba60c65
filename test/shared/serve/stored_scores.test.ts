import { warehouseStoredScores } from '../../../shared/serve/stored_scores';
import { ALERTS, POOL_SCORES } from '../../../shared/scoring/tables';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

let wh: DuckDbWarehouse;
const H7 = Date.UTC(2026, 10, 24, 7) / 1000;

beforeAll(async () => {
  wh = await DuckDbWarehouse.open();
  // The tables exactly as shared/scoring defines them, so a renamed column fails here.
  await wh.ensureTable(POOL_SCORES);
  await wh.ensureTable(ALERTS);
  await wh.query(`INSERT INTO dex_anomaly.pool_scores (source, dex, chain, pool_id, pair, hour_ts, score, threshold, is_anomaly, alert_type, model_version, top_features, scored_at) VALUES
    ('uni', 'uniswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 06:00:00', 0.41, 0.6, false, NULL, 'v1', '[{"feature":"turnover","contribution":0.1}]', TIMESTAMP '2026-11-24 07:05:00'),
    ('uni', 'uniswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 07:00:00', 0.72, 0.6, true, 'volume_spike', 'v1', '[{"feature":"log_volume_usd","contribution":0.3}]', TIMESTAMP '2026-11-24 08:05:00'),
    ('uni', 'uniswap', 'ethereum', '0xbb', 'A/B', TIMESTAMP '2026-11-24 08:00:00', 0.5, 0.6, false, NULL, 'v1', NULL, TIMESTAMP '2026-11-24 09:05:00'),
    ('sushi', 'sushiswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 09:00:00', 0.9, 0.6, true, 'drain', 'v1', NULL, TIMESTAMP '2026-11-24 10:05:00')`);
  const alert = (pool: string, hour: string, type: string, severity: string, status: string): string =>
    `('${pool}-${type}-${hour}', 'uni', 'uniswap', 'ethereum', '${pool}', '${type}', '${severity}', TIMESTAMP '${hour}', TIMESTAMP '${hour}', 0.9, '{}', '${status}', 1, TIMESTAMP '${hour}')`;
  await wh.query(`INSERT INTO dex_anomaly.alerts (alert_id, source, dex, chain, pool_id, alert_type, severity, episode_start, hour_ts, score, payload, delivery_status, attempts, created_at) VALUES
    ${alert('0xaa', '2026-11-24 07:00:00', 'volume_spike', 'high', 'open')},
    ${alert('0xaa', '2026-11-23 03:00:00', 'drain', 'medium', 'resolved')},
    ${alert('0xbb', '2026-11-24 08:00:00', 'drain', 'low', 'open')}`);
});
afterAll(async () => {
  await wh.close();
});

const hour7 = {
  source: 'uni', dex: 'uniswap', chain: 'ethereum', pool_id: '0xaa', pair: 'WETH/USDC', hour: '2026-11-24T07:00:00.000Z', score: 0.72, threshold: 0.6, is_anomaly: true,
  alert_type: 'volume_spike', model_version: 'v1', top_features: [{ feature: 'log_volume_usd', contribution: 0.3 }], scored_at: '2026-11-24T08:05:00.000Z',
};

test('scoreAt reads one pool-hour of one source', async () => {
  const scores = warehouseStoredScores(wh);
  expect(await scores.scoreAt('uni', '0xaa', H7)).toEqual(hour7);
  expect((await scores.scoreAt('uni', '0xaa', H7 - 3600))?.score).toBe(0.41);
  expect(await scores.scoreAt('uni', '0xaa', H7 + 3600)).toBeNull();
  expect(await scores.scoreAt('uni', '0xcc', H7)).toBeNull();
});

test("latest is the pool's newest hour in that source, with its alerts newest first", async () => {
  const scores = warehouseStoredScores(wh);
  expect(await scores.latest('uni', '0xaa')).toEqual({
    score: hour7,
    alerts: [
      { source: 'uni', pool_id: '0xaa', hour: '2026-11-24T07:00:00.000Z', alert_type: 'volume_spike', severity: 'high', status: 'open' },
      { source: 'uni', pool_id: '0xaa', hour: '2026-11-23T03:00:00.000Z', alert_type: 'drain', severity: 'medium', status: 'resolved' },
    ],
  });
  const bb = await scores.latest('uni', '0xbb');
  expect([bb.score?.top_features, bb.score?.scored_at, bb.alerts.length]).toEqual([null, '2026-11-24T09:05:00.000Z', 1]);
  expect(await scores.latest('uni', '0xcc')).toEqual({ score: null, alerts: [] });
});
