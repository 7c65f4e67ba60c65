/**
 * npm run bench:serve [-- --duration 3 --connections 10 --rounds 2 --cold-starts 3 --json]
 *
 * Builds the serve bundle (as deployed), writes a production model (100 trees trained on
 * synthetic rows of the project's features) into a temporary folder store, and starts the bundle
 * in the Functions Framework (its own `functions-framework` entry point, NODE_ENV=production) on
 * loopback, next to a no-op function on the same framework. autocannon drives each with the same
 * 1-row body (the no-op is the framework's ceiling), then serve with 100-row bodies, in
 * interleaved rounds; the best round of each is reported (the machine is shared), with the server
 * process's CPU time per request. Cold start: from process spawn to the first 200 from POST
 * /score (model loaded), median of several spawns, next to the no-op's.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { IsolationForest, matrixFromArrays, serializeModel } from '../../shared/iforest';
import { Rng } from '../../shared/rng';
import { openObjectStore } from '../../shared/storage/open_store';
import { buildFunctions } from '../build_functions';
import { parseCliArgs, runCli } from '../cli_args';

const REPO = resolve(__dirname, '..', '..');
const FRAMEWORK_MAIN = join(REPO, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const MODEL_KEY = 'models/default/production.json';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        res(port);
      });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU time a process has used (user + system, ms) from /proc (Linux; NaN elsewhere). On a shared
 * machine requests/s follow the neighbours' load; CPU per request is the server's own cost.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Rows of every feature drawn around 0, a few far out: what a scoring client sends. */
function bodyOf(rows: number, rng: Rng): string {
  return JSON.stringify({
    rows: Array.from({ length: rows }, (_, i) => ({ pool_id: `0x${i.toString(16).padStart(40, '0')}`, features: Object.fromEntries(FEATURE_NAMES.map((n) => [n, rng.nextNormal() * (i % 10 === 0 ? 4 : 1)])) })),
  });
}

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Starts a function in the Functions Framework; resolves when POST `probe` answers 200. */
async function startFunction(target: string, source: string, env: Record<string, string>, probe: string, nodeFlags: readonly string[] = [], limitMs = 60_000): Promise<Running & { readyMs: number; readyCpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, FRAMEWORK_MAIN, `--target=${target}`, `--source=${source}`, `--port=${port}`], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', IGNORED_ROUTES: '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const state: { exited: number | null } = { exited: null };
  child.on('exit', (code) => {
    state.exited = code ?? -1;
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (state.exited !== null) throw new Error(`${target} exited with ${state.exited} before answering`);
    if (performance.now() - started > limitMs) {
      child.kill();
      throw new Error(`${target} did not answer 200 within ${limitMs} ms`);
    }
    try {
      const res = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probe });
      await res.arrayBuffer();
      if (res.status === 200) return { child, url, readyMs: performance.now() - started, readyCpuMs: cpuMs(child.pid) };
    } catch {
      // Not listening yet.
    }
    await sleep(2);
  }
}

async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const done = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGTERM');
  await done;
}

interface Load {
  readonly rps: number;
  /** Server CPU (user + system) per request, microseconds. */
  readonly cpuUs: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function drive(target: Running, body: string, seconds: number, connections: number): Promise<Load> {
  const cpuBefore = cpuMs(target.child.pid);
  const result = await autocannon({ url: `${target.url}/score`, method: 'POST', headers: { 'content-type': 'application/json' }, body, duration: seconds, connections });
  const cpuUs = ((cpuMs(target.child.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, cpuUs, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

const flagsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(30).default(3).describe('seconds per measured scenario run'),
  connections: z.coerce.number().int().min(1).max(100).default(10).describe('concurrent connections'),
  rounds: z.coerce.number().int().min(1).max(5).default(2).describe('interleaved rounds; the best of each scenario is reported'),
  'cold-starts': z.coerce.number().int().min(1).max(10).default(3).describe('spawns measured for the cold start (median reported)'),
  json: z.boolean().default(false).describe('print one JSON object'),
  'cpu-prof': z.string().min(1).optional().describe('folder: write a V8 CPU profile (.cpuprofile) of every serve process there (node --cpu-prof)'),
});

async function main(): Promise<void> {
  const flags = parseCliArgs(flagsSchema, process.argv.slice(2), { usage: 'npm run bench:serve -- [flags]', summary: 'Requests/s and latency of the serve function against a no-op on the same framework, and its cold start.' });
  const log = (line: string) => {
    if (!flags.json) console.log(line);
  };
  const work = join(REPO, 'bench-out', 'serve');
  mkdirSync(work, { recursive: true });
  const store = mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const running: Running[] = [];
  try {
    log('building the serve bundle...');
    const built = (await buildFunctions(join(REPO, 'functions'), join(work, 'dist'))).find((f) => f.name === 'serve');
    if (!built) throw new Error('functions/serve was not built');
    const noopDir = join(work, 'noop');
    mkdirSync(noopDir, { recursive: true });
    writeFileSync(join(noopDir, 'index.js'), "require('@google-cloud/functions-framework').http('noop', (req, res) => { res.json({ ok: true }); });\n");

    const rng = new Rng(7);
    const names = FEATURE_NAMES;
    const training = Array.from({ length: 5000 }, () => names.map(() => rng.nextNormal()));
    const forest = IsolationForest.fit(matrixFromArrays(names, training), { seed: 7, contamination: 0.01 });
    await openObjectStore(store).write(MODEL_KEY, Buffer.from(serializeModel(forest.model)));
    const serveEnv = { DATA_STORE_URL: store, SERVE_MODEL_KEY: MODEL_KEY };
    const one = bodyOf(1, rng);
    const hundred = bodyOf(100, rng);
    log(`model: ${forest.treeCount} trees, ${names.length} features; bodies: 1 row ${one.length} B, 100 rows ${hundred.length} B`);

    const noop = await startFunction('noop', noopDir, {}, one);
    running.push(noop);
    const profiled = flags['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(flags['cpu-prof'])}`];
    const serve = await startFunction('serve', built.dir, serveEnv, one, profiled);
    running.push(serve);
    const scenarios = [
      { name: 'noop 1-row', target: noop, body: one },
      { name: 'serve 1-row', target: serve, body: one },
      { name: 'serve 100-row', target: serve, body: hundred },
    ];
    // The deployed bundle answers what the framework rejects with the JSON error body too.
    const malformed = await fetch(`${serve.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rows": [' });
    const malformedText = await malformed.text();
    if (malformed.status !== 400 || !malformedText.startsWith('{"error":{"kind":"invalid_input"')) throw new Error(`malformed JSON answered ${malformed.status} ${malformedText.slice(0, 100)}`);
    // Warm both processes' JITs before measuring.
    for (const s of scenarios) await drive(s.target, s.body, 1, flags.connections);
    const best = new Map<string, Load>();
    for (let round = 0; round < flags.rounds; round++) {
      for (const s of scenarios) {
        const load = await drive(s.target, s.body, flags.duration, flags.connections);
        if (load.non2xx > 0 || load.errors > 0) throw new Error(`${s.name}: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
        log(`round ${round + 1} ${s.name.padEnd(14)} ${load.rps.toFixed(0).padStart(7)} req/s  p50 ${load.p50} ms  p99 ${load.p99} ms  server CPU ${load.cpuUs.toFixed(0)} us/req`);
        if ((best.get(s.name)?.rps ?? -1) < load.rps) best.set(s.name, load);
      }
    }
    for (const r of running.splice(0)) await stop(r);

    const colds: number[] = [];
    const coldCpus: number[] = [];
    const noopColds: number[] = [];
    const noopColdCpus: number[] = [];
    for (let i = 0; i < flags['cold-starts']; i++) {
      const fresh = await startFunction('serve', built.dir, serveEnv, one, profiled);
      colds.push(fresh.readyMs);
      coldCpus.push(fresh.readyCpuMs);
      await stop(fresh);
      const freshNoop = await startFunction('noop', noopDir, {}, one);
      noopColds.push(freshNoop.readyMs);
      noopColdCpus.push(freshNoop.readyCpuMs);
      await stop(freshNoop);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const cold = median(colds);

    const noopLoad = best.get('noop 1-row')!;
    const oneLoad = best.get('serve 1-row')!;
    const hundredLoad = best.get('serve 100-row')!;
    const summary = {
      noop_rps: Math.round(noopLoad.rps),
      score_1row_rps: Math.round(oneLoad.rps),
      score_100row_rps: Math.round(hundredLoad.rps),
      p99_ms_1row: oneLoad.p99,
      cold_start_ms: Math.round(cold),
      cold_start_cpu_ms: Math.round(median(coldCpus)),
      noop_cold_start_ms: Math.round(median(noopColds)),
      noop_cold_start_cpu_ms: Math.round(median(noopColdCpus)),
      noop_cpu_us_per_req: Math.round(noopLoad.cpuUs),
      score_1row_cpu_us_per_req: Math.round(oneLoad.cpuUs),
      score_100row_cpu_us_per_req: Math.round(hundredLoad.cpuUs),
      score_1row_vs_noop: Math.round((oneLoad.rps / noopLoad.rps) * 1000) / 1000,
      // What decides requests/s when the server is CPU-bound: under 1.25 means >= 80 % of the no-op's.
      score_1row_cpu_vs_noop: Math.round((oneLoad.cpuUs / noopLoad.cpuUs) * 1000) / 1000,
      p50_ms_1row: oneLoad.p50,
      p50_ms_100row: hundredLoad.p50,
      p99_ms_100row: hundredLoad.p99,
      noop_p99_ms: noopLoad.p99,
      cold_starts_ms: colds.map((c) => Math.round(c)),
      connections: flags.connections,
      seconds_per_run: flags.duration,
    };
    if (flags.json) {
      console.log(JSON.stringify(summary));
      return;
    }
    console.log('');
    console.log('| scenario | req/s | p50 ms | p99 ms | server CPU us/req |');
    console.log('|---|--:|--:|--:|--:|');
    for (const s of scenarios) {
      const l = best.get(s.name)!;
      console.log(`| ${s.name} | ${Math.round(l.rps)} | ${l.p50} | ${l.p99} | ${Math.round(l.cpuUs)} |`);
    }
    console.log('');
    console.log(`serve 1-row at ${(summary.score_1row_vs_noop * 100).toFixed(1)} % of the no-op's requests/s (target >= 80 %); server CPU per request ${summary.score_1row_cpu_vs_noop.toFixed(2)}x the no-op's (under 1.25x is >= 80 % on a CPU-bound server)`);
    console.log(`cold start (spawn -> first 200 from POST /score, model loaded): median ${summary.cold_start_ms} ms of ${colds.map((c) => Math.round(c)).join(', ')} (target < 500 ms), ${summary.cold_start_cpu_ms} ms of CPU; the no-op's: ${summary.noop_cold_start_ms} ms, ${summary.noop_cold_start_cpu_ms} ms of CPU`);
  } finally {
    for (const r of running) await stop(r);
    rmSync(store, { recursive: true, force: true });
  }
}

void runCli(main);
