import { execFileSync } from 'node:child_process';
import * as dns from 'node:dns';
import { get, createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { BLOCKED_CODE, isLoopbackHost, takeBlockedAttempts } from './network_guard';

const REPO = resolve(__dirname, '..', '..');
// TEST-NET-1 (RFC 5737): never routed, so even a broken guard reaches nothing real.
const OUTSIDE = '192.0.2.1';

test.each([
  ['localhost', true],
  ['LOCALHOST', true],
  ['api.localhost', true],
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['0.0.0.0', true],
  ['::1', true],
  ['[::1]', true],
  ['0:0:0:0:0:0:0:1', true],
  ['::ffff:127.0.0.1', true],
  ['169.254.169.254', false],
  ['metadata.google.internal', false],
  ['10.0.0.1', false],
  ['128.0.0.1', false],
  ['::2', false],
  ['2001:db8::1', false],
  ['localhost.example.com', false],
])('%s is loopback: %s', (host, loopback) => {
  expect(isLoopbackHost(host)).toBe(loopback);
});

describe('outbound attempts fail at once and are recorded', () => {
  afterEach(() => {
    // This file makes the attempts on purpose; the setup's afterEach would fail it otherwise.
    takeBlockedAttempts();
  });

  test('a TCP connect emits the blocked error', async () => {
    const socket = connect(80, OUTSIDE);
    const err = await new Promise<NodeJS.ErrnoException>((done) => socket.on('error', done));
    expect([err.code, err.message]).toEqual([BLOCKED_CODE, `network access is blocked in tests: connect ${OUTSIDE}:80 (use a loopback server, see test/setup/network_guard.ts)`]);
    expect(takeBlockedAttempts().map((a) => a.what)).toEqual([`connect ${OUTSIDE}:80`]);
  });

  test('fetch, http and https requests, and the metadata server', async () => {
    const cause = async (url: string) => ((await fetch(url).then(() => undefined, (e: unknown) => e)) as { cause?: { code?: string } }).cause?.code;
    expect(await cause(`http://${OUTSIDE}:8080/x`)).toBe(BLOCKED_CODE);
    expect(await cause('https://example.com/')).toBe(BLOCKED_CODE);
    const httpErr = await new Promise<NodeJS.ErrnoException>((done) => get('http://169.254.169.254/computeMetadata/v1/instance').on('error', done));
    expect(httpErr.code).toBe(BLOCKED_CODE);
    expect(takeBlockedAttempts().map((a) => a.what)).toEqual([`connect ${OUTSIDE}:8080`, 'connect example.com:443', 'connect 169.254.169.254:80']);
  });

  test('DNS queries for names that are not local, callback and promise style', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((done) => { dns.lookup('metadata.google.internal', (e) => { done(e); }); });
    expect(err?.code).toBe(BLOCKED_CODE);
    await expect(dns.promises.resolve4('example.com')).rejects.toMatchObject({ code: BLOCKED_CODE });
    expect(takeBlockedAttempts().map((a) => a.what)).toEqual(['dns lookup metadata.google.internal', 'dns resolve4 example.com']);
  });
});

describe('loopback keeps working', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  test('fetch and http.get to 127.0.0.1 and localhost, DNS of localhost', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('ok');
    const body = await new Promise<string>((done, fail) => get(`http://127.0.0.1:${port}/`, (res) => { res.setEncoding('utf8'); let b = ''; res.on('data', (c: string) => (b += c)); res.on('end', () => { done(b); }); }).on('error', fail));
    expect(body).toBe('ok');
    expect((await dns.promises.lookup('localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(takeBlockedAttempts()).toEqual([]);
  });
});

test('a test whose code dials out fails, even when the code swallows the error', () => {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(REPO, 'jest.config.js'), '--roots', join(__dirname, 'fixtures'), '--testMatch', '**/dials_out.fixture.ts', '--json', '--ci'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
  const results = report.testResults[0]!.assertionResults;
  expect(results.map((r) => [r.title, r.status])).toEqual([['swallows the error of an outbound request', 'failed'], ['stays on loopback', 'passed']]);
  expect(results[0]!.failureMessages.join('\n')).toContain(`this test tried to reach the network 1 time(s); tests must stay on loopback:\n- connect ${OUTSIDE}:8080`);
});
