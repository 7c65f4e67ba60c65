import { FEATURE_NAMES } from '../../../shared/features/feature_spec';
import { memoryLogger } from '../../../shared/logging';
import { openRegistry } from '../../../shared/model_registry/registry';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { groundTruthFromSimulator } from '../../../shared/train/simulator_truth';
import { trainModel, type TrainDeps } from '../../../shared/train/train_model';
import { truthDetectionLines } from '../../../shared/train/truth_detection_text';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

/*
 * A hand-built mart: one source, five pools, 72 hours; the newest 24 are the evaluation part.
 * Training rows have features spread in [-1, 1]; evaluation rows are all 0 (no rule matches, and
 * the forest alone never posts under the default policy) except the rows below, so which hours
 * alert is known by construction:
 *
 *   p0  rug pull injected at S+5 h; rug-pull features at S+6 h and S+7 h -> one post at S+6 h (delay 2 h), S+7 h same episode
 *   p1  no event; rug-pull features at S+10 h                            -> a false post
 *   p2  liquidity drain injected at S+12 h .. S+13 h; nothing alerts     -> missed
 *   p3  mispriced token at S+15 h; dq_mispriced_price that hour          -> a data error in the hour (routed)
 *   p4  volume spike injected at S+20 h; volume x20 and tx x7 that hour  -> a high spike, posted (delay 1 h)
 *
 * By hand: posted market alerts 3 (p0, p1, p4), true 2 -> precision 2/3; false 1 over 5 pools
 * and 1 day -> 200 per 1,000 pools per day; mispriced routed 1 of 1.
 */
const END = Date.parse('2026-11-01T00:00:00Z') / 1000;
const H = 3600;
const S = END - 24 * H;
const OPTIONS = { windowDays: 3, evalDays: 1, windowEnd: '2026-11-01T00:00:00Z', trees: 50, samples: 64, trainRows: 100, seed: 3, targetAlertRate: 0.001 };

function feature(name: string, special: Readonly<Record<string, string>>): string {
  const train = `((hash(CONCAT('${name}|', p.i, '|', h.i)) % 2001) / 1000.0 - 1)`;
  const cases = Object.entries(special).map(([when, value]) => `WHEN ${when} THEN ${value}`).join(' ');
  return `CASE WHEN h.i < 48 THEN ${train} ${cases} ELSE 0 END AS ${name}`;
}

async function handMart(): Promise<DuckDbWarehouse> {
  const wh = await DuckDbWarehouse.open();
  const at = (pool: number, hourAfterS: number) => `(p.i = ${pool} AND h.i = ${48 + hourAfterS})`;
  const rug = `${at(0, 6)} OR ${at(0, 7)} OR ${at(1, 10)}`;
  const special: Record<string, Record<string, string>> = {
    tvl_log_change_1h: { [rug]: '-3' },
    swap_rate_log_change_1h: { [rug]: '-2' },
    volume_vs_usual: { [at(4, 20)]: '3' },
    tx_vs_usual: { [at(4, 20)]: '2' },
  };
  const mispriced = at(3, 15);
  await wh.query('CREATE SCHEMA IF NOT EXISTS dex_anomaly');
  await wh.query(`CREATE TABLE dex_anomaly.mart_pool_features_labeled AS
SELECT 'uni' AS source, 'uniswap_v3' AS dex, 'ethereum' AS chain, CONCAT('p', p.i) AS pool_id,
  TIMESTAMP '2026-10-29 00:00:00' + INTERVAL (h.i) HOUR AS hour_ts, CAST(200 + h.i AS BIGINT) AS history_hours, TRUE AS is_warm,
  ${mispriced} AS is_data_error, ${mispriced} AS dq_mispriced_price, FALSE AS dq_negative_tvl, FALSE AS dq_usd_zero_tokens_nonzero,
  (${rug} OR ${at(4, 20)}) AS y,
  ${FEATURE_NAMES.map((n) => feature(n, special[n] ?? {})).join(',\n  ')}
FROM range(5) AS p(i) CROSS JOIN range(72) AS h(i)`);
  return wh;
}

const TRUTH = {
  seed: 1,
  anomalies: [
    { subgraph: 'uniswap-v3', pool: 'P0', type: 'rug_pull', hours: [S + 5 * H], magnitude: 0.99 },
    { subgraph: 'uniswap-v3', pool: 'p2', type: 'liquidity_drain', hours: [S + 12 * H, S + 13 * H], magnitude: 0.8 },
    { subgraph: 'uniswap-v3', pool: 'p3', type: 'mispriced_token', hours: [S + 15 * H], magnitude: 1000 },
    { subgraph: 'uniswap-v3', pool: 'p4', type: 'volume_spike', hours: [S + 20 * H, S + 21 * H], magnitude: 20 },
    // Its onset is before the evaluation days: not counted.
    { subgraph: 'uniswap-v3', pool: 'p1', type: 'volume_spike', hours: [S - 30 * H], magnitude: 20 },
  ],
};

describe('train evaluates detection against a ground truth', () => {
  let wh: DuckDbWarehouse;
  beforeAll(async () => {
    wh = await handMart();
  });
  afterAll(async () => {
    await wh.close();
  });
  const deps = (store: MemoryStore, extra: Partial<TrainDeps> = {}): TrainDeps => ({ warehouse: wh, store, now: () => new Date(END * 1000), logger: memoryLogger(), codeVersion: 'test', ...extra });

  test('the figures computed by hand, in the result, metrics.json and model_runs', async () => {
    const store = new MemoryStore();
    const truth = groundTruthFromSimulator(TRUTH, { 'uniswap-v3': 'uni' });
    const result = await trainModel(deps(store, { groundTruth: truth }), OPTIONS);
    const d = result.truthDetection;
    if (!d.available) throw new Error(`expected figures, got: ${d.note}`);
    expect(d.window).toEqual({ from: S, to: END - H, hours: 24, pools: 5, rows: 120 });
    expect(d.policy.scoreThreshold).toBe(result.threshold);
    const f = d.figures;
    expect(f.types).toEqual({
      volume_spike: { events: 1, caught_1h: 1, caught_2h: 1, caught_24h: 1, median_delay_h: 1 },
      liquidity_drain: { events: 1, caught_1h: 0, caught_2h: 0, caught_24h: 0, median_delay_h: null },
      abandonment: { events: 0, caught_1h: 0, caught_2h: 0, caught_24h: 0, median_delay_h: null },
      rug_pull: { events: 1, caught_1h: 0, caught_2h: 1, caught_24h: 1, median_delay_h: 2 },
      mispriced_token: { events: 1, caught_1h: 1, caught_2h: 1, caught_24h: 1, median_delay_h: 1 },
    });
    expect([f.alerts_posted, f.alerts_true, f.false_alerts, f.false_by_type]).toEqual([3, 2, 1, { rug_pull: 1 }]);
    expect(f.alert_precision).toBeCloseTo(2 / 3, 12);
    expect(f.alerts_per_1000_pools_day).toBeCloseTo(200, 9);
    expect([f.mispriced_as_data_error, f.data_error_posts]).toEqual([1, 1]);
    expect(truthDetectionLines(d)).toEqual(expect.arrayContaining(['| rug_pull | 1 | 0 | 1 | 2.0 |', '| liquidity_drain | 1 | 0 | 0 | - |']));

    const stored = await openRegistry(store, 'pool-hour-iforest').readVersion(result.version);
    expect(stored.metrics.truthDetection).toEqual(d);
    const [run] = await wh.query('SELECT truth_market_events, truth_market_caught_1h, truth_market_caught_2h, truth_alert_precision, truth_false_alerts_per_1000_pools_day, truth_mispriced_as_data_error FROM dex_ops.model_runs WHERE run_id = @id', { id: result.runId });
    expect(run).toEqual({ truth_market_events: 3, truth_market_caught_1h: 1, truth_market_caught_2h: 2, truth_alert_precision: f.alert_precision, truth_false_alerts_per_1000_pools_day: f.alerts_per_1000_pools_day, truth_mispriced_as_data_error: 1 });
  });

  test('without a ground truth the evaluation says so, and the gate decides the same', async () => {
    const truth = groundTruthFromSimulator(TRUTH, { 'uniswap-v3': 'uni' });
    const [withTruth, without] = [new MemoryStore(), new MemoryStore()];
    await trainModel(deps(withTruth, { groundTruth: truth }), OPTIONS);
    await trainModel(deps(without), OPTIONS);
    const later = { now: () => new Date(END * 1000 + 60_000) };
    const a = await trainModel(deps(withTruth, { ...later, groundTruth: truth }), { ...OPTIONS, seed: 4 });
    const b = await trainModel(deps(without, later), { ...OPTIONS, seed: 4 });
    expect(b.truthDetection).toEqual({ available: false, note: 'no ground truth (only the local simulator has one): detection figures not computed' });
    expect(b.groundTruth).toBeNull();
    expect(truthDetectionLines(b.truthDetection)).toEqual(['ground truth: no ground truth (only the local simulator has one): detection figures not computed']);
    expect([b.promoted, b.reason]).toEqual([a.promoted, a.reason]);
    const stored = await openRegistry(without, 'pool-hour-iforest').readVersion(b.version);
    expect(stored.metrics.truthDetection).toEqual(b.truthDetection);
    const [run] = await wh.query('SELECT truth_market_events, truth_alert_precision FROM dex_ops.model_runs WHERE run_id = @id', { id: b.runId });
    expect(run).toEqual({ truth_market_events: null, truth_alert_precision: null });
  });
});
