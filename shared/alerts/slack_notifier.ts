import { ErrorCode, LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { ConfigError, UpstreamError, type AppError } from '../errors';
import type { Logger } from '../logging';
import { logOps, slackDeliveryLogLine } from '../ops/ops_log';
import { realRetryDeps, withRetries, type RetryDeps, type RetryPolicy } from '../retry';
import type { Notifier } from './notifier';
import type { AlertMessage } from './slack_blocks';

/** Slack's error codes that no retry cures: the token, the channel or the message is wrong. */
const PERMANENT_SLACK_ERRORS = new Set([
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'invalid_blocks', 'invalid_arguments', 'msg_too_long', 'too_many_attachments',
]);

/** Slack's auth failures, which the caller reports as a configuration problem. */
export const SLACK_AUTH_ERRORS: ReadonlySet<string> = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** Few, short retries within a run: what is still undelivered is retried by the next run. */
export const SLACK_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

export interface SlackNotifierOptions {
  readonly token: string;
  readonly channel: string;
  /** Data errors go here when set, otherwise to `channel`. */
  readonly dataErrorChannel?: string;
  /** Slack's Web API base URL; tests point it at a loopback server. */
  readonly slackApiUrl?: string;
  readonly retryPolicy?: RetryPolicy;
  readonly retryDeps?: RetryDeps;
  readonly timeoutMs?: number;
  /** Where each message's outcome (sent, retried, failed) is logged for the monitoring policy. */
  readonly logger?: Logger;
}

const quietLogger: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * A Slack failure as our error class: the Slack error code in the message, retryable only when a
 * retry can help. A rejected token is a ConfigError: nothing else will get through until it is fixed.
 */
export function slackFailure(err: unknown): AppError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new UpstreamError(`Slack rate-limited chat.postMessage (retry after ${String(e.retryAfter)} s)`, true, { cause: err, retryAfterMs: (e.retryAfter ?? 1) * 1000 });
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (SLACK_AUTH_ERRORS.has(code)) return new ConfigError(`Slack refused the bot token (${code}): fix secret slack-bot-token (SECRET_SLACK_BOT_TOKEN locally)`, { cause: err });
      return new UpstreamError(`Slack refused chat.postMessage: ${code}`, !PERMANENT_SLACK_ERRORS.has(code), { cause: err });
    }
    case ErrorCode.HTTPError:
      return new UpstreamError(`Slack answered HTTP ${String(e.statusCode)}`, (e.statusCode ?? 500) >= 500, { cause: err });
    case ErrorCode.RequestError:
      return new UpstreamError(`Slack could not be reached: ${(err as Error).message}`, true, { cause: err });
    default:
      return new UpstreamError(`Slack delivery failed: ${(err as Error).message}`, true, { cause: err });
  }
}

/** Slack's error code and the HTTP status, as the delivery log lines carry them. */
export function slackErrorCode(err: unknown): { code: string; status?: number } {
  const e = err as { code?: string; statusCode?: number; data?: { error?: string } };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { code: 'rate_limited', status: 429 };
    case ErrorCode.PlatformError:
      return { code: e.data?.error ?? 'unknown_error' };
    case ErrorCode.HTTPError:
      return { code: 'http_error', ...(e.statusCode === undefined ? {} : { status: e.statusCode }) };
    case ErrorCode.RequestError:
      return { code: 'request_error' };
    default:
      return { code: 'unknown_error' };
  }
}

const withStatus = (e: { status?: number }) => (e.status === undefined ? {} : { status: e.status });

/**
 * Posts with chat.postMessage. The WebClient's own retries are switched off (it would sleep up to
 * half an hour inside one function call, with timers a test cannot control); rate limits reject at
 * once and our retry loop waits the Retry-After with an injectable sleep.
 */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    logger: quietLogger,
  });
  const policy = options.retryPolicy ?? SLACK_RETRY_POLICY;
  const deps = options.retryDeps ?? realRetryDeps;
  return {
    name: 'slack',
    async send(message: AlertMessage): Promise<void> {
      const channel = message.kind === 'data_error' ? (options.dataErrorChannel ?? options.channel) : options.channel;
      const alerts = message.alertIds.length;
      const log = (...args: Parameters<typeof slackDeliveryLogLine>) => {
        if (options.logger) logOps(options.logger, slackDeliveryLogLine(...args));
      };
      let attempts = 0;
      let last: { code: string; status?: number } = { code: 'unknown_error' };
      const retryDeps: RetryDeps = {
        sleep: (ms) => deps.sleep(ms),
        random: () => deps.random(),
        onRetry: (error, attempt, delayMs) => {
          deps.onRetry?.(error, attempt, delayMs);
          log({ outcome: 'retried', alerts, attempt, delayMs, ...withStatus(last), error: last.code });
        },
      };
      try {
        await withRetries(
          async () => {
            attempts++;
            try {
              await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
            } catch (err) {
              last = slackErrorCode(err);
              throw slackFailure(err);
            }
          },
          policy,
          retryDeps,
        );
      } catch (err) {
        log({ outcome: 'failed', alerts, attempts, ...withStatus(last), error: last.code });
        throw err;
      }
      log({ outcome: 'sent', alerts, attempts });
    },
  };
}
