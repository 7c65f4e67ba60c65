import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../../../shared/errors';
import { buildDataErrorMessage } from '../../../shared/alerts/slack_blocks';
import { webhookNotifier } from '../../../shared/alerts/webhook_notifier';
import { candidate, H } from './alert_fixtures';

const message = buildDataErrorMessage({ ...candidate({ alert_type: 'data_error', facts: { price_deviation: 0.5 } }), alert_id: 'd1', episode_start: H });
let server: Server;
let url: string;
let bodies: unknown[];
let replies: { status: number; headers?: Record<string, string> }[];

beforeEach(async () => {
  bodies = [];
  replies = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      const reply = replies.shift() ?? { status: 200 };
      res.writeHead(reply.status, reply.headers ?? {});
      res.end('');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

test('POSTs the message as JSON; 429 waits its Retry-After through the injected sleep', async () => {
  replies = [{ status: 429, headers: { 'retry-after': '3' } }];
  const sleeps: number[] = [];
  await webhookNotifier({ url, retryDeps: { sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, random: () => 0 } }).send(message);
  expect(sleeps).toEqual([3000]);
  expect(bodies).toEqual([
    { method: 'POST', type: 'application/json', body: { text: message.text, blocks: message.blocks, kind: 'data_error', alert_ids: ['d1'] } },
    { method: 'POST', type: 'application/json', body: { text: message.text, blocks: message.blocks, kind: 'data_error', alert_ids: ['d1'] } },
  ]);
});

test('a 4xx is final and the error names the host, never the secret path', async () => {
  replies = [{ status: 404 }];
  const err = await webhookNotifier({ url, retryDeps: { sleep: () => Promise.resolve(), random: () => 0 } }).send(message).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect((err as UpstreamError).retryable).toBe(false);
  expect((err as Error).message).toBe(`webhook ${new URL(url).host} answered HTTP 404`);
  expect(bodies).toHaveLength(1);
});
