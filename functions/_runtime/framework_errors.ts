import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger } from '../../shared/logging';
import type { ErrorBody } from './error_body';

type Handle = (this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (err?: unknown) => void) => void;
interface ExpressModule {
  readonly application?: { handle?: Handle & { jsonErrors?: true } };
}

/** What body-parser attaches to the errors it raises. */
interface ParserError {
  readonly status?: unknown;
  readonly type?: unknown;
  readonly message?: unknown;
}

/** Refuses a request before the framework reads its body: a status and why, or undefined to go on. */
export type RequestGuard = (req: IncomingMessage) => { status: number; message: string } | undefined;

let currentGuard: RequestGuard | undefined;

/**
 * Makes the Functions Framework answer its own failures with the JSON error body instead of
 * Express's HTML page (which outside NODE_ENV=production even carries the stack trace). The
 * framework parses bodies before the function runs, so a malformed JSON body, an unsupported
 * charset or content encoding never reach the handler, and the framework offers no hook
 * (functions-framework-nodejs issue #686). This wraps Express's final handler in the framework's
 * own copy of Express; it must run before the framework builds its app, i.e. when the function
 * module loads. Returns false (and changes nothing) if Express's shape is not the expected one;
 * test/functions/serve.test.ts fails then. A `guard` sees each request before its body is read
 * (serve refuses compressed and oversized bodies there: the framework would inflate a gzip body up
 * to 1 GB before the function could refuse it).
 */
export function answerFrameworkErrorsAsJson(logger: Logger, name: string, guard?: RequestGuard): boolean {
  let express: ExpressModule;
  try {
    express = createRequire(require.resolve('@google-cloud/functions-framework'))('express') as ExpressModule;
  } catch {
    return false;
  }
  const application = express.application;
  const original = application?.handle;
  if (!application || typeof original !== 'function') return false;
  // One function per process in the cloud: the latest call's guard is the one in force.
  currentGuard = guard;
  if (original.jsonErrors) return true;
  const handle: Handle = function (this: unknown, req, res, callback) {
    if (callback) {
      original.call(this, req, res, callback);
      return;
    }
    const refused = currentGuard?.(req);
    if (refused) {
      logger.log('WARNING', `${name} ${req.method ?? ''} ${req.url ?? ''} -> ${refused.status} (before the body was read: ${refused.message})`, {
        httpRequest: { requestMethod: req.method, requestUrl: req.url, status: refused.status },
      });
      res.statusCode = refused.status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      // The body is not read: the connection is closed after the answer.
      res.setHeader('connection', 'close');
      res.end(JSON.stringify({ error: { kind: 'invalid_input', message: refused.message, retryable: false } } satisfies ErrorBody));
      return;
    }
    original.call(this, req, res, (err?: unknown) => {
      const { status, body } = frameworkErrorAnswer(err);
      // The caller gets no internals; the log gets the framework's own error on a 500.
      const cause = status >= 500 && err instanceof Error ? { error: { name: err.name, message: err.message } } : {};
      logger.log(status >= 500 ? 'ERROR' : 'WARNING', `${name} ${req.method ?? ''} ${req.url ?? ''} -> ${status} (before the function: ${body.error.message})`, {
        httpRequest: { requestMethod: req.method, requestUrl: req.url, status },
        ...cause,
      });
      if (res.headersSent) {
        res.end();
        return;
      }
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    });
  };
  application.handle = Object.assign(handle, { jsonErrors: true as const });
  return true;
}

/** Status and JSON body for an error the framework raised before the function ran. */
export function frameworkErrorAnswer(err: unknown): { status: number; body: ErrorBody } {
  if (err === undefined || err === null) return { status: 404, body: { error: { kind: 'invalid_input', message: 'no such path', retryable: false } } };
  const e = err as ParserError;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status <= 599 ? e.status : 500;
  if (status >= 500) return { status: 500, body: { error: { kind: 'internal', message: 'internal error (see the function logs)', retryable: true } } };
  const detail = typeof e.message === 'string' ? e.message.slice(0, 200) : 'bad request';
  const message = e.type === 'entity.parse.failed' ? `body is not valid JSON: ${detail}` : detail;
  return { status, body: { error: { kind: 'invalid_input', message, retryable: false } } };
}
