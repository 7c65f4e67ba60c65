import { deliverPending, recordAndDeliverAlerts, type AlertDeps, type AlertPolicyConfig } from '../../../shared/alerts/deliver_alerts';
import type { AlertCandidate } from '../../../shared/alerts/alert_candidate';
import { EMPTY_MUTE_LIST, type MuteList } from '../../../shared/alerts/mute_list';
import { slackNotifier } from '../../../shared/alerts/slack_notifier';
import { buildAlertMessage, buildDigestMessage } from '../../../shared/alerts/slack_blocks';
import { InvalidInputError } from '../../../shared/errors';
import { memoryLogger } from '../../../shared/logging';
import { POOL_SCORES } from '../../../shared/scoring/tables';
import { writeHourScores, type PoolScore } from '../../../shared/scoring/write_hour_scores';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { blocksOf, SLACK_OK, startFakeSlack, type FakeSlack } from '../../helpers/fake_slack';
import { candidate, H, POOL } from './alert_fixtures';

const HOUR = 3600;
const CONFIG: AlertPolicyConfig = { cooldownHours: 6, digestThreshold: 3, dataErrors: 'post', maxAttempts: 5 };

let wh: DuckDbWarehouse;
let slack: FakeSlack;
let logger: ReturnType<typeof memoryLogger>;
let clock: Date;
let mutes: MuteList;

beforeEach(async () => {
  wh = await DuckDbWarehouse.open();
  slack = await startFakeSlack();
  logger = memoryLogger();
  clock = new Date((H + HOUR + 300) * 1000);
  mutes = EMPTY_MUTE_LIST;
});
afterEach(async () => {
  await slack.close();
  await wh.close();
});

function deps(config: Partial<AlertPolicyConfig> = {}): AlertDeps {
  const notifier = slackNotifier({ token: 'fake-slack-bot-token', channel: '#dex-alerts', dataErrorChannel: '#dex-data', slackApiUrl: slack.url, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 } });
  return { warehouse: wh, notifier, loadMuteList: () => Promise.resolve(mutes), config: { ...CONFIG, ...config }, now: () => clock, logger };
}

const at = (hour: number, overrides: Partial<AlertCandidate> = {}): AlertCandidate => candidate({ hour_ts: hour, ...overrides });
const alertRows = (): Promise<Record<string, unknown>[]> =>
  wh.query('SELECT alert_id, pool_id, alert_type, episode_start, hour_ts, score, delivery_status, attempts, last_error, delivered_at FROM `dex_anomaly.alerts` ORDER BY episode_start, pool_id, alert_type');

test('an alert is recorded, delivered once, and a rerun of the hour never posts again', async () => {
  const first = await recordAndDeliverAlerts(deps(), H, [at(H)]);
  expect(first).toEqual({ candidates: 1, newAlerts: 1, continued: 0, alreadyAlerted: 0, muted: 0, held: 0, messages: 1, delivered: 1, failed: 0, skipped: 0 });
  const rerun = await recordAndDeliverAlerts(deps(), H, [at(H, { score: 0.95 })]);
  expect(rerun).toEqual({ candidates: 1, newAlerts: 0, continued: 0, alreadyAlerted: 1, muted: 0, held: 0, messages: 0, delivered: 0, failed: 0, skipped: 0 });
  expect(slack.requests).toHaveLength(1);
  const [row] = await alertRows();
  expect(row).toEqual({ alert_id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown, pool_id: POOL, alert_type: 'liquidity_drain', episode_start: '2026-11-24T05:00:00.000Z', hour_ts: '2026-11-24T05:00:00.000Z', score: 0.8123, delivery_status: 'delivered', attempts: 1, last_error: null, delivered_at: '2026-11-24T06:05:00.000Z' });
  expect(blocksOf(slack.requests[0]!)).toEqual(buildAlertMessage({ ...at(H), alert_id: String(row?.alert_id), episode_start: H }).blocks);
});

test('cooldown: the next hours extend the episode silently; after a longer quiet spell, a new alert', async () => {
  await recordAndDeliverAlerts(deps(), H, [at(H)]);
  const next = await recordAndDeliverAlerts(deps(), H + HOUR, [at(H + HOUR, { score: 0.9 })]);
  expect([next.continued, next.messages]).toEqual([1, 0]);
  // Quiet from H+1 to H+7: exactly the 6 h cooldown, still the same episode.
  expect((await recordAndDeliverAlerts(deps(), H + 7 * HOUR, [at(H + 7 * HOUR)])).continued).toBe(1);
  // Quiet from H+7 to H+14: 7 h, longer than the cooldown: a new episode, a new message.
  const later = await recordAndDeliverAlerts(deps(), H + 14 * HOUR, [at(H + 14 * HOUR)]);
  expect([later.newAlerts, later.messages]).toEqual([1, 1]);
  expect(slack.requests).toHaveLength(2);
  expect((await alertRows()).map((r) => [r.episode_start, r.hour_ts, r.score, r.delivery_status])).toEqual([
    ['2026-11-24T05:00:00.000Z', '2026-11-24T12:00:00.000Z', 0.9, 'delivered'],
    ['2026-11-24T19:00:00.000Z', '2026-11-24T19:00:00.000Z', 0.8123, 'delivered'],
  ]);
});

test('deduplication is per alert type: the same pool with another type alerts on its own', async () => {
  await recordAndDeliverAlerts(deps(), H, [at(H)]);
  const summary = await recordAndDeliverAlerts(deps(), H + HOUR, [at(H + HOUR), at(H + HOUR, { alert_type: 'volume_spike', severity: 'warning' })]);
  expect([summary.continued, summary.newAlerts, summary.delivered]).toEqual([1, 1, 1]);
  expect(slack.requests.map((r) => r.form.text?.slice(0, 30))).toEqual(['[CRITICAL] Liquidity drain: WE', '[WARNING] Volume spike: WETH/U']);
});

test('many pools in one hour: one digest; data errors still on their own, in their own channel', async () => {
  const pools = ['0x01', '0x02', '0x03'].map((p, i) => at(H, { pool_id: p, pair: `T${i}/WETH`, score: 0.7 + i / 100 }));
  const dataError = at(H, { pool_id: '0x04', alert_type: 'data_error', severity: 'warning', facts: { price_deviation: 0.97 } });
  const summary = await recordAndDeliverAlerts(deps(), H, [...pools, dataError]);
  expect(summary).toEqual({ candidates: 4, newAlerts: 4, continued: 0, alreadyAlerted: 0, muted: 0, held: 0, messages: 2, delivered: 4, failed: 0, skipped: 0 });
  expect(slack.requests.map((r) => [r.form.channel, r.form.text])).toEqual([
    ['#dex-alerts', '3 pools alerted at 2026-11-24 05:00 UTC: 3 critical. Most urgent: T2/WETH liquidity drain (0.72), T1/WETH liquidity drain (0.71), T0/WETH liquidity drain (0.7).'],
    ['#dex-data', 'Data error (not a market anomaly): WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: price 97 % off the market reference.'],
  ]);
  const rows = await alertRows();
  const ids = new Map(rows.map((r) => [r.pool_id, String(r.alert_id)]));
  expect(blocksOf(slack.requests[0]!)).toEqual(buildDigestMessage(pools.map((p) => ({ ...p, alert_id: ids.get(p.pool_id)!, episode_start: H }))).blocks);
  expect(rows.map((r) => r.delivery_status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
});

test('data errors can be held back: recorded as held, never sent, never retried', async () => {
  const summary = await recordAndDeliverAlerts(deps({ dataErrors: 'hold' }), H, [at(H, { alert_type: 'data_error' })]);
  expect([summary.held, summary.messages]).toEqual([1, 0]);
  expect(await deliverPending(deps({ dataErrors: 'hold' }))).toEqual({ messages: 0, delivered: 0, failed: 0, skipped: 0, muted: 0 });
  expect(slack.requests).toHaveLength(0);
  expect((await alertRows()).map((r) => r.delivery_status)).toEqual(['held']);
});

test('a muted pool is recorded as muted and not sent; an expired mute does not silence', async () => {
  mutes = { mutes: [{ pool_id: POOL, alert_type: 'liquidity_drain', until: '2026-11-25T00:00:00Z', reason: 'known migration' }] };
  const summary = await recordAndDeliverAlerts(deps(), H, [at(H), at(H, { pool_id: '0x99' })]);
  expect([summary.muted, summary.delivered]).toEqual([1, 1]);
  expect(slack.requests).toHaveLength(1);
  expect((await alertRows()).map((r) => [r.pool_id, r.delivery_status])).toEqual([['0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640', 'muted'], ['0x99', 'delivered']]);
  clock = new Date('2026-11-25T12:00:00Z');
  expect((await recordAndDeliverAlerts(deps(), H + 20 * HOUR, [at(H + 20 * HOUR)])).delivered).toBe(1);
});

test('an unreadable mute list is reported and mutes nothing', async () => {
  const summary = await recordAndDeliverAlerts({ ...deps(), loadMuteList: () => Promise.reject(new InvalidInputError("invalid mute list at 'mutes.0.until': Invalid ISO datetime")) }, H, [at(H)]);
  expect(summary.delivered).toBe(1);
  expect(logger.lines.filter((l) => l.severity === 'ERROR').map((l) => l.message)).toEqual(["mute list ignored: invalid mute list at 'mutes.0.until': Invalid ISO datetime"]);
});

test('Slack down for one run: alerts recorded as failed, the run does not throw, the next run delivers them', async () => {
  slack.reply = () => ({ status: 503, body: 'down' });
  const down = await recordAndDeliverAlerts(deps(), H, [at(H), at(H, { pool_id: '0x99', pair: 'PEPE/WETH' })]);
  expect([down.newAlerts, down.delivered, down.failed]).toEqual([2, 0, 2]);
  expect((await alertRows()).map((r) => [r.delivery_status, r.attempts, r.last_error])).toEqual([
    ['failed', 1, 'Slack answered HTTP 503'],
    ['failed', 1, 'Slack answered HTTP 503'],
  ]);
  // Each message tried three times (the policy's attempts) within the run.
  const failedBodies = slack.requests.map((r) => JSON.stringify(r.form));
  expect(failedBodies).toHaveLength(6);
  slack.requests.length = 0;
  slack.reply = () => SLACK_OK;
  clock = new Date((H + 2 * HOUR + 300) * 1000);
  expect(await deliverPending(deps())).toEqual({ messages: 2, delivered: 2, failed: 0, skipped: 0, muted: 0 });
  // The same messages, word for word, as the run that failed.
  expect(slack.requests.map((r) => JSON.stringify(r.form)).sort()).toEqual([...new Set(failedBodies)].sort());
  expect(slack.requests).toHaveLength(2);
  expect((await alertRows()).map((r) => [r.delivery_status, r.attempts, r.last_error, r.delivered_at])).toEqual([
    ['delivered', 2, null, '2026-11-24T07:05:00.000Z'],
    ['delivered', 2, null, '2026-11-24T07:05:00.000Z'],
  ]);
  // Nothing is owed any more: a further run sends nothing.
  expect(await deliverPending(deps())).toEqual({ messages: 0, delivered: 0, failed: 0, skipped: 0, muted: 0 });
});

test('an owed alert whose pool was muted meanwhile is marked muted, not sent', async () => {
  slack.reply = () => ({ status: 503 });
  await recordAndDeliverAlerts(deps(), H, [at(H), at(H, { pool_id: '0x99', pair: 'PEPE/WETH' })]);
  slack.reply = () => SLACK_OK;
  slack.requests.length = 0;
  mutes = { mutes: [{ pool_id: '0x99' }] };
  expect(await deliverPending(deps())).toEqual({ messages: 1, delivered: 1, failed: 0, skipped: 0, muted: 1 });
  expect(slack.requests.map((r) => r.form.text?.slice(0, 40))).toEqual(['[CRITICAL] Liquidity drain: WETH/USDC on']);
  expect((await alertRows()).map((r) => [r.pool_id, r.delivery_status, r.attempts])).toEqual([
    ['0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640', 'delivered', 2],
    ['0x99', 'muted', 1],
  ]);
});

test('no candidates: nothing read, nothing sent', async () => {
  expect((await recordAndDeliverAlerts(deps(), H, [])).messages).toBe(0);
  expect(slack.requests).toHaveLength(0);
});

test('alerts that failed maxAttempts times are no longer retried', async () => {
  slack.reply = () => ({ body: { ok: false, error: 'channel_not_found' } });
  await recordAndDeliverAlerts(deps({ maxAttempts: 2 }), H, [at(H)]);
  expect((await deliverPending(deps({ maxAttempts: 2 }))).failed).toBe(1);
  expect(await deliverPending(deps({ maxAttempts: 2 }))).toEqual({ messages: 0, delivered: 0, failed: 0, skipped: 0, muted: 0 });
  expect(slack.requests).toHaveLength(2);
});

test('invalid_auth: one clear ERROR, no further messages tried, scores still written, nothing thrown', async () => {
  slack.reply = () => ({ body: { ok: false, error: 'invalid_auth' } });
  await wh.ensureTable(POOL_SCORES);
  const scores: PoolScore[] = [POOL, '0x99'].map((pool) => ({ source: 'uniswap-v3-ethereum', dex: 'uniswap', chain: 'ethereum', pool_id: pool, pair: 'WETH/USDC', hour_ts: H, score: 0.81, threshold: 0.62, is_anomaly: true, alert_type: 'liquidity_drain', severity: 'critical', model_version: 'iforest-2026-11-20', top_features: [] }));
  // The order the score function runs them in: scores first, then alerts.
  await writeHourScores(wh, H, scores, clock);
  const summary = await recordAndDeliverAlerts(deps(), H, [at(H), at(H, { pool_id: '0x99' })]);
  expect(summary).toEqual({ candidates: 2, newAlerts: 2, continued: 0, alreadyAlerted: 0, muted: 0, held: 0, messages: 2, delivered: 0, failed: 1, skipped: 1 });
  expect(slack.requests).toHaveLength(1);
  expect(logger.lines.filter((l) => l.severity === 'ERROR').map((l) => l.message)).toEqual(['alert delivery stopped: Slack refused the bot token (invalid_auth): fix secret slack-bot-token (SECRET_SLACK_BOT_TOKEN locally)']);
  expect(JSON.stringify(logger.lines)).not.toContain('fake-slack-bot-token');
  expect(await wh.query('SELECT COUNT(*) AS n FROM `dex_anomaly.pool_scores`')).toEqual([{ n: 2 }]);
  expect((await alertRows()).map((r) => [r.pool_id, r.delivery_status, r.attempts])).toEqual([
    [POOL, 'failed', 1],
    ['0x99', 'pending', 0],
  ]);
});

test('a candidate of another hour is refused before anything is recorded', async () => {
  await expect(recordAndDeliverAlerts(deps(), H, [at(H + HOUR)])).rejects.toThrow('invalid alert candidate for pool 0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640: hour_ts 2026-11-24T06:00:00Z is not the hour being alerted (2026-11-24T05:00:00Z)');
  expect(slack.requests).toHaveLength(0);
});
