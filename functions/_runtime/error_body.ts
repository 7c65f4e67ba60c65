import { AppError, httpStatusOf, type ErrorKind } from '../../shared/errors';

/** The JSON body every function answers with on failure: never a stack trace. */
export interface ErrorBody {
  readonly error: { readonly kind: ErrorKind; readonly message: string; readonly retryable: boolean };
}

/**
 * Status and body for an error leaving a function; unknown errors are internal and retryable. A
 * retryable error that knows when to come back (retryAfterMs) says so in Retry-After.
 */
export function errorAnswer(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const answer = { status: httpStatusOf(err), body: { error: { kind: err.kind, message: err.message, retryable: err.retryable } } };
    return err.retryable && err.retryAfterMs !== undefined ? { ...answer, headers: { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) } } : answer;
  }
  return { status: 500, body: { error: { kind: 'internal', message: 'internal error (see the function logs)', retryable: true } } };
}

/** Whether a retry can cure the error: AppErrors say so; anything unexpected gets the benefit of the doubt. */
export function isRetryable(err: unknown): boolean {
  return err instanceof AppError ? err.retryable : true;
}
