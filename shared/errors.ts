/**
 * Failure classes shared by every function. Each class says whether a retry can help, so entry
 * points map errors to HTTP status and retry decisions in one place instead of guessing.
 */
export type ErrorKind = 'invalid_input' | 'invalid_config' | 'invalid_model' | 'not_ready' | 'upstream' | 'conflict' | 'internal';

export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly retryable: boolean;

  /** When asking again is worth it, if known (an HTTP answer says so in Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.name = new.target.name;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Input that can never succeed as given: a bad row, a bad request body, a bad option. */
export class InvalidInputError extends AppError {
  readonly kind = 'invalid_input';
  readonly retryable = false;
}

/** A stored model that cannot be used: corrupted, truncated, wrong version or inconsistent. */
export class ModelFileError extends AppError {
  readonly kind = 'invalid_model';
  readonly retryable = false;
}

/** Configuration that cannot work (bad env, bad source list, missing secret): fix and redeploy. */
export class ConfigError extends AppError {
  readonly kind = 'invalid_config';
  readonly retryable = false;
}

/** The input a step needs does not exist yet (an hour not indexed, a manifest not written). */
export class NotReadyError extends AppError {
  readonly kind = 'not_ready';
  readonly retryable = true;
}

/** A dependency failed; `retryable` says whether asking again can help (a 503 can, a 401 cannot). */
export class UpstreamError extends AppError {
  readonly kind = 'upstream';

  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
  }
}

/** A write lost a race: the object changed since it was read (generation precondition). */
export class PreconditionFailedError extends AppError {
  readonly kind = 'conflict';
  readonly retryable = true;
}

/** HTTP status for an error leaving a function: 4xx for what a retry cannot fix, 5xx otherwise. */
export function httpStatusOf(error: unknown): number {
  if (!(error instanceof AppError)) return 500;
  const status: Record<ErrorKind, number> = {
    invalid_input: 400,
    invalid_config: 500,
    invalid_model: 500,
    not_ready: 503,
    upstream: error.retryable ? 502 : 424,
    conflict: 409,
    internal: 500,
  };
  return status[error.kind];
}
