import { ErrorCode, LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { ConfigError, UpstreamError, type AppError } from '../errors';
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
      await withRetries(
        async () => {
          try {
            await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
          } catch (err) {
            throw slackFailure(err);
          }
        },
        policy,
        deps,
      );
    },
  };
}
