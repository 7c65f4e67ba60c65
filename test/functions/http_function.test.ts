import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { httpFunction, type HttpFunctionOptions, type HttpHandler } from '../../functions/_runtime/http_function';
import { InvalidInputError } from '../../shared/errors';
import { memoryLogger } from '../../shared/logging';

/** Serves `handler` through the real framework; returns each answer and what the entry returned. */
async function serveOnce(handler: HttpHandler, options: Partial<HttpFunctionOptions> = {}): Promise<{ status: number; json: unknown; returned: unknown; lines: Record<string, unknown>[] }> {
  const logger = memoryLogger();
  const entry = httpFunction('t', handler, { logger, clock: () => 0, ...options });
  const returned: unknown[] = [];
  const name = `http_fn_${Math.random().toString(36).slice(2)}`;
  ff.http(name, (req, res) => {
    returned.push(entry(req, res));
  });
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { method: 'POST', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    return { status: res.status, json: await res.json(), returned: returned[0], lines: logger.lines };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('an answer given at once is sent without a promise; one given later through one', async () => {
  const now = await serveOnce(() => ({ status: 200, body: { a: 1 } }));
  expect([now.status, now.json, now.returned]).toEqual([200, { a: 1 }, undefined]);
  const later = await serveOnce(() => Promise.resolve({ status: 201, body: { b: 2 } }));
  expect([later.status, later.json, later.returned instanceof Promise]).toEqual([201, { b: 2 }, true]);
});

test('an error thrown at once or later becomes the JSON error body and a log line naming it, with the trace id', async () => {
  const thrown = (): never => {
    throw new InvalidInputError('bad body');
  };
  for (const handler of [thrown, () => Promise.reject(new InvalidInputError('bad body'))]) {
    const answer = await serveOnce(handler);
    expect([answer.status, answer.json]).toEqual([400, { error: { kind: 'invalid_input', message: 'bad body', retryable: false } }]);
    expect(answer.lines).toEqual([expect.objectContaining({ severity: 'WARNING', message: 't POST /x -> 400', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', error: { name: 'InvalidInputError', message: 'bad body' } })]);
  }
  const unexpected = await serveOnce(() => {
    throw new TypeError('x is undefined');
  });
  expect([unexpected.status, unexpected.lines[0]!.severity]).toEqual([500, 'ERROR']);
  // A bug's line carries its stack (the caller's mistakes above do not: they have no stack key).
  expect((unexpected.lines[0]!.error as { stack: string }).stack).toMatch(/^TypeError: x is undefined\n\s+at .*http_function\.test\.ts:\d+:\d+/);
});

test('with a success sink a 2xx writes no line of its own and is handed to the sink; a 4xx still has its line', async () => {
  const seen: [number, number][] = [];
  const successes = (status: number, latencyMs: number) => seen.push([status, latencyMs]);
  const ok = await serveOnce(() => ({ status: 200, body: {} }), { successes });
  expect([ok.lines, seen]).toEqual([[], [[200, 0]]]);
  const bad = await serveOnce(() => ({ status: 404, body: {} }), { successes });
  expect([bad.lines.map((l) => l.message), seen]).toEqual([['t POST /x -> 404'], [[200, 0]]]);
});

test('the handler reads its logger and trace id only if it needs them, and gets the trace id either way', async () => {
  let traceId: string | undefined;
  const answer = await serveOnce((_req, invocation) => {
    invocation.logger.log('INFO', 'inside');
    traceId = invocation.traceId;
    return { status: 200, body: {} };
  });
  expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(answer.lines.map((l) => [l.message, l.trace_id, l.function])).toEqual([
    ['inside', '4bf92f3577b34da6a3ce929d0e0e4736', 't'],
    ['t POST /x -> 200', '4bf92f3577b34da6a3ce929d0e0e4736', 't'],
  ]);
});

/** What a buggy dependency may reject with: not always an Error. */
// eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- non-Errors are what the test is about
const rejectWith = (value: unknown): Promise<never> => Promise.reject(value);

test('a handler failing with null or a bare value still answers 500 and logs what it was', async () => {
  for (const handler of [(): never => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a buggy dependency may do
    throw null;
  }, () => rejectWith(null), () => rejectWith('text')]) {
    const answer = await serveOnce(handler);
    expect([answer.status, answer.json]).toEqual([500, { error: { kind: 'internal', message: 'internal error (see the function logs)', retryable: true } }]);
    expect(answer.lines).toHaveLength(1);
    expect(answer.lines[0]).toMatchObject({ severity: 'ERROR', message: 't POST /x -> 500' });
  }
  const lines = await Promise.all([serveOnce(() => rejectWith(null)), serveOnce(() => rejectWith('text')), serveOnce(() => rejectWith({ message: 'plain object' })), serveOnce(() => rejectWith(10n))]);
  expect(lines.map((a) => [a.status, (a.lines[0]!.error as { message: string }).message])).toEqual([[500, 'null'], [500, '"text"'], [500, 'plain object'], [500, '10']]);
});
