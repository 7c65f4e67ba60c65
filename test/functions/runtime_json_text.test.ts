import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { httpFunction, type HttpAnswer } from '../../functions/_runtime/http_function';
import { memoryLogger } from '../../shared/logging';

const value = { model_version: 'v"1', threshold: 0.5, results: [{ score: 1e21, is_anomaly: true, contributions: [{ feature: 'é', value: -0, contribution: 5e-324 }] }] };

async function answerOf(answer: HttpAnswer): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const name = `json_text_${Math.random().toString(36).slice(2)}`;
  ff.http(name, httpFunction(name, () => Promise.resolve(answer), { logger: memoryLogger(), clock: () => 0 }));
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST' });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'date') headers[k] = v;
    });
    return { status: res.status, headers, text: await res.text() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('an answer with bodyJson goes out with the same status, headers and bytes as res.json of the value', async () => {
  const headers = { 'x-model-version': 'v1' };
  const viaJson = await answerOf({ status: 200, body: value, headers });
  const viaText = await answerOf({ status: 200, body: 'ignored', bodyJson: JSON.stringify(value), headers });
  expect(viaText).toEqual(viaJson);
  expect(viaText.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(viaText.text).toBe(JSON.stringify(value));
});
