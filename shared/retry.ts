import { AppError } from './errors';

export interface RetryPolicy {
  /** Total tries, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the run fails (retryably). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^(attempt-1))). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from `nowMs`; undefined if unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : false;
}

export interface RetryDeps {
  sleep(ms: number): Promise<void>;
  random(): number;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of tries (the
 * last error is thrown). Waits full-jitter backoff, or longer when the server said Retry-After.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, deps: RetryDeps = realRetryDeps): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isRetryable(error) || n >= policy.attempts) throw error;
      const asked = error instanceof AppError ? error.retryAfterMs : undefined;
      if (asked !== undefined && asked > policy.maxRetryAfterMs) throw error;
      const delay = Math.max(backoffDelayMs(n, policy, () => deps.random()), asked ?? 0);
      deps.onRetry?.(error, n, delay);
      await deps.sleep(delay);
    }
  }
}
