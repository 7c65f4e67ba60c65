import { EMPTY_MUTE_LIST } from '../../../shared/alerts/mute_list';
import { slackNotifier } from '../../../shared/alerts/slack_notifier';
import type { AlertDeps } from '../../../shared/alerts/deliver_alerts';
import { memoryLogger } from '../../../shared/logging';
import { publishScoredHour } from '../../../shared/scoring/publish_hour';
import type { PoolScore } from '../../../shared/scoring/write_hour_scores';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { SLACK_OK, startFakeSlack, type FakeSlack } from '../../helpers/fake_slack';
import { candidate, H, POOL } from '../alerts/alert_fixtures';

let wh: DuckDbWarehouse;
let slack: FakeSlack;
beforeEach(async () => {
  wh = await DuckDbWarehouse.open();
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
  await wh.close();
});

const deps = (now: number): AlertDeps => ({
  warehouse: wh,
  notifier: slackNotifier({ token: 'fake-slack-bot-token', channel: '#dex', slackApiUrl: slack.url, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 } }),
  loadMuteList: () => Promise.resolve(EMPTY_MUTE_LIST),
  config: { cooldownHours: 6, digestThreshold: 5, dataErrors: 'post', maxAttempts: 24 },
  now: () => new Date(now * 1000),
  logger: memoryLogger(),
});

const score = (pool: string, hour: number, value: number): PoolScore => ({
  source: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', pool_id: pool, pair: 'WETH/USDC', hour_ts: hour, score: value, threshold: 0.62,
  is_anomaly: value >= 0.62, alert_type: value >= 0.62 ? 'liquidity_drain' : null, severity: value >= 0.62 ? 'critical' : null, model_version: 'iforest-2026-11-20', top_features: [],
});

test('Slack down at hour H: scores written, alert owed; hour H+1 delivers it first; rerunning H+1 changes nothing', async () => {
  slack.reply = () => ({ body: { ok: false, error: 'internal_error' } });
  const h = await publishScoredHour(deps(H + 3900), H, [score(POOL, H, 0.81), score('0x99', H, 0.2)], [candidate()]);
  expect([h.scores, h.alerts.newAlerts, h.alerts.failed]).toEqual([2, 1, 1]);

  slack.reply = () => SLACK_OK;
  slack.requests.length = 0;
  const next = await publishScoredHour(deps(H + 7500), H + 3600, [score(POOL, H + 3600, 0.3)], []);
  expect(next).toEqual({
    scores: 1,
    earlier: { messages: 1, delivered: 1, failed: 0, skipped: 0, muted: 0 },
    alerts: { candidates: 0, newAlerts: 0, continued: 0, alreadyAlerted: 0, muted: 0, held: 0, messages: 0, delivered: 0, failed: 0, skipped: 0 },
  });
  await publishScoredHour(deps(H + 7600), H + 3600, [score(POOL, H + 3600, 0.3)], []);
  expect(slack.requests).toHaveLength(1);
  expect(await wh.query('SELECT hour_ts, COUNT(*) AS n FROM `dex_anomaly.pool_scores` GROUP BY hour_ts ORDER BY hour_ts')).toEqual([
    { hour_ts: '2026-11-24T05:00:00.000Z', n: 2 },
    { hour_ts: '2026-11-24T06:00:00.000Z', n: 1 },
  ]);
});
