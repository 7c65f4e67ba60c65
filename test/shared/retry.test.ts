import { ConfigError, UpstreamError } from '../../shared/errors';
import { backoffDelayMs, parseRetryAfterMs, withRetries, type RetryPolicy } from '../../shared/retry';

const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };

function recorder() {
  const waits: number[] = [];
  return { waits, deps: { sleep: (ms: number) => { waits.push(ms); return Promise.resolve(); }, random: () => 0.5 } };
}

test('backoff doubles from the base and is capped, with full jitter', () => {
  expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
  expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
});

test.each([
  ['7', 7000],
  [' 0 ', 0],
  ['Wed, 25 Nov 2026 00:00:30 GMT', 30_000],
  ['soon', undefined],
  [null, undefined],
])('Retry-After %j means %j ms', (header, expected) => {
  expect(parseRetryAfterMs(header, Date.UTC(2026, 10, 25, 0, 0, 0))).toBe(expected);
});

test('retryable failures are retried with growing waits until success', async () => {
  const { waits, deps } = recorder();
  let calls = 0;
  const result = await withRetries(() => {
    calls++;
    return calls < 4 ? Promise.reject(new UpstreamError('HTTP 503', true)) : Promise.resolve('ok');
  }, policy, deps);
  expect(result).toBe('ok');
  expect(waits).toEqual([50, 100, 200]);
});

test('Retry-After is respected when longer than the backoff', async () => {
  const { waits, deps } = recorder();
  let calls = 0;
  await withRetries(() => (++calls === 1 ? Promise.reject(new UpstreamError('HTTP 429', true, { retryAfterMs: 7000 })) : Promise.resolve(1)), policy, deps);
  expect(waits).toEqual([7000]);
});

test('a Retry-After beyond the limit is not waited for', async () => {
  const { waits, deps } = recorder();
  const err = new UpstreamError('HTTP 429', true, { retryAfterMs: 3_600_000 });
  await expect(withRetries(() => Promise.reject(err), policy, deps)).rejects.toBe(err);
  expect(waits).toEqual([]);
});

test('a non-retryable error stops at once; exhausted tries rethrow the last error', async () => {
  const { waits, deps } = recorder();
  const auth = new ConfigError('auth error');
  await expect(withRetries(() => Promise.reject(auth), policy, deps)).rejects.toBe(auth);
  expect(waits).toEqual([]);
  let n = 0;
  await expect(withRetries(() => Promise.reject(new UpstreamError(`fail ${++n}`, true)), policy, deps)).rejects.toThrow('fail 5');
  expect(waits).toHaveLength(4);
});
