/**
 * npm run bench:serve [-- --duration 1 --connections 10 --rounds 15 --cold-starts 5 --json]
 *
 * Builds the serve bundle (as deployed) and starts it in the Functions Framework (its own
 * `functions-framework` entry point, NODE_ENV=production) on loopback, configured as terraform
 * deploys it: no pinned model, so it follows the registry's `production` alias, which points at
 * a production-sized model (train's default trees and samples, fitted on synthetic rows of the
 * project's features) published into a temporary folder store with the registry's own calls, as
 * train publishes; an API key secret (SERVE_API_KEY_SECRET, read through the env secrets
 * backend), sent as x-api-key on every request. A no-op function on the same framework gets the
 * same requests. autocannon drives them in paired rounds: the no-op and serve with 1-row bodies
 * back to back (which goes first alternates), then serve with 100-row bodies. The headline is
 * the median over rounds of the per-round ratio serve / no-op (the machine is shared: the no-op
 * alone swings 1.7x between rounds, and a pair sees the same neighbours); best rounds are shown
 * next to it, with the server process's CPU time per request. Cold start: from process spawn to
 * the first 200 from POST /score (model loaded), median of several spawns, interleaved with the
 * no-op's.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { DEFAULT_SPIKE_CONFIRM_RATE } from '../../shared/alerting/alert_policy';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { IsolationForest, matrixFromArrays, serializeModel } from '../../shared/iforest';
import { evaluateScores } from '../../shared/metrics/evaluation';
import { openRegistry } from '../../shared/model_registry/registry';
import { versionId } from '../../shared/model_registry/registry_layout';
import { featureHash, type VersionMetadata, type VersionMetrics } from '../../shared/model_registry/version_metadata';
import { Rng } from '../../shared/rng';
import { secretEnvName } from '../../shared/secrets/secrets';
import type { ObjectStore } from '../../shared/storage/object_store';
import { openObjectStore } from '../../shared/storage/open_store';
import { alertThreshold } from '../../shared/train/alert_threshold';
import { parseTrainOptions } from '../../shared/train/train_options';
import { buildFunctions } from '../build_functions';
import { parseCliArgs, runCli } from '../cli_args';

const REPO = resolve(__dirname, '..', '..');
const FRAMEWORK_MAIN = join(REPO, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
/** Where `--model-source file` pins the same model (SERVE_MODEL_KEY), as before the registry. */
const PINNED_MODEL_KEY = 'models/default/production.json';
/** The secret name terraform gives serve (terraform/modules/system/main.tf). */
const API_KEY_SECRET = 'serve-api-key';
/** Load on each scenario before the measured rounds. */
const WARM_UP_SECONDS = 2;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

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

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One paired round's figures for one side: requests/s and server CPU per request (us). */
export interface SideFigures {
  readonly rps: number;
  readonly cpuUs: number;
}

export interface PairedRatios {
  /** serve rps / no-op rps, one per round, in round order. */
  readonly rpsRatios: number[];
  /** serve CPU per request / no-op CPU per request, one per round. */
  readonly cpuRatios: number[];
  readonly rpsMedian: number;
  readonly cpuMedian: number;
}

/**
 * Per-round ratios of serve to the no-op and their medians. Both sides of a round ran back to
 * back, so a neighbour's load that halves one round's requests/s halves both and cancels out.
 */
export function pairedRatios(rounds: readonly { readonly noop: SideFigures; readonly serve: SideFigures }[]): PairedRatios {
  const rpsRatios = rounds.map((r) => r.serve.rps / r.noop.rps);
  const cpuRatios = rounds.map((r) => r.serve.cpuUs / r.noop.cpuUs);
  return { rpsRatios, cpuRatios, rpsMedian: median(rpsRatios), cpuMedian: median(cpuRatios) };
}

/** Which side of a pair runs first in a round: the no-op in even rounds, serve in odd ones. */
export function pairOrder<T>(round: number, noop: T, serve: T): [T, T] {
  return round % 2 === 0 ? [noop, serve] : [serve, noop];
}

export interface PublishedModel {
  readonly modelName: string;
  readonly version: string;
  readonly trees: number;
  readonly modelText: string;
}

/** Synthetic rows of every feature drawn around 0, one in ten far out (and labelled so). */
function syntheticRows(rows: number, rng: Rng): { values: number[][]; labels: Uint8Array } {
  const labels = new Uint8Array(rows);
  const values = Array.from({ length: rows }, (_, i) => {
    const far = i % 10 === 0;
    labels[i] = far ? 1 : 0;
    return FEATURE_NAMES.map(() => rng.nextNormal() * (far ? 4 : 1));
  });
  return { values, labels };
}

/**
 * Fits a model of train's default size (trees, samples, seed) on synthetic rows and publishes it
 * as train does: the version's files through the registry, then the `production` alias moved to
 * it under the alias's generation. The metadata carries what train's would (threshold at the
 * target alert rate, spike-confirm value, feature hash, SHA-256), with a synthetic window.
 */
export async function publishBenchModel(store: ObjectStore, now: Date, trainingRows = 5000): Promise<PublishedModel> {
  const options = parseTrainOptions({});
  const rng = new Rng(7);
  const names = FEATURE_NAMES;
  const end = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const window = { start: new Date(end.getTime() - options.windowDays * DAY_MS).toISOString(), evalStart: new Date(end.getTime() - options.evalDays * DAY_MS).toISOString(), end: end.toISOString() };
  const training = matrixFromArrays(names, syntheticRows(trainingRows, rng).values);
  const fingerprint = `sha256:${createHash('sha256').update(JSON.stringify(names)).update(new Uint8Array(training.values.buffer, training.values.byteOffset, training.values.byteLength)).digest('hex')}`;
  const forest = IsolationForest.fit(training, { nEstimators: options.trees, maxSamples: options.samples, seed: options.seed }, { modelName: options.modelName, windowStart: window.start, evalStart: window.evalStart, trainingFingerprint: fingerprint });
  const anomalyScores = (matrix: typeof training) => forest.scoreSamples(matrix).map((s) => -s);
  const trainingScores = anomalyScores(training);
  const threshold = alertThreshold(trainingScores, options.targetAlertRate);
  const modelText = serializeModel(forest.model);
  const modelSha256 = createHash('sha256').update(modelText).digest('hex');
  const version = versionId(now, modelSha256);

  const evalRows = syntheticRows(2000, rng);
  const evaluation = evaluateScores({ scores: anomalyScores(matrixFromArrays(names, evalRows.values)), labels: evalRows.labels, hours: Int32Array.from(evalRows.labels, (_, i) => i % 24), sources: new Uint16Array(evalRows.labels.length), sourceNames: ['bench'] }, threshold);
  const metrics: VersionMetrics = { window: { evalStart: window.evalStart, end: window.end }, challenger: evaluation, production: null, groundTruth: null };
  const metadata: VersionMetadata = {
    modelName: options.modelName,
    version,
    createdAt: now.toISOString(),
    origin: 'trained',
    producer: forest.model.training.producer,
    featureNames: [...names],
    featureHash: featureHash(names),
    modelSha256,
    window,
    rowCounts: { trainWindowRows: trainingRows, trainRows: trainingRows, evalWindowRows: evalRows.labels.length, evalRows: evalRows.labels.length, skippedNonFinite: 0 },
    trainingFingerprint: fingerprint,
    params: { ...forest.model.params, trainRowsRequested: options.trainRows, seedOfSample: options.seed },
    threshold: { value: threshold, scale: 'anomaly_score', targetAlertRate: options.targetAlertRate, spikeConfirmValue: alertThreshold(trainingScores, DEFAULT_SPIKE_CONFIRM_RATE) },
    codeVersion: 'bench:serve',
  };
  const registry = openRegistry(store, options.modelName);
  await registry.writeVersion(version, { modelText, metrics, metadata });
  const { generation } = await registry.productionAlias();
  await registry.promote(version, { expectedGeneration: generation, by: 'bench:serve', reason: 'bench model', now });
  return { modelName: options.modelName, version, trees: forest.treeCount, modelText };
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

/** Starts a function in the Functions Framework; resolves when POST `probe` (with `headers`) answers 200. */
async function startFunction(target: string, source: string, env: Record<string, string>, probe: string, headers: Record<string, string>, nodeFlags: readonly string[] = [], limitMs = 60_000): Promise<Running & { readyMs: number; readyCpuMs: number }> {
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
      const res = await fetch(`${url}/score`, { method: 'POST', headers, body: probe });
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

interface Load extends SideFigures {
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function drive(target: Running, body: string, headers: Record<string, string>, seconds: number, connections: number): Promise<Load> {
  const cpuBefore = cpuMs(target.child.pid);
  const result = await autocannon({ url: `${target.url}/score`, method: 'POST', headers, body, duration: seconds, connections });
  const cpuUs = ((cpuMs(target.child.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, cpuUs, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** Checks that serve answers what the deployed bundle must: the JSON 400 to malformed JSON, the JSON 401 without the key. */
async function checkErrorAnswers(serve: Running, headers: Record<string, string>): Promise<void> {
  // The deployed bundle answers what the framework rejects with the JSON error body too.
  const malformed = await fetch(`${serve.url}/score`, { method: 'POST', headers, body: '{"rows": [' });
  const malformedText = await malformed.text();
  if (malformed.status !== 400 || !malformedText.startsWith('{"error":{"kind":"invalid_input"')) throw new Error(`malformed JSON answered ${malformed.status} ${malformedText.slice(0, 100)}`);
  // Proves the key is checked on the path measured, not skipped.
  const keyless = await fetch(`${serve.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rows": []}' });
  const keylessText = await keyless.text();
  if (keyless.status !== 401 || !keylessText.startsWith('{"error":')) throw new Error(`POST /score without x-api-key answered ${keyless.status} ${keylessText.slice(0, 100)}`);
}

export const flagsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(30).default(1).describe('seconds per measured scenario run (short runs, many rounds: a burst of load from elsewhere then disturbs few rounds, and the median ignores them)'),
  connections: z.coerce.number().int().min(1).max(100).default(10).describe('concurrent connections'),
  rounds: z.coerce.number().int().min(1, 'must be at least 1: each round pairs the no-op and serve').max(40).default(15).describe('paired rounds (no-op and serve 1-row back to back, then serve 100-row); the median per-round ratio is the headline'),
  'cold-starts': z.coerce.number().int().min(1, 'must be at least 1 spawn of each function').max(20).default(5).describe('spawns of each function measured for the cold start, interleaved (median reported)'),
  'model-source': z.enum(['registry', 'file']).default('registry').describe("registry: follow the production alias, as deployed; file: pin the same model's file with SERVE_MODEL_KEY (for comparison)"),
  json: z.boolean().default(false).describe('print one JSON object'),
  'cpu-prof': z.string().min(1).optional().describe('folder: write a V8 CPU profile (.cpuprofile) of every serve process there (node --cpu-prof)'),
});

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  const flags = parseCliArgs(flagsSchema, process.argv.slice(2), { usage: 'npm run bench:serve -- [flags]', summary: 'Requests/s and latency of the serve function (deployed configuration: registry alias, API key) against a no-op on the same framework, and its cold start.' });
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

    const objectStore = openObjectStore(store);
    const published = await publishBenchModel(objectStore, new Date());
    const apiKey = randomBytes(24).toString('base64url');
    // As terraform deploys serve (terraform/modules/system/main.tf), with the env secrets backend standing in for Secret Manager.
    const serveEnv: Record<string, string> = { DATA_STORE_URL: store, SECRETS_BACKEND: 'env', SERVE_API_KEY_SECRET: API_KEY_SECRET, [secretEnvName(API_KEY_SECRET)]: apiKey };
    if (flags['model-source'] === 'file') {
      await objectStore.write(PINNED_MODEL_KEY, Buffer.from(published.modelText));
      serveEnv.SERVE_MODEL_KEY = PINNED_MODEL_KEY;
    }
    const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
    const rng = new Rng(7);
    const one = bodyOf(1, rng);
    const hundred = bodyOf(100, rng);
    const source = flags['model-source'] === 'registry' ? `registry alias production -> ${published.modelName}/${published.version}` : `pinned file ${PINNED_MODEL_KEY} (SERVE_MODEL_KEY)`;
    log(`model: ${published.trees} trees, ${FEATURE_NAMES.length} features, ${source}; x-api-key on every request; bodies: 1 row ${one.length} B, 100 rows ${hundred.length} B`);

    const noop = await startFunction('noop', noopDir, {}, one, headers);
    running.push(noop);
    const profiled = flags['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(flags['cpu-prof'])}`];
    const serve = await startFunction('serve', built.dir, serveEnv, one, headers, profiled);
    running.push(serve);
    await checkErrorAnswers(serve, headers);

    const noopOne = { name: 'noop 1-row', target: noop, body: one };
    const serveOne = { name: 'serve 1-row', target: serve, body: one };
    const serveHundred = { name: 'serve 100-row', target: serve, body: hundred };
    const scenarios = [noopOne, serveOne, serveHundred];
    // Warm both processes' JITs (and the client's) before measuring: after 1 s each, the first
    // measured round still ran at about half the later rounds' requests/s, both sides alike.
    for (const s of scenarios) await drive(s.target, s.body, headers, WARM_UP_SECONDS, flags.connections);
    const loads = new Map<string, Load[]>(scenarios.map((s) => [s.name, []]));
    for (let round = 0; round < flags.rounds; round++) {
      for (const s of [...pairOrder(round, noopOne, serveOne), serveHundred]) {
        const load = await drive(s.target, s.body, headers, flags.duration, flags.connections);
        if (load.non2xx > 0 || load.errors > 0) throw new Error(`${s.name}: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
        log(`round ${round + 1} ${s.name.padEnd(14)} ${load.rps.toFixed(0).padStart(7)} req/s  p50 ${load.p50} ms  p99 ${load.p99} ms  server CPU ${load.cpuUs.toFixed(0)} us/req`);
        loads.get(s.name)!.push(load);
      }
    }
    for (const r of running.splice(0)) await stop(r);

    const colds: number[] = [];
    const coldCpus: number[] = [];
    const noopColds: number[] = [];
    const noopColdCpus: number[] = [];
    const spawnServe = async () => {
      const fresh = await startFunction('serve', built.dir, serveEnv, one, headers, profiled);
      colds.push(fresh.readyMs);
      coldCpus.push(fresh.readyCpuMs);
      await stop(fresh);
    };
    const spawnNoop = async () => {
      const fresh = await startFunction('noop', noopDir, {}, one, headers);
      noopColds.push(fresh.readyMs);
      noopColdCpus.push(fresh.readyCpuMs);
      await stop(fresh);
    };
    for (let i = 0; i < flags['cold-starts']; i++) {
      for (const spawnOne of pairOrder(i + 1, spawnNoop, spawnServe)) await spawnOne();
    }

    const noopLoads = loads.get(noopOne.name)!;
    const oneLoads = loads.get(serveOne.name)!;
    const hundredLoads = loads.get(serveHundred.name)!;
    const best = (xs: Load[]) => xs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const noopLoad = best(noopLoads);
    const oneLoad = best(oneLoads);
    const hundredLoad = best(hundredLoads);
    const paired = pairedRatios(noopLoads.map((noopRound, i) => ({ noop: noopRound, serve: oneLoads[i]! })));
    const summary = {
      noop_rps: Math.round(noopLoad.rps),
      score_1row_rps: Math.round(oneLoad.rps),
      score_100row_rps: Math.round(hundredLoad.rps),
      p99_ms_1row: oneLoad.p99,
      cold_start_ms: Math.round(median(colds)),
      cold_start_cpu_ms: Math.round(median(coldCpus)),
      noop_cold_start_ms: Math.round(median(noopColds)),
      noop_cold_start_cpu_ms: Math.round(median(noopColdCpus)),
      noop_cpu_us_per_req: Math.round(noopLoad.cpuUs),
      score_1row_cpu_us_per_req: Math.round(oneLoad.cpuUs),
      score_100row_cpu_us_per_req: Math.round(hundredLoad.cpuUs),
      // Best round of each side, as before; the median paired ratio below is the robust one.
      score_1row_vs_noop: round3(oneLoad.rps / noopLoad.rps),
      // What decides requests/s when the server is CPU-bound: under 1.25 means >= 80 % of the no-op's.
      score_1row_cpu_vs_noop: round3(oneLoad.cpuUs / noopLoad.cpuUs),
      score_1row_vs_noop_median: round3(paired.rpsMedian),
      score_1row_cpu_vs_noop_median: round3(paired.cpuMedian),
      rounds: flags.rounds,
      score_1row_vs_noop_rounds: paired.rpsRatios.map(round3),
      score_1row_cpu_vs_noop_rounds: paired.cpuRatios.map(round3),
      noop_rps_rounds: noopLoads.map((l) => Math.round(l.rps)),
      score_1row_rps_rounds: oneLoads.map((l) => Math.round(l.rps)),
      score_100row_rps_rounds: hundredLoads.map((l) => Math.round(l.rps)),
      noop_cpu_us_per_req_median: Math.round(median(noopLoads.map((l) => l.cpuUs))),
      score_1row_cpu_us_per_req_median: Math.round(median(oneLoads.map((l) => l.cpuUs))),
      score_100row_cpu_us_per_req_median: Math.round(median(hundredLoads.map((l) => l.cpuUs))),
      p50_ms_1row: oneLoad.p50,
      p50_ms_100row: hundredLoad.p50,
      p99_ms_100row: hundredLoad.p99,
      noop_p99_ms: noopLoad.p99,
      cold_starts_ms: colds.map((c) => Math.round(c)),
      noop_cold_starts_ms: noopColds.map((c) => Math.round(c)),
      model_source: flags['model-source'],
      model_version: published.version,
      connections: flags.connections,
      seconds_per_run: flags.duration,
    };
    if (flags.json) {
      console.log(JSON.stringify(summary));
      return;
    }
    console.log('');
    console.log(`| scenario | best req/s | median req/s | p50 ms | p99 ms | server CPU us/req (best round) | median CPU us/req |`);
    console.log('|---|--:|--:|--:|--:|--:|--:|');
    for (const s of scenarios) {
      const rounds = loads.get(s.name)!;
      const l = best(rounds);
      console.log(`| ${s.name} | ${Math.round(l.rps)} | ${Math.round(median(rounds.map((r) => r.rps)))} | ${l.p50} | ${l.p99} | ${Math.round(l.cpuUs)} | ${Math.round(median(rounds.map((r) => r.cpuUs)))} |`);
    }
    console.log('');
    console.log(`serve 1-row at ${percent(paired.rpsMedian)} of the no-op's requests/s: median of ${flags.rounds} paired rounds (${paired.rpsRatios.map(percent).join(', ')}; target >= 80 %); best rounds ${percent(summary.score_1row_vs_noop)}`);
    console.log(`server CPU per 1-row request ${paired.cpuMedian.toFixed(2)}x the no-op's: median of the paired rounds (${paired.cpuRatios.map((r) => r.toFixed(2)).join(', ')}; under 1.25x is >= 80 % on a CPU-bound server); best rounds ${summary.score_1row_cpu_vs_noop.toFixed(2)}x`);
    console.log(`cold start (spawn -> first 200 from POST /score, model loaded${flags['model-source'] === 'registry' ? ' through the registry alias, API key read' : ' from the pinned file'}): median ${summary.cold_start_ms} ms of ${summary.cold_starts_ms.join(', ')} (target < 500 ms), ${summary.cold_start_cpu_ms} ms of CPU; the no-op's: median ${summary.noop_cold_start_ms} ms of ${summary.noop_cold_starts_ms.join(', ')}, ${summary.noop_cold_start_cpu_ms} ms of CPU`);
  } finally {
    for (const r of running) await stop(r);
    rmSync(store, { recursive: true, force: true });
  }
}

if (require.main === module) void runCli(main);
