/**
 * npm run smoke:bundles (after npm run build): every bundle in dist/functions installs from its own
 * package.json and package-lock.json and answers one request, as the Cloud Functions runtime would
 * run it: copied to a temp folder, `npm ci` there, started with that folder's own Functions
 * Framework on a free loopback port, asked once. Prints one line per function and exits 1 if any
 * fails. Uses the npm cache (--prefer-offline); the fetch function reads a local subgraph served
 * from this process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOUR_SECONDS } from '../local/market/market';
import { simulateMarket } from '../local/market/simulate_market';
import { startLocalSubgraph } from '../local/subgraph/local_subgraph_server';

const REPO = resolve(__dirname, '..');

/** What each run gets: a loopback subgraph and a fresh data folder. */
interface SmokeContext {
  readonly subgraphUrl: string;
  readonly dataDir: string;
  /** Unix seconds of the newest hour the local subgraph serves. */
  readonly lastHour: number;
}

interface SmokeCase {
  readonly signatureType: 'http' | 'cloudevent';
  /** The function's environment: adjust here when a function's variables change. */
  env(ctx: SmokeContext): Record<string, string>;
  request(ctx: SmokeContext): { method: string; headers: Record<string, string>; body: string };
  /** Whether the answer is the well-formed one expected. */
  accept(status: number, body: string): boolean;
}

const isJson = (body: string) => {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
};
const iso = (unix: number) => new Date(unix * 1000).toISOString();

/** One table: the environment, the request and the expected answer of each function. */
const CASES: Readonly<Record<string, SmokeCase>> = {
  // train, score and serve need a warehouse or a model to do real work; a request they refuse
  // before touching either proves the bundle loads, parses its environment and answers JSON.
  train: {
    signatureType: 'http',
    env: (c) => ({ DATA_STORE_URL: c.dataDir, WAREHOUSE: 'bigquery://smoke-project', GOOGLE_CLOUD_PROJECT: 'smoke-project' }),
    request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"trees": 0}' }),
    accept: (status, body) => status === 400 && isJson(body) && body.includes("option 'trees'"),
  },
  score: {
    signatureType: 'http',
    env: (c) => ({ DATA_STORE_URL: c.dataDir, WAREHOUSE: 'bigquery://smoke-project', GOOGLE_CLOUD_PROJECT: 'smoke-project', ALERTS_FILE: `${c.dataDir}/alerts.jsonl` }),
    request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hour": "yesterday"}' }),
    accept: (status, body) => status === 400 && isJson(body) && body.includes('must be a whole UTC hour'),
  },
  serve: {
    signatureType: 'http',
    env: (c) => ({ DATA_STORE_URL: c.dataDir }),
    request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    accept: (status, body) => status === 404 && isJson(body) && body.includes('"error"'),
  },
  fetch: {
    signatureType: 'http',
    env: (c) => ({ LOCAL_SUBGRAPH_URL: c.subgraphUrl, DATA_STORE_URL: c.dataDir, FETCH_START_HOUR: iso(c.lastHour - HOUR_SECONDS), FETCH_MAX_HOURS_PER_RUN: '2' }),
    request: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    // Every source fetched at least one hour from the local subgraph.
    accept: (status, body) => {
      if (status !== 200 || !isJson(body)) return false;
      const answer = JSON.parse(body) as { ok?: unknown; sources?: { fetched?: unknown[] }[] };
      return answer.ok === true && Array.isArray(answer.sources) && answer.sources.length > 0 && answer.sources.every((s) => (s.fetched?.length ?? 0) > 0);
    },
  },
  load: {
    signatureType: 'cloudevent',
    // The cloud path (a bundle installs no DuckDB); for an object that is not a manifest no request
    // reaches BigQuery, so no project or credentials are needed.
    env: (c) => ({ DATA_STORE_URL: c.dataDir, WAREHOUSE: 'bigquery://smoke-project', GOOGLE_CLOUD_PROJECT: 'smoke-project' }),
    // A raw data object, not a manifest: the function acknowledges it and loads nothing.
    request: (c) => {
      const name = `raw/source=smoke/dt=${iso(c.lastHour).slice(0, 10)}/hour=${iso(c.lastHour).slice(11, 13)}/part-00000.jsonl.gz`;
      return {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': 'smoke-1',
          'ce-type': 'google.cloud.storage.object.v1.finalized',
          'ce-source': '//storage.googleapis.com/projects/_/buckets/smoke-bucket',
          'ce-specversion': '1.0',
          'ce-subject': `objects/${name}`,
          'ce-time': new Date().toISOString(),
        },
        body: JSON.stringify({ bucket: 'smoke-bucket', name, contentType: 'application/gzip', size: '1' }),
      };
    },
    accept: (status) => status >= 200 && status < 300,
  },
};

interface SmokeResult {
  readonly name: string;
  readonly installSeconds: number;
  readonly ok: boolean;
  readonly status: string;
  readonly excerpt: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Waits until the port accepts connections (a TCP probe: an HTTP request would already run the
 * function), or the process exits, or the deadline passes.
 */
async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`the framework exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); done(true); });
      socket.once('error', () => { done(false); });
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the framework did not listen within ${deadlineMs / 1000} s`);
}

async function smoke(name: string, bundleDir: string, ctx: SmokeContext): Promise<SmokeResult> {
  const spec = CASES[name];
  if (!spec) return { name, installSeconds: 0, ok: false, status: 'no smoke case', excerpt: `add ${name} to CASES in scripts/smoke_bundles.ts` };
  const work = mkdtempSync(join(tmpdir(), `smoke-${name}-`));
  let child: ChildProcess | undefined;
  const output: string[] = [];
  try {
    cpSync(bundleDir, work, { recursive: true });
    const installStarted = Date.now();
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: work, encoding: 'utf8' });
    const installSeconds = (Date.now() - installStarted) / 1000;
    if (npm.status !== 0) return { name, installSeconds, ok: false, status: `npm ci exit ${npm.status ?? npm.signal ?? '?'}`, excerpt: oneLine(npm.stderr) };

    const port = await freePort();
    const bin = join(work, 'node_modules', '.bin', 'functions-framework');
    if (!existsSync(bin)) return { name, installSeconds, ok: false, status: 'no framework', excerpt: `${bin} missing after npm ci` };
    // Only what a runtime would set, plus the function's own table: nothing leaks in from this shell.
    const env = { PATH: process.env.PATH ?? '', HOME: work, TMPDIR: tmpdir(), METADATA_SERVER_DETECTION: 'none', ...spec.env(ctx) };
    child = spawn(bin, [`--target=${name}`, `--signature-type=${spec.signatureType}`, `--port=${port}`], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
    const url = `http://127.0.0.1:${port}/`;
    await waitForPort(port, child, 60_000);
    const request = spec.request(ctx);
    const res = await fetch(url, { ...request, signal: AbortSignal.timeout(120_000) });
    const body = await res.text();
    const ok = spec.accept(res.status, body);
    return { name, installSeconds, ok, status: String(res.status), excerpt: oneLine(ok ? body : `${body} | ${output.join('')}`) };
  } catch (err) {
    return { name, installSeconds: 0, ok: false, status: 'error', excerpt: oneLine(`${(err as Error).message} | ${output.join('')}`) };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim() || '(empty body)';
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

async function main(): Promise<void> {
  const dist = join(REPO, 'dist', 'functions');
  const names = existsSync(dist) ? readdirSync(dist, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(dist, d.name, 'package.json'))).map((d) => d.name).sort() : [];
  if (names.length === 0) {
    console.error(`no bundles in ${dist}: run npm run build first`);
    process.exit(1);
  }
  // The newest served hour is the last full one, as the fetch function computes it from the clock.
  const lastHour = Math.floor(Date.now() / 1000 / HOUR_SECONDS) * HOUR_SECONDS - HOUR_SECONDS;
  const subgraph = await startLocalSubgraph({ market: simulateMarket({ seed: 5, pools: 5, days: 2, endHour: lastHour }), host: '127.0.0.1' });
  const results: SmokeResult[] = [];
  try {
    for (const name of names) {
      const dataDir = mkdtempSync(join(tmpdir(), `smoke-data-${name}-`));
      try {
        const result = await smoke(name, join(dist, name), { subgraphUrl: `http://127.0.0.1:${subgraph.port}`, dataDir, lastHour });
        results.push(result);
        console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(8)} install ${result.installSeconds.toFixed(1).padStart(5)} s  status ${result.status.padEnd(4)} ${result.excerpt}`);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await subgraph.close();
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`smoke:bundles: ${results.length - failed} of ${results.length} functions answered`);
  if (failed > 0) process.exitCode = 1;
}

void main().catch((err: unknown) => {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
});
