import { warehouseStoredScores } from '../../../shared/serve/stored_scores';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

let wh: DuckDbWarehouse;
const H7 = Date.UTC(2026, 10, 24, 7) / 1000;

beforeAll(async () => {
  wh = await DuckDbWarehouse.open();
  // The tables as shared/scoring defines them (only the columns serve reads, plus one more).
  await wh.query('CREATE SCHEMA dex_anomaly');
  await wh.query(`CREATE TABLE dex_anomaly.pool_scores (source VARCHAR, dex VARCHAR, chain VARCHAR, pool_id VARCHAR, pair VARCHAR, hour_ts TIMESTAMP, score DOUBLE,
    threshold DOUBLE, is_anomaly BOOLEAN, alert_type VARCHAR, model_version VARCHAR, top_features JSON, scored_at TIMESTAMP, extra VARCHAR)`);
  await wh.query(`CREATE TABLE dex_anomaly.alerts (source VARCHAR, pool_id VARCHAR, hour_ts TIMESTAMP, alert_type VARCHAR, severity VARCHAR, status VARCHAR, message VARCHAR)`);
  await wh.query(`INSERT INTO dex_anomaly.pool_scores VALUES
    ('uni', 'uniswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 06:00:00', 0.41, 0.6, false, NULL, 'v1', '[{"feature":"turnover","contribution":0.1}]', TIMESTAMP '2026-11-24 07:05:00', 'x'),
    ('uni', 'uniswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 07:00:00', 0.72, 0.6, true, 'volume_spike', 'v1', '[{"feature":"log_volume_usd","contribution":0.3}]', TIMESTAMP '2026-11-24 08:05:00', 'x'),
    ('uni', 'uniswap', 'ethereum', '0xbb', 'A/B', TIMESTAMP '2026-11-24 08:00:00', 0.5, 0.6, false, NULL, 'v1', NULL, NULL, 'x'),
    ('sushi', 'sushiswap', 'ethereum', '0xaa', 'WETH/USDC', TIMESTAMP '2026-11-24 09:00:00', 0.9, 0.6, true, 'drain', 'v1', NULL, NULL, 'x')`);
  await wh.query(`INSERT INTO dex_anomaly.alerts VALUES
    ('uni', '0xaa', TIMESTAMP '2026-11-24 07:00:00', 'volume_spike', 'high', 'open', 'm'),
    ('uni', '0xaa', TIMESTAMP '2026-11-23 03:00:00', 'drain', 'medium', 'resolved', 'm'),
    ('uni', '0xbb', TIMESTAMP '2026-11-24 08:00:00', 'drain', 'low', 'open', 'm')`);
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
  expect([bb.score?.top_features, bb.score?.scored_at, bb.alerts.length]).toEqual([null, null, 1]);
  expect(await scores.latest('uni', '0xcc')).toEqual({ score: null, alerts: [] });
});
