import type { Logger } from '../../shared/logging';
import type { SuccessSink } from './http_function';

export interface RequestSummary {
  /** Counts one 2xx answer; writes the summary line first when the window is over. */
  readonly record: SuccessSink;
  /** Writes the summary of the answers counted since the last line, if any (at shutdown). */
  readonly flush: () => void;
}

/**
 * One INFO line per window (default a minute) for a function's 2xx answers, instead of one line
 * per request: Cloud Run's request log already has every request with its status, latency and
 * trace, and at thousands of requests a second a line each would cost a log write per batch of
 * requests and Cloud Logging's ingestion price. Answers of 4xx and 5xx keep their own lines.
 * The line is written by the first answer after the window ends (no timer: Cloud Run throttles
 * CPU between requests) and by flush at shutdown.
 */
export function requestSummary(name: string, logger: Logger, clock: () => number, windowMs = 60_000): RequestSummary {
  let windowStart = clock();
  let count = 0;
  let latencySumMs = 0;
  let latencyMaxMs = 0;
  const statuses = new Map<number, number>();
  const flush = (): void => {
    const now = clock();
    if (count > 0) {
      const seconds = (now - windowStart) / 1000;
      logger.log('INFO', `${name}: ${count} ${count === 1 ? 'request' : 'requests'} answered 2xx in ${seconds < 1 ? 'under 1' : seconds.toFixed(0)} s`, {
        requests: { answered2xx: count, byStatus: Object.fromEntries(statuses), windowSeconds: Math.round((now - windowStart) / 1000), latencyMeanMs: Math.round((latencySumMs / count) * 100) / 100, latencyMaxMs },
      });
    }
    windowStart = now;
    count = 0;
    latencySumMs = 0;
    latencyMaxMs = 0;
    statuses.clear();
  };
  return {
    record(status, latencyMs) {
      const now = clock();
      if (count > 0 && now - windowStart >= windowMs) flush();
      if (count === 0) windowStart = now;
      count++;
      latencySumMs += latencyMs;
      if (latencyMs > latencyMaxMs) latencyMaxMs = latencyMs;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
    flush,
  };
}
