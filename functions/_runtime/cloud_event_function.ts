import type { CloudEvent } from '@google-cloud/functions-framework';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import type { DeadLetter } from '../../shared/ops/dead_letters';
import { isRetryable } from './error_body';
import { sourceMappedStack } from './source_mapped_stack';
import { traceFields, traceIdFrom } from './trace';
import type { Invocation } from './http_function';

export type CloudEventHandler = (event: CloudEvent<unknown>, invocation: Invocation) => Promise<Readonly<Record<string, unknown>>>;

export interface CloudEventFunctionOptions {
  readonly logger: Logger;
  readonly projectId?: string | undefined;
  /** Keeps a permanent failure where an operator will see it (a warehouse table). */
  recordDeadLetter(letter: DeadLetter): Promise<void>;
  readonly now?: () => Date;
}

/**
 * The one CloudEvent wrapper of every event function. A failure a retry can cure is rethrown, so
 * the framework answers 5xx and Eventarc redelivers it. A permanent one (a non-retryable
 * AppError: a malformed event, a corrupt object) is acknowledged: logged as ERROR with what and
 * why, and recorded as a dead letter, never redelivered for a day. One log line per invocation.
 */
export function cloudEventFunction(name: string, handler: CloudEventHandler, options: CloudEventFunctionOptions): (event: CloudEvent<unknown>) => Promise<void> {
  const now = options.now ?? (() => new Date());
  return async (event) => {
    const traceId = traceIdFrom(typeof event.traceparent === 'string' ? event.traceparent : undefined, undefined);
    const logger = options.logger.child({ function: name, event_id: event.id, event_type: event.type, subject: event.subject, ...traceFields(traceId, options.projectId) });
    try {
      const result = await handler(event, { logger, traceId });
      logger.log('INFO', `${name} handled ${event.type}`, { result });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isRetryable(err)) {
        const unexpected = err instanceof Error && !(err instanceof AppError);
        logger.log('WARNING', `${name} failed, will be retried: ${message}`, { error: { kind: err instanceof AppError ? err.kind : 'internal', message, retryable: true, ...(unexpected ? { stack: sourceMappedStack(err) } : {}) } });
        // The framework prints what it is given to stderr: a message, not a stack trace.
        const retry = new Error(`${name}: ${message}`);
        retry.stack = retry.message;
        throw retry;
      }
      const kind = (err as AppError).kind;
      logger.log('ERROR', `${name} gave up on ${event.type} ${event.subject ?? ''}: ${message}`.trim(), { error: { kind, message, retryable: false }, acknowledged: true });
      await options.recordDeadLetter({
        function_name: name,
        event_id: event.id,
        event_type: event.type,
        subject: event.subject ?? null,
        error_kind: kind,
        message,
        event_data: truncatedJson(event.data),
        recorded_at: now().toISOString(),
      });
    }
  };
}

function truncatedJson(data: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(data ?? null);
  } catch {
    text = JSON.stringify(String(data));
  }
  return text.length <= 10_000 ? text : JSON.stringify({ truncated: true, prefix: text.slice(0, 10_000) });
}
