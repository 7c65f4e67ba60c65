import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { alertsConfig, alertsEnvShape, openNotifier } from '../../../shared/alerts/alerts_config';
import { buildAlertMessage } from '../../../shared/alerts/slack_blocks';
import { baseEnvShape, parseEnv, type Env } from '../../../shared/config/env';
import { ConfigError } from '../../../shared/errors';
import { memoryLogger } from '../../../shared/logging';
import { envSecrets, type Secrets } from '../../../shared/secrets/secrets';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake_slack';
import { candidate, H } from './alert_fixtures';

const schema = z.object({ ...baseEnvShape, ...alertsEnvShape });
let dir: string;
let slack: FakeSlack;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alerts-config-'));
  slack = await startFakeSlack();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await slack.close();
});

const message = buildAlertMessage({ ...candidate(), alert_id: 'a1', episode_start: H });
const configOf = (env: Env): ReturnType<typeof alertsConfig> => alertsConfig(parseEnv(schema, env), env.DATA_STORE_URL!);

test('defaults suit a local run: 24 h cooldown (one policy episode), digest from 5, data errors posted, file under the store', () => {
  expect(configOf({ DATA_STORE_URL: dir })).toEqual({
    policy: { cooldownHours: 24, digestThreshold: 5, dataErrors: 'post', maxAttempts: 24 },
    slackChannel: undefined,
    slackDataErrorChannel: undefined,
    webhookUrl: undefined,
    alertsFile: join(dir, 'alerts', 'alerts.jsonl'),
    muteListKey: 'config/mute_list.json',
  });
});

test('every bad variable is named at once', () => {
  expect(() => configOf({ DATA_STORE_URL: dir, ALERT_COOLDOWN_HOURS: 'six', ALERT_DATA_ERRORS: 'drop', ALERTS_WEBHOOK_URL: 'ftp://x' })).toThrow(
    "invalid configuration ALERTS_WEBHOOK_URL: must be an http(s) URL; invalid configuration ALERT_COOLDOWN_HOURS: must be a whole number from 0 to 720 (got 'six'); invalid configuration ALERT_DATA_ERRORS: must be 'post' or 'hold'",
  );
});

test('locally without a token or webhook, alerts go to the JSONL file', async () => {
  const env = { DATA_STORE_URL: dir };
  const notifier = await openNotifier(configOf(env), envSecrets(env), env, memoryLogger());
  expect(notifier.name).toBe('file');
  await notifier.send(message);
  await notifier.send(message);
  const lines = readFileSync(join(dir, 'alerts', 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => [l.kind, l.alert_ids, l.text])).toEqual([
    ['alert', ['a1'], message.text],
    ['alert', ['a1'], message.text],
  ]);
  expect(lines[0]?.blocks).toEqual(message.blocks);
});

test('locally with SECRET_SLACK_BOT_TOKEN, alerts go to Slack (and the token is handed to the redactor)', async () => {
  const env = { DATA_STORE_URL: dir, SECRET_SLACK_BOT_TOKEN: 'fake-slack-bot-token', SLACK_CHANNEL: '#dex-local' };
  const secrets: string[] = [];
  const notifier = await openNotifier(configOf(env), envSecrets(env), env, memoryLogger(), { slackApiUrl: slack.url, onSecret: (s) => secrets.push(s) });
  await notifier.send(message);
  expect([notifier.name, slack.requests[0]?.form.channel, slack.requests[0]?.headers.authorization, secrets]).toEqual(['slack', '#dex-local', 'Bearer fake-slack-bot-token', ['fake-slack-bot-token']]);
});

test('a token without a channel is a configuration error naming SLACK_CHANNEL', async () => {
  const env = { DATA_STORE_URL: dir, SECRET_SLACK_BOT_TOKEN: 'fake-slack-bot-token' };
  await expect(openNotifier(configOf(env), envSecrets(env), env, memoryLogger())).rejects.toThrow('invalid configuration SLACK_CHANNEL: required when the Slack bot token (secret slack-bot-token) is set');
});

test('in the cloud a missing token fails at start-up instead of falling back to a file', async () => {
  const env = { DATA_STORE_URL: dir, K_SERVICE: 'score', SLACK_CHANNEL: '#dex' };
  const missing: Secrets = { get: (name) => Promise.reject(new ConfigError(`cannot read secret projects/p/secrets/${name}/versions/latest (gRPC code 5)`)) };
  await expect(openNotifier(alertsConfig(parseEnv(schema, { DATA_STORE_URL: dir }), dir), missing, env, memoryLogger())).rejects.toThrow('cannot read secret projects/p/secrets/slack-bot-token/versions/latest (gRPC code 5)');
});

test('with ALERTS_WEBHOOK_URL and no token, messages are POSTed there', async () => {
  const env = { DATA_STORE_URL: dir, ALERTS_WEBHOOK_URL: 'http://127.0.0.1:9/hook' };
  const posted: { url: string; body: unknown }[] = [];
  const fakeFetch = ((url: string, init: RequestInit) => {
    posted.push({ url, body: JSON.parse(init.body as string) });
    return Promise.resolve(new Response('ok', { status: 200 }));
  }) as typeof fetch;
  const notifier = await openNotifier(configOf(env), envSecrets(env), env, memoryLogger(), { fetch: fakeFetch });
  await notifier.send(message);
  expect(posted).toEqual([{ url: 'http://127.0.0.1:9/hook', body: { text: message.text, blocks: message.blocks, kind: 'alert', alert_ids: ['a1'] } }]);
});
