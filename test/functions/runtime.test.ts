import { errorAnswer } from '../../functions/_runtime/error_body';
import { traceFields, traceIdFrom } from '../../functions/_runtime/trace';
import { ConfigError, InvalidInputError, NotReadyError, PreconditionFailedError, UpstreamError } from '../../shared/errors';

test.each([
  [new InvalidInputError('bad body'), 400, 'invalid_input', false],
  [new NotReadyError('hour not indexed'), 503, 'not_ready', true],
  [new UpstreamError('gateway 503', true), 502, 'upstream', true],
  [new UpstreamError('auth error', false), 424, 'upstream', false],
  [new PreconditionFailedError('alias moved'), 409, 'conflict', true],
  [new ConfigError('secret missing'), 500, 'invalid_config', false],
])('%s answers %i with a JSON error body', (err, status, kind, retryable) => {
  expect(errorAnswer(err)).toEqual({ status, body: { error: { kind, message: err.message, retryable } } });
});

test('an unexpected error answers 500 without its message or stack', () => {
  const answer = errorAnswer(new TypeError("Cannot read properties of undefined (reading 'x')"));
  expect(answer).toEqual({ status: 500, body: { error: { kind: 'internal', message: 'internal error (see the function logs)', retryable: true } } });
});

test.each([
  ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined, '4bf92f3577b34da6a3ce929d0e0e4736'],
  [undefined, '105445aa7843bc8bf206b12000100000/1;o=1', '105445aa7843bc8bf206b12000100000'],
  ['garbage', 'also-garbage', undefined],
  [undefined, undefined, undefined],
])('trace id from traceparent %j / X-Cloud-Trace-Context %j is %j', (traceparent, cloud, expected) => {
  expect(traceIdFrom(traceparent, cloud)).toBe(expected);
});

test('trace fields link to Cloud Trace when the project is known', () => {
  expect(traceFields('abc', 'my-project')).toEqual({ 'logging.googleapis.com/trace': 'projects/my-project/traces/abc' });
  expect(traceFields('abc', undefined)).toEqual({ trace_id: 'abc' });
  expect(traceFields(undefined, 'p')).toEqual({});
});

test('a retryable error that knows when to come back says so in Retry-After (whole seconds, at least 1); a permanent one does not', () => {
  expect(errorAnswer(new NotReadyError('model loading', { retryAfterMs: 5000 })).headers).toEqual({ 'retry-after': '5' });
  expect(errorAnswer(new UpstreamError('rate limited', true, { retryAfterMs: 1200 })).headers).toEqual({ 'retry-after': '2' });
  expect(errorAnswer(new UpstreamError('rate limited', true, { retryAfterMs: 0 })).headers).toEqual({ 'retry-after': '1' });
  expect(errorAnswer(new UpstreamError('forbidden', false, { retryAfterMs: 5000 })).headers).toBeUndefined();
  expect(errorAnswer(new NotReadyError('hour not indexed')).headers).toBeUndefined();
});
