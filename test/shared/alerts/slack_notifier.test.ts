import { ConfigError, UpstreamError } from '../../../shared/errors';
import type { RetryDeps } from '../../../shared/retry';
import { slackNotifier } from '../../../shared/alerts/slack_notifier';
import { buildAlertMessage, buildDataErrorMessage, buildDigestMessage, type AlertRecord } from '../../../shared/alerts/slack_blocks';
import { blocksOf, SLACK_OK, startFakeSlack, type FakeSlack } from '../../helpers/fake_slack';
import { candidate, H } from './alert_fixtures';

const record = (overrides: Partial<AlertRecord> = {}): AlertRecord => ({ ...candidate(), alert_id: 'a1', episode_start: H, ...overrides });

let slack: FakeSlack;
let sleeps: number[];
let retryDeps: RetryDeps;
beforeEach(async () => {
  slack = await startFakeSlack();
  sleeps = [];
  retryDeps = { sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, random: () => 0 };
});
afterEach(async () => {
  await slack.close();
});

const notifier = (): ReturnType<typeof slackNotifier> => slackNotifier({ token: 'fake-slack-bot-token', channel: '#dex-alerts', dataErrorChannel: '#dex-data', slackApiUrl: slack.url, retryDeps });

test('an alert is one chat.postMessage with the exact blocks, the plain-text fallback and the bot token', async () => {
  const message = buildAlertMessage(record());
  await notifier().send(message);
  expect(slack.requests).toHaveLength(1);
  const [request] = slack.requests;
  expect(request?.method).toBe('chat.postMessage');
  expect(request?.headers.authorization).toBe('Bearer fake-slack-bot-token');
  expect({ ...request?.form, blocks: blocksOf(request!) }).toEqual({
    channel: '#dex-alerts',
    text: '[CRITICAL] Liquidity drain: WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: TVL fell 94 % in 2 h; volume 38x its usual hour. Score 0.812, top 0.1 %.',
    blocks: message.blocks,
    unfurl_links: 'false',
    unfurl_media: 'false',
  });
});

test('a data error goes to its own channel with its own words', async () => {
  const message = buildDataErrorMessage(record({ alert_type: 'data_error', facts: { price_deviation: 0.97 } }));
  await notifier().send(message);
  const [request] = slack.requests;
  expect(request?.form.channel).toBe('#dex-data');
  expect(request?.form.text).toBe('Data error (not a market anomaly): WETH/USDC on Uniswap (ethereum), 2026-11-24 05:00 UTC: price 97 % off the market reference.');
  expect(blocksOf(request!)).toEqual(message.blocks);
});

test('a digest is one request carrying the digest blocks', async () => {
  const message = buildDigestMessage([record({ alert_id: 'x' }), record({ alert_id: 'y', pool_id: '0xbeef', pair: 'PEPE/WETH', severity: 'warning', score: 0.7 })]);
  await notifier().send(message);
  expect(slack.requests.map((r) => [r.form.channel, r.form.text])).toEqual([['#dex-alerts', '2 pools alerted at 2026-11-24 05:00 UTC: 1 critical, 1 warning. Most urgent: WETH/USDC liquidity drain (0.812), PEPE/WETH liquidity drain (0.7).']]);
  expect(blocksOf(slack.requests[0]!)).toEqual(message.blocks);
});

test('HTTP 429 is retried after its retry-after, through the injected sleep', async () => {
  slack.reply = (_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } } : SLACK_OK);
  await notifier().send(buildAlertMessage(record()));
  expect(slack.requests).toHaveLength(2);
  expect(sleeps).toEqual([7000]);
  expect(slack.requests[1]?.form).toEqual(slack.requests[0]?.form);
});

test('a retry-after longer than a run should wait is not waited for: retryable failure for the next run', async () => {
  slack.reply = () => ({ status: 429, headers: { 'retry-after': '600' } });
  const err = await notifier().send(buildAlertMessage(record())).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect((err as UpstreamError).retryable).toBe(true);
  expect((err as Error).message).toBe('Slack rate-limited chat.postMessage (retry after 600 s)');
  expect(sleeps).toEqual([]);
  expect(slack.requests).toHaveLength(1);
});

test('a 503 is retried with backoff, then given up after the policy\'s tries', async () => {
  slack.reply = () => ({ status: 503, body: 'unavailable' });
  const err = await notifier().send(buildAlertMessage(record())).catch((e: unknown) => e);
  expect((err as Error).message).toBe('Slack answered HTTP 503');
  expect((err as UpstreamError).retryable).toBe(true);
  expect(slack.requests).toHaveLength(3);
  expect(sleeps).toEqual([0, 0]);
});

test('invalid_auth is a configuration error, not retried, naming the secret to fix', async () => {
  slack.reply = () => ({ body: { ok: false, error: 'invalid_auth' } });
  const err = await notifier().send(buildAlertMessage(record())).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe('Slack refused the bot token (invalid_auth): fix secret slack-bot-token (SECRET_SLACK_BOT_TOKEN locally)');
  expect(slack.requests).toHaveLength(1);
  expect(sleeps).toEqual([]);
});

test('a permanent Slack error (channel_not_found) is not retried', async () => {
  slack.reply = () => ({ body: { ok: false, error: 'channel_not_found' } });
  const err = await notifier().send(buildAlertMessage(record())).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect((err as UpstreamError).retryable).toBe(false);
  expect((err as Error).message).toBe('Slack refused chat.postMessage: channel_not_found');
  expect(slack.requests).toHaveLength(1);
});
