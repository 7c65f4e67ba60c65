import { UpstreamError } from '../errors';
import { parseRetryAfterMs, realRetryDeps, withRetries, type RetryDeps, type RetryPolicy } from '../retry';
import type { Notifier } from './notifier';
import { SLACK_RETRY_POLICY } from './slack_notifier';
import type { AlertMessage } from './slack_blocks';

export interface WebhookNotifierOptions {
  readonly url: string;
  readonly fetch?: typeof fetch;
  readonly retryPolicy?: RetryPolicy;
  readonly retryDeps?: RetryDeps;
  readonly now?: () => number;
  readonly timeoutMs?: number;
}

/** The JSON body posted: Slack's incoming-webhook fields (text, blocks) plus what the message carries. */
export function webhookBody(message: AlertMessage): Record<string, unknown> {
  return { text: message.text, blocks: message.blocks, kind: message.kind, alert_ids: message.alertIds };
}

/** POSTs each message as JSON; 429 and 5xx are retried (Retry-After honoured), other statuses are final. */
export function webhookNotifier(options: WebhookNotifierOptions): Notifier {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const target = new URL(options.url);
  // The URL may carry a secret path (Slack incoming webhooks do): name only the host in errors.
  const where = `webhook ${target.host}`;
  return {
    name: 'webhook',
    async send(message) {
      await withRetries(
        async () => {
          let response: Response;
          try {
            response = await fetchFn(options.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(webhookBody(message)),
              signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
            });
          } catch (err) {
            throw new UpstreamError(`${where} could not be reached: ${(err as Error).message}`, true, { cause: err });
          }
          await response.arrayBuffer().catch(() => undefined);
          if (response.ok) return;
          const retryable = response.status === 429 || response.status >= 500;
          throw new UpstreamError(`${where} answered HTTP ${response.status}`, retryable, { retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), now()) });
        },
        options.retryPolicy ?? SLACK_RETRY_POLICY,
        options.retryDeps ?? realRetryDeps,
      );
    },
  };
}
