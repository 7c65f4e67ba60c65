import { join } from 'node:path';
import * as z from 'zod';
import { isCloudRuntime, type Env } from '../config/env';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import type { RetryDeps } from '../retry';
import type { Secrets } from '../secrets/secrets';
import { parseStoreUrl } from '../storage/store_url';
import type { AlertPolicyConfig } from './deliver_alerts';
import { fileNotifier } from './file_notifier';
import { DEFAULT_MUTE_LIST_KEY } from './mute_list';
import type { Notifier } from './notifier';
import { slackNotifier } from './slack_notifier';
import { webhookNotifier } from './webhook_notifier';

/** The Secret Manager secret (locally SECRET_SLACK_BOT_TOKEN) holding the Slack bot token. */
export const SLACK_TOKEN_SECRET = 'slack-bot-token';

const wholeNumber = (min: number, max: number, fallback: number): z.ZodType<number, string | undefined> =>
  z.string().optional().transform((s, ctx) => {
    if (s === undefined || s === '') return fallback;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max} (got '${s}')` });
      return z.NEVER;
    }
    return n;
  });

/**
 * The alerting variables, to spread into the score function's env schema (parseEnv names each
 * variable in its errors). Defaults suit a local run.
 */
export const alertsEnvShape = {
  /** Slack channel for alerts (required in the cloud, and whenever a Slack token is set). */
  SLACK_CHANNEL: z.string().min(1).optional(),
  /** Channel for data errors (mispriced tokens), when they should not share the alerts channel. */
  SLACK_DATA_ERROR_CHANNEL: z.string().min(1).optional(),
  /** Local, without a Slack token: POST each message as JSON here. */
  ALERTS_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Local, without a token or webhook: append messages here (default <store folder>/alerts/alerts.jsonl). */
  ALERTS_FILE: z.string().min(1).optional(),
  ALERT_COOLDOWN_HOURS: wholeNumber(0, 24 * 30, 24),
  ALERT_DIGEST_THRESHOLD: wholeNumber(2, 1000, 5),
  ALERT_DATA_ERRORS: z.enum(['post', 'hold'], { error: "must be 'post' or 'hold'" }).default('post'),
  ALERT_MAX_ATTEMPTS: wholeNumber(1, 1000, 24),
  /** The mute list's key in the data store. */
  ALERTS_MUTE_LIST_KEY: z.string().min(1).default(DEFAULT_MUTE_LIST_KEY),
};

export type AlertsEnv = z.output<z.ZodObject<typeof alertsEnvShape>>;

export interface AlertsConfig {
  readonly policy: AlertPolicyConfig;
  readonly slackChannel: string | undefined;
  readonly slackDataErrorChannel: string | undefined;
  readonly webhookUrl: string | undefined;
  readonly alertsFile: string;
  readonly muteListKey: string;
}

/** The alerting configuration from an env already parsed with alertsEnvShape; `storeUrl` places the default JSONL file. */
export function alertsConfig(parsed: AlertsEnv, storeUrl: string): AlertsConfig {
  const store = parseStoreUrl(storeUrl);
  return {
    policy: { cooldownHours: parsed.ALERT_COOLDOWN_HOURS, digestThreshold: parsed.ALERT_DIGEST_THRESHOLD, dataErrors: parsed.ALERT_DATA_ERRORS, maxAttempts: parsed.ALERT_MAX_ATTEMPTS },
    slackChannel: parsed.SLACK_CHANNEL,
    slackDataErrorChannel: parsed.SLACK_DATA_ERROR_CHANNEL,
    webhookUrl: parsed.ALERTS_WEBHOOK_URL,
    alertsFile: parsed.ALERTS_FILE ?? (store.kind === 'folder' ? join(store.path, 'alerts', 'alerts.jsonl') : join('.', 'alerts.jsonl')),
    muteListKey: parsed.ALERTS_MUTE_LIST_KEY,
  };
}

export interface NotifierOverrides {
  readonly slackApiUrl?: string;
  readonly retryDeps?: RetryDeps;
  readonly fetch?: typeof fetch;
  /** Told the token, so the logger can redact it. */
  readonly onSecret?: (value: string) => void;
}

/**
 * Picks the notifier: Slack whenever a bot token is available (always in the cloud, where a
 * missing token or channel is a start-up ConfigError); otherwise the webhook if set, else the
 * JSONL file. Says which in one log line.
 */
export async function openNotifier(config: AlertsConfig, secrets: Secrets, env: Env, logger: Logger, overrides: NotifierOverrides = {}): Promise<Notifier> {
  const cloud = isCloudRuntime(env);
  let token: string | undefined;
  try {
    token = await secrets.get(SLACK_TOKEN_SECRET);
  } catch (err) {
    // Locally an unset token means "no Slack"; in the cloud it is a deployment mistake.
    if (cloud || !(err instanceof ConfigError)) throw err;
  }
  let notifier: Notifier;
  if (token !== undefined) {
    overrides.onSecret?.(token);
    if (!config.slackChannel) throw new ConfigError(`invalid configuration SLACK_CHANNEL: required when the Slack bot token (secret ${SLACK_TOKEN_SECRET}) is set`);
    notifier = slackNotifier({ token, channel: config.slackChannel, dataErrorChannel: config.slackDataErrorChannel, slackApiUrl: overrides.slackApiUrl, retryDeps: overrides.retryDeps, logger });
  } else if (config.webhookUrl) {
    notifier = webhookNotifier({ url: config.webhookUrl, fetch: overrides.fetch, retryDeps: overrides.retryDeps });
  } else {
    notifier = fileNotifier(config.alertsFile);
  }
  logger.log('INFO', `alerts go to ${notifier.name === 'slack' ? `Slack ${config.slackChannel ?? ''}` : notifier.name === 'webhook' ? 'the webhook' : config.alertsFile}`, { notifier: notifier.name });
  return notifier;
}
