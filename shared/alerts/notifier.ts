import type { AlertMessage } from './slack_blocks';

/**
 * Where alert messages go: Slack in the cloud; a webhook or a JSONL file locally. `send` resolves
 * once the message is delivered, or throws an AppError whose `retryable` says whether a later run
 * may succeed (a 429 or a 503 may; a revoked token will not until someone fixes it).
 */
export interface Notifier {
  readonly name: 'slack' | 'webhook' | 'file';
  send(message: AlertMessage): Promise<void>;
}
