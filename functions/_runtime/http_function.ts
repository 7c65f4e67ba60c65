import type { Request, Response } from '@google-cloud/functions-framework';
import type { Logger } from '../../shared/logging';
import { AppError } from '../../shared/errors';
import { errorAnswer } from './error_body';
import { sourceMappedStack } from './source_mapped_stack';
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

/** A handler may answer at once (no I/O needed) or later. */
export type HttpHandler = (req: Request, invocation: Invocation) => HttpAnswer | Promise<HttpAnswer>;

/** Receives each successful (2xx) invocation instead of a log line of its own: see requestSummary. */
export type SuccessSink = (status: number, latencyMs: number) => void;

export interface HttpFunctionOptions {
  readonly logger: Logger;
  readonly projectId?: string | undefined;
  readonly clock?: () => number;
  /**
   * Where 2xx invocations are recorded: absent, each writes its own log line (every function
   * but serve); a sink gathers them (serve: one summary line a minute, see request_summary.ts).
   */
  readonly successes?: SuccessSink;
}

/** The function the framework runs: a promise only when the answer needed one. */
export type HttpEntry = (req: Request, res: Response) => Promise<void> | undefined;

/** The JSON content type Express's res.json sets. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The one HTTP wrapper of every function: runs the handler, answers JSON, maps errors to a status
 * from their class (4xx for the caller's mistakes, 5xx when a retry can help) with a JSON error
 * body, and writes one log line per invocation with the status, latency, trace id and, for a 4xx
 * or 5xx, why; with a `successes` sink (serve) 2xx answers go to the sink instead of a line each.
 *
 * A handler that answers at once is answered without a promise: the framework runs each request
 * in a domain, whose async hook costs every promise created a call and a GC-tracked destroy hook.
 */
export function httpFunction(name: string, handler: HttpHandler, options: HttpFunctionOptions): HttpEntry {
  const clock = options.clock ?? Date.now;
  const finish = (req: Request, res: Response, invocation: LazyInvocation, started: number, answer: HttpAnswer, failure?: unknown): void => {
    send(res, answer);
    const latencyMs = clock() - started;
    if (options.successes && answer.status < 300 && failure === undefined) {
      options.successes(answer.status, latencyMs);
      return;
    }
    const severity = answer.status >= 500 ? 'ERROR' : answer.status >= 400 ? 'WARNING' : 'INFO';
    const fields: Record<string, unknown> = {
      httpRequest: { requestMethod: req.method, requestUrl: req.originalUrl, status: answer.status, latency: `${(latencyMs / 1000).toFixed(3)}s` },
    };
    if (failure !== undefined) fields.error = errorFields(failure);
    else if (answer.status >= 400) fields.error = { message: answeredReason(answer.body) };
    invocation.logger.log(severity, `${name} ${req.method} ${req.path} -> ${answer.status}`, fields);
  };
  return (req, res) => {
    const started = clock();
    const invocation = new LazyInvocation(req, name, options);
    let answered: HttpAnswer | Promise<HttpAnswer>;
    try {
      answered = handler(req, invocation);
    } catch (err) {
      finish(req, res, invocation, started, errorAnswer(err), err);
      return undefined;
    }
    if (!(answered instanceof Promise)) {
      finish(req, res, invocation, started, answered);
      return undefined;
    }
    return answered.then(
      (answer) => {
        finish(req, res, invocation, started, answer);
      },
      (err: unknown) => {
        finish(req, res, invocation, started, errorAnswer(err), err);
      },
    );
  };
}

/** An invocation whose trace id and logger are built on first read: serve's hot path never reads them. */
class LazyInvocation implements Invocation {
  private trace: string | undefined | null = null;
  private child: Logger | undefined;

  constructor(
    private readonly req: Request,
    private readonly name: string,
    private readonly options: HttpFunctionOptions,
  ) {}

  get traceId(): string | undefined {
    if (this.trace === null) this.trace = traceIdFrom(this.req.get('traceparent'), this.req.get('x-cloud-trace-context'));
    return this.trace;
  }

  get logger(): Logger {
    return (this.child ??= this.options.logger.child({ function: this.name, ...traceFields(this.traceId, this.options.projectId) }));
  }
}

/** Why a 4xx or 5xx answer (not a thrown error) was given: its error body's message, shortened. */
function answeredReason(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message.slice(0, 500) : 'no error message in the answer';
}

/** What the log line says of a failure: an unexpected one (a bug, not an AppError) with its stack. */
function errorFields(failure: unknown): Record<string, unknown> {
  if (!(failure instanceof Error)) {
    // Anything can be thrown, null included: reading a property of it must not throw in turn.
    const message: unknown = typeof failure === 'object' && failure !== null ? (failure as { message?: unknown }).message : undefined;
    return { message: typeof message === 'string' ? message : describeThrown(failure) };
  }
  if (failure instanceof AppError) return { name: failure.name, message: failure.message };
  return { name: failure.name, message: failure.message, stack: sourceMappedStack(failure) };
}

/** A thrown non-Error as text: JSON where it can be (a bigint or a cycle cannot), else String. */
function describeThrown(value: unknown): string {
  try {
    // undefined (and functions, symbols) have no JSON: JSON.stringify gives undefined for them.
    const json = JSON.stringify(value) as unknown;
    return typeof json === 'string' ? json : String(value);
  } catch {
    return String(value);
  }
}

/** Writes an answer: JSON from `body` through Express, or pre-serialised `bodyJson` as is. */
function send(res: Response, answer: HttpAnswer): void {
  if (answer.bodyJson === undefined) {
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.set(k, v);
    res.status(answer.status).json(answer.body);
    return;
  }
  // Straight to Node's response, with the headers res.send would set (the framework turns ETags
  // off): res.send re-parses the content type to add its charset, copies a body of 1,000
  // characters or more into a Buffer, and checks freshness, which only GET and HEAD can be.
  // One writeHead with every header: no per-header bookkeeping of setHeader first.
  const out: Record<string, string | number> = { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(answer.bodyJson) };
  const headers = answer.headers;
  if (headers) for (const k in headers) out[k] = headers[k]!;
  res.writeHead(answer.status, out);
  res.end(answer.bodyJson);
}
