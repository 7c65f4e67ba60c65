import type { Request, Response } from '@google-cloud/functions-framework';
import type { Logger } from '../../shared/logging';
import { errorAnswer } from './error_body';
import { traceFields, traceIdFrom } from './trace';

/** What a handler answers: the wrapper writes it as JSON. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The body already serialised as JSON (a hot path's own writer): sent as is, `body` unread. */
  readonly bodyJson?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One invocation's logger (with its trace id) and clock. */
export interface Invocation {
  readonly logger: Logger;
  readonly traceId: string | undefined;
}

export type HttpHandler = (req: Request, invocation: Invocation) => Promise<HttpAnswer>;

export interface HttpFunctionOptions {
  readonly logger: Logger;
  readonly projectId?: string | undefined;
  readonly clock?: () => number;
}

/**
 * The one HTTP wrapper of every function: runs the handler, answers JSON, maps errors to a status
 * from their class (4xx for the caller's mistakes, 5xx when a retry can help) with a JSON error
 * body, and writes one log line per invocation with the status, latency and trace id.
 */
export function httpFunction(name: string, handler: HttpHandler, options: HttpFunctionOptions): (req: Request, res: Response) => Promise<void> {
  const clock = options.clock ?? Date.now;
  return async (req, res) => {
    const started = clock();
    const traceId = traceIdFrom(req.get('traceparent'), req.get('x-cloud-trace-context'));
    const logger = options.logger.child({ function: name, ...traceFields(traceId, options.projectId) });
    let answer: HttpAnswer;
    let failure: unknown;
    try {
      answer = await handler(req, { logger, traceId });
    } catch (err) {
      failure = err;
      answer = errorAnswer(err);
    }
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.set(k, v);
    if (answer.bodyJson === undefined) {
      res.status(answer.status).json(answer.body);
    } else {
      // What res.json does after its JSON.stringify: the same headers and bytes.
      if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
      res.status(answer.status).send(answer.bodyJson);
    }
    const severity = answer.status >= 500 ? 'ERROR' : answer.status >= 400 ? 'WARNING' : 'INFO';
    const fields: Record<string, unknown> = {
      httpRequest: { requestMethod: req.method, requestUrl: req.originalUrl, status: answer.status, latency: `${((clock() - started) / 1000).toFixed(3)}s` },
    };
    if (failure !== undefined) fields.error = failure instanceof Error ? { name: failure.name, message: failure.message } : { message: typeof (failure as { message?: unknown }).message === 'string' ? (failure as { message: string }).message : JSON.stringify(failure) };
    logger.log(severity, `${name} ${req.method} ${req.path} -> ${answer.status}`, fields);
  };
}
