import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type PipelineOptions, type PipelineProgress, type PipelineResult } from '../../../local/pipeline/run_pipeline';
import { readReplayDir } from '../../../local/replay/read_replay';
import { FIXTURE_DIR } from '../../fixtures/replay/generate_fixture';
import { TEST_END_HOUR } from '../../helpers/local_subgraph';

const quiet: PipelineProgress = { step: () => undefined, tick: () => undefined, stepDone: () => undefined };
/** Hand-written: two real spikes and the mispriced token of the fixture, a rug pull that never happened, an event of a subgraph the replay lacks. */
const TRUTH = join(__dirname, '..', '..', 'fixtures', 'replay', 'truth.json');
let dir: string;
let outDir: string;
let result: PipelineResult;
// pools, days, seed and endHour are the simulation's: a replay takes its own from the data.
const base: PipelineOptions = { pools: 999, days: 99, seed: 42, outDir: '', endHour: Date.UTC(2030, 0, 1) / 1000, subgraph: 'in-process' };
const replayRun = (): PipelineOptions => ({ ...base, outDir, replay: { dir: FIXTURE_DIR }, truthFile: TRUTH });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipeline-replay-'));
  outDir = join(dir, 'out');
  result = await runPipeline(replayRun(), quiet);
}, 600_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the replay runs the whole pipeline over its own window: 10 days, the newest 3 scored, its 7 pools', () => {
  expect(result.fetchedRows).toBe(1593);
  // Only the two kinds the replay holds are fetched: 2 x 240 hours.
  expect(result.fetchedHours).toBe(480);
  expect(result.scored.length).toBe(72);
  expect(result.scoreFrom).toBe(Date.UTC(2026, 10, 22, 0) / 1000);
  expect(result.scored.reduce((n, h) => n + h.pools, 0)).toBe(7 * 72);
  expect(result.alerts.map((a) => `${a.source}/${a.pool.slice(0, 6)} ${a.type}`)).toEqual([
    'sushiswap-v2-ethereum/0x1ae1 liquidity_drain',
    'sushiswap-v2-ethereum/0xd26e liquidity_drain',
    'sushiswap-v2-ethereum/0xa332 volume_spike',
    'uniswap-v3-ethereum/0xb6c5 volume_spike',
    'uniswap-v3-ethereum/0x26ee data_error',
  ]);
  expect(existsSync(join(outDir, 'truth.json'))).toBe(false);
});

test('--truth judges the alerts against the given file', () => {
  const d = result.detection!;
  expect(result.truthFile).toBe(TRUTH);
  // Judged as bench:detect judges (shared/detection/stored_alerts.ts): every alerting hour of the pool counts from the onset on.
  expect(d.types.volume_spike).toEqual({ events: 2, caught_1h: 2, caught_2h: 2, caught_24h: 2, median_delay_h: 1 });
  expect(d.types.rug_pull).toEqual({ events: 1, caught_1h: 0, caught_2h: 0, caught_24h: 0, median_delay_h: null });
  expect(d.types.mispriced_token.caught_1h).toBe(1);
  // The sushiswap-v3 event has no source in this run; the two drains are not in this truth, so they count as false.
  expect(d.types.liquidity_drain.events).toBe(0);
  expect([d.alerts_posted, d.alerts_true, d.false_alerts, d.alert_precision]).toEqual([4, 2, 2, 0.5]);
  expect(d.false_by_type).toEqual({ liquidity_drain: 2 });
});

test('a simulation on a replayed store is refused, naming both', async () => {
  const digest = readReplayDir(FIXTURE_DIR).digest.slice(0, 12);
  await expect(runPipeline({ ...base, outDir }, quiet)).rejects.toThrow(`was made by other data (data: the store has the replay ${digest}, this run asks for a simulation); rerun with the store's values, add --fresh to clear it, or choose another --out`);
});

test('a store from before the training record (or the store identity) says to rerun with --fresh', async () => {
  rmSync(join(outDir, 'lake', 'state', 'pipeline', 'train_result.json'));
  await expect(runPipeline(replayRun(), quiet)).rejects.toThrow(`${join(outDir, 'lake')} holds a registered model but no record of the run that trained it (state/pipeline/train_result.json): it was made by an earlier version of the pipeline or by a run that stopped after training; rerun with --fresh to start it again`);
  rmSync(join(outDir, 'lake', 'store-identity.json'));
  await expect(runPipeline(replayRun(), quiet)).rejects.toThrow(/holds data \(.*\) but no store-identity\.json, so what made it is unknown; clear it with --fresh or choose another --out$/);
});

test('a missing replay folder or a bad truth file fails before anything runs', async () => {
  const out = join(dir, 'untouched');
  await expect(runPipeline({ ...base, outDir: out, replay: { dir: join(dir, 'nope') } }, quiet)).rejects.toThrow(`replay folder ${join(dir, 'nope')} does not exist`);
  const badTruth = join(dir, 'bad-truth.json');
  writeFileSync(badTruth, JSON.stringify({ anomalies: [{ subgraph: 'uniswap-v3', pool: '0xab', type: 'wash_trading', hours: [1795399200] }] }));
  await expect(runPipeline({ ...base, outDir: out, replay: { dir: FIXTURE_DIR }, truthFile: badTruth }, quiet)).rejects.toThrow(`truth file ${badTruth}: field 'anomalies.0.type': Invalid option: expected one of "volume_spike"|"liquidity_drain"|"abandonment"|"rug_pull"|"mispriced_token"`);
  await expect(runPipeline({ ...base, outDir: out, truthFile: join(dir, 'absent.json') }, quiet)).rejects.toThrow(`truth file ${join(dir, 'absent.json')} does not exist`);
  const short = join(dir, 'short-replay');
  mkdirSync(join(short, 'uniswap-v3'), { recursive: true });
  writeFileSync(join(short, 'uniswap-v3', 'poolHourDatas.jsonl'), readFileSync(join(FIXTURE_DIR, 'uniswap-v3', 'poolHourDatas.jsonl'), 'utf8').split('\n').slice(0, 20).join('\n'));
  await expect(runPipeline({ ...base, outDir: out, replay: { dir: short } }, quiet)).rejects.toThrow(`the replay in ${short} covers 1 day; the pipeline needs at least 3 (it trains on the older days and scores the newest third)`);
  expect(existsSync(out)).toBe(false);
});

test('--truth works on a simulation too: the given file replaces the simulator\'s truth', async () => {
  const truth = join(dir, 'one-event.json');
  // A rug pull on a pool the simulation does not have: one event, never caught, every posted market alert false.
  writeFileSync(truth, JSON.stringify({ anomalies: [{ subgraph: 'uniswap-v3', pool: '0x00000000000000000000000000000000000000aa', type: 'rug_pull', hours: [TEST_END_HOUR - 10 * 3600] }] }));
  const sim = await runPipeline({ pools: 4, days: 9, seed: 5, outDir: join(dir, 'sim'), endHour: TEST_END_HOUR, subgraph: 'in-process', truthFile: truth }, quiet);
  const d = sim.detection!;
  expect(sim.truthFile).toBe(truth);
  expect(existsSync(join(dir, 'sim', 'truth.json'))).toBe(true);
  expect(Object.values(d.types).reduce((n, t) => n + t.events, 0)).toBe(1);
  expect(d.types.rug_pull).toEqual({ events: 1, caught_1h: 0, caught_2h: 0, caught_24h: 0, median_delay_h: null });
  expect(d.alerts_true).toBe(0);
  expect(d.false_alerts).toBe(d.alerts_posted);
}, 600_000);
