import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type PipelineOptions, type PipelineProgress, type PipelineResult } from '../../../local/pipeline/run_pipeline';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { TEST_END_HOUR } from '../../helpers/local_subgraph';

const quiet: PipelineProgress = { step: () => undefined, tick: () => undefined, stepDone: () => undefined };
let dir: string;
let first: PipelineResult;
let options: PipelineOptions;

async function scoresAndAlerts(lake: string): Promise<{ scores: Record<string, unknown>[]; alerts: Record<string, unknown>[] }> {
  const wh = await DuckDbWarehouse.open(join(lake, 'warehouse.duckdb'));
  try {
    return {
      scores: await wh.query('SELECT source, pool_id, hour_ts, score, is_anomaly, alert_type FROM `dex_anomaly.pool_scores` ORDER BY source, pool_id, hour_ts'),
      alerts: await wh.query('SELECT alert_id, source, pool_id, alert_type, hour_ts FROM `dex_anomaly.alerts` ORDER BY alert_id'),
    };
  } finally {
    await wh.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipeline-e2e-'));
  options = { pools: 20, days: 10, seed: 3, outDir: dir, endHour: TEST_END_HOUR, subgraph: 'in-process' };
  first = await runPipeline(options, quiet);
}, 600_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('every pool-hour of the scored window is scored exactly once', async () => {
  const { scores } = await scoresAndAlerts(first.lakeDir);
  const keys = scores.map((s) => `${String(s.source)}/${String(s.pool_id)}@${String(s.hour_ts)}`);
  expect(new Set(keys).size).toBe(keys.length);
  const hours = new Set(scores.map((s) => String(s.hour_ts)));
  expect(hours.size).toBe(first.scored.length);
  expect(first.scored.length).toBe(3 * 24);
  expect(scores.length).toBe(first.scored.reduce((n, h) => n + h.pools, 0));
});

test('the injected rug pull and mispriced token of the scored days are caught; precision is reported', () => {
  const d = first.detection!;
  // Bars set from this configuration's run (seed 3, 20 pools x 10 days): what the default policy achieves on it.
  expect(d.types.rug_pull.events).toBeGreaterThan(0);
  expect(d.types.rug_pull.caught_2h).toBe(d.types.rug_pull.events);
  expect(d.mispriced_as_data_error).toBe(1);
  expect(d.alert_precision).not.toBeNull();
});

test("the train step evaluates its model against the simulator's truth on its own evaluation day", () => {
  const d = first.trained.truthDetection;
  if (!d.available) throw new Error(`expected detection figures, got: ${d.note}`);
  // 10 days: the newest 3 scored; train's window is the 7 before, its last day (24 hours of 3 x 20 pools) evaluated.
  expect(d.window).toEqual({ from: first.scoreFrom - 24 * 3600, to: first.scoreFrom - 3600, hours: 24, pools: 60, rows: 24 * 60 });
  expect(d.policy.scoreThreshold).toBe(first.trained.threshold);
  const events = Object.values(d.figures.types).reduce((n, t) => n + t.events, 0);
  expect(events).toBeGreaterThanOrEqual(d.figures.types.rug_pull.caught_24h);
});

test('the report and the alert file are written', () => {
  expect(readFileSync(first.reportFile, 'utf8')).toContain('dex-anomaly run report');
  expect(readFileSync(first.alertsFile, 'utf8').trim().split('\n').length).toBeGreaterThan(0);
});

test('a second run gives identical scores and alerts and posts nothing again', async () => {
  const before = await scoresAndAlerts(first.lakeDir);
  const posted = readFileSync(first.alertsFile, 'utf8');
  const second = await runPipeline(options, quiet);
  expect(second.scored.reduce((n, h) => n + h.published.alerts.newAlerts, 0)).toBe(0);
  expect(await scoresAndAlerts(second.lakeDir)).toEqual(before);
  expect(readFileSync(first.alertsFile, 'utf8')).toBe(posted);
}, 600_000);

test('a store made by another simulation is refused, saying what differs', async () => {
  await expect(runPipeline({ ...options, pools: 21 }, quiet)).rejects.toThrow('pools: the store has 20, this run asks for 21');
});
