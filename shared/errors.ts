/**
 * Failure classes shared by every function. Each class says whether a retry can help, so entry
 * points map errors to HTTP status and retry decisions in one place instead of guessing.
 */
export type ErrorKind = 'invalid_input' | 'invalid_model' | 'not_ready' | 'upstream' | 'internal';

export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
