import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it: the Web API method, headers, and the form body as an object. */
export interface SlackRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly form: Record<string, string>;
}

export interface SlackReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A loopback stand-in for Slack's Web API (https://slack.com/api/<method>): records every request
 * and answers from `reply`, by default `{ ok: true }`. Point WebClient's `slackApiUrl` at `url`.
 */
export interface FakeSlack {
  readonly url: string;
  readonly requests: SlackRequest[];
  reply: (request: SlackRequest, index: number) => SlackReply;
  close(): Promise<void>;
}

export const SLACK_OK: SlackReply = { body: { ok: true, channel: 'C0123', ts: '1764000000.000100' } };

export async function startFakeSlack(reply: FakeSlack['reply'] = () => SLACK_OK): Promise<FakeSlack> {
  const requests: SlackRequest[] = [];
  const fake: FakeSlack = { url: '', requests, reply, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const request: SlackRequest = { method: (req.url ?? '').replace(/^\/api\//, ''), headers: req.headers, form };
      requests.push(request);
      const answer = fake.reply(request, requests.length - 1);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(JSON.stringify(answer.body ?? { ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  });
}

/** The blocks a request carried, parsed back from the form's JSON. */
export function blocksOf(request: SlackRequest): unknown {
  return JSON.parse(request.form.blocks ?? 'null');
}
