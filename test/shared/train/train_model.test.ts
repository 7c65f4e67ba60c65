import { ModelFileError, NotReadyError, InvalidInputError, PreconditionFailedError } from '../../../shared/errors';
import { FEATURE_NAMES } from '../../../shared/features/feature_spec';
import { parseModelFile } from '../../../shared/iforest/model_file';
import { memoryLogger } from '../../../shared/logging';
import { openRegistry } from '../../../shared/model_registry/registry';
import { aliasKey } from '../../../shared/model_registry/registry_layout';
import { MemoryStore } from '../../../shared/storage/memory_store';
import type { ObjectStore, WriteOptions } from '../../../shared/storage/object_store';
import { trainModel, type TrainDeps } from '../../../shared/train/train_model';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { createSyntheticMart } from '../../helpers/synthetic_mart';

const END = '2026-11-01T00:00:00Z';
const NOW = new Date('2026-11-01T00:20:00Z');
const OPTIONS = { windowDays: 10, evalDays: 3, trees: 50, trainRows: 3000, seed: 7, targetAlertRate: 0.01 };

async function martWarehouse(salt = 1): Promise<DuckDbWarehouse> {
  const wh = await DuckDbWarehouse.open();
  await createSyntheticMart(wh, { sources: ['uni', 'sushi'], poolsPerSource: 30, hours: 240, end: END, featureNames: FEATURE_NAMES, salt, dexAndChain: true });
  return wh;
}

function deps(warehouse: DuckDbWarehouse, store: ObjectStore, extra: Partial<TrainDeps> = {}): TrainDeps {
  return { warehouse, store, now: () => NOW, logger: memoryLogger(), codeVersion: 'test', ...extra };
}

describe('trainModel on a synthetic mart', () => {
  let wh: DuckDbWarehouse;
  beforeAll(async () => {
    wh = await martWarehouse();
  });
  afterAll(async () => {
    await wh.close();
  });

  test('the first model is trained on eligible rows only, evaluated, registered, promoted and recorded', async () => {
    const store = new MemoryStore();
    const result = await trainModel(deps(wh, store), OPTIONS);
    const [eligible] = await wh.query(`SELECT
      SUM(CASE WHEN hour_ts < TIMESTAMP '2026-10-29 00:00:00' THEN 1 ELSE 0 END) AS train, SUM(CASE WHEN hour_ts >= TIMESTAMP '2026-10-29 00:00:00' THEN 1 ELSE 0 END) AS eval
      FROM dex_anomaly.mart_pool_features_labeled WHERE is_warm AND NOT is_data_error AND hour_ts >= TIMESTAMP '2026-10-22 00:00:00'`);
    expect(result.window).toEqual({ start: '2026-10-22T00:00:00.000Z', evalStart: '2026-10-29T00:00:00.000Z', end: END.replace('Z', '.000Z') });
    expect(result.rows.trainWindow).toBe(Number(eligible!.train));
    expect(result.rows.evalWindow).toBe(Number(eligible!.eval));
    expect(result.rows.evaluation).toBe(Number(eligible!.eval));
    // About trainRows of the training part, sampled by hash.
    expect(result.rows.train).toBeGreaterThan(2700);
    expect(result.rows.train).toBeLessThan(3300);
    expect(result.promoted).toBe(true);
    expect(result.reason).toBe('first model: no production model to compare with');
    // Anomalies are shifted by +5 in every feature: the forest ranks them well above chance.
    expect(result.metrics.overall.rocAuc).toBeGreaterThan(0.95);
    expect(result.metrics.overall.prAuc).toBeGreaterThan(0.6);
    expect(Object.keys(result.metrics.bySource).sort()).toEqual(['sushi', 'uni']);
    expect(result.metrics.overall.hours).toBe(72);

    const registry = openRegistry(store, 'pool-hour-iforest');
    const stored = await registry.readVersion(result.version);
    expect(stored.metadata.featureNames).toEqual(FEATURE_NAMES);
    // The spike-confirmation threshold is the 0.5 % quantile: above this run's 1 % target threshold.
    expect(stored.metadata.threshold).toEqual({ value: result.threshold, scale: 'anomaly_score', targetAlertRate: 0.01, spikeConfirmValue: expect.any(Number) as number });
    expect(stored.metadata.threshold.spikeConfirmValue).toBeGreaterThan(result.threshold);
    expect(stored.metadata.rowCounts.trainRows).toBe(result.rows.train);
    const model = parseModelFile(stored.modelText);
    // Data-error rows hold 999 in every feature and no-warm rows are excluded: none reached training.
    expect(Math.max(...model.model.training.featureStats!.map((s) => s.max))).toBeLessThan(20);
    expect(model.treeCount).toBe(50);
    expect((await registry.productionAlias()).record?.version).toBe(result.version);

    const runs = await wh.query('SELECT action, version, promoted, decision_reason, train_rows, pr_auc FROM dex_ops.model_runs');
    expect(runs).toEqual([{ action: 'train', version: result.version, promoted: true, decision_reason: result.reason, train_rows: result.rows.train, pr_auc: result.metrics.overall.prAuc }]);
  });

  test('the same seed and data give the same model bytes; another seed another model', async () => {
    const [a, b, c] = [new MemoryStore(), new MemoryStore(), new MemoryStore()];
    const ra = await trainModel(deps(wh, a), OPTIONS);
    const rb = await trainModel(deps(wh, b), OPTIONS);
    const rc = await trainModel(deps(wh, c), { ...OPTIONS, seed: 8 });
    const text = async (s: ObjectStore, v: string): Promise<string> => (await openRegistry(s, 'pool-hour-iforest').readVersion(v)).modelText;
    expect(rb.version).toBe(ra.version);
    expect(await text(b, rb.version)).toBe(await text(a, ra.version));
    expect(await text(c, rc.version)).not.toBe(await text(a, ra.version));
  });

  test('a second run is judged against production on the same evaluation rows', async () => {
    const store = new MemoryStore();
    const first = await trainModel(deps(wh, store), OPTIONS);
    const second = await trainModel(deps(wh, store, { now: () => new Date('2026-11-01T00:40:00Z') }), { ...OPTIONS, seed: 9 });
    expect(second.productionBefore).toBe(first.version);
    expect(second.productionMetrics!.overall.rows).toBe(second.metrics.overall.rows);
    expect(second.productionMetrics!.overall.prAuc).toBeCloseTo(first.metrics.overall.prAuc!, 12);
    expect(second.reason).toMatch(/^(not worse than production|kept production)/);
    const alias = (await openRegistry(store, 'pool-hour-iforest').productionAlias()).record!;
    expect(alias.version).toBe(second.promoted ? second.version : first.version);
    const runs = await wh.query('SELECT production_before, promoted, decision_reason, production_pr_auc FROM dex_ops.model_runs WHERE run_id = @id', { id: second.runId });
    expect(runs).toEqual([{ production_before: first.version, promoted: second.promoted, decision_reason: second.reason, production_pr_auc: second.productionMetrics!.overall.prAuc }]);
  });

  test('a production model trained on other features is replaced, naming the features', async () => {
    const store = new MemoryStore();
    const narrow = FEATURE_NAMES.slice(0, 3);
    await trainModel(deps(wh, store, { featureNames: narrow }), OPTIONS);
    const registry = openRegistry(store, 'pool-hour-iforest');
    await expect(registry.loadProductionModel(FEATURE_NAMES)).rejects.toThrow(ModelFileError);
    await expect(registry.loadProductionModel(FEATURE_NAMES)).rejects.toThrow(`was trained on features [${narrow.join(', ')}] but the mart has [${FEATURE_NAMES.join(', ')}]: the mart adds [${FEATURE_NAMES.slice(3).join(', ')}]`);
    const next = await trainModel(deps(wh, store, { now: () => new Date('2026-11-01T00:50:00Z') }), OPTIONS);
    expect(next.promoted).toBe(true);
    expect(next.reason).toContain('cannot score the current mart');
  });

  test('ground truth, where known, is scored too', async () => {
    const truth = (source: string, pool: string): boolean => source === 'uni' && pool.endsWith('_3');
    const result = await trainModel(deps(wh, new MemoryStore(), { groundTruth: { events: [], isAnomalous: truth } }), OPTIONS);
    const [n] = await wh.query(`SELECT COUNT(*) AS n FROM dex_anomaly.mart_pool_features_labeled
      WHERE is_warm AND NOT is_data_error AND hour_ts >= TIMESTAMP '2026-10-29 00:00:00' AND source = 'uni' AND pool_id LIKE '%\\_3' ESCAPE '\\'`);
    expect(result.groundTruth!.overall.positives).toBe(Number(n!.n));
  });

  test('beyond evalMaxRows whole hours are sampled, every pool of each', async () => {
    const result = await trainModel(deps(wh, new MemoryStore()), { ...OPTIONS, evalMaxRows: 1000 });
    const { hours, rows } = result.metrics.overall;
    expect(result.rows.evalWindow).toBeGreaterThan(4000);
    expect(hours).toBeGreaterThan(5);
    expect(hours).toBeLessThan(40);
    // 60 pools an hour, less the 1 % flagged as data errors.
    expect(rows / hours).toBeGreaterThan(57);
    expect(rows / hours).toBeLessThanOrEqual(60);
  });

  test('an empty window is NotReady, a bad option InvalidInput', async () => {
    await expect(trainModel(deps(wh, new MemoryStore()), { ...OPTIONS, windowEnd: '2025-01-01T00:00:00Z' })).rejects.toThrow(NotReadyError);
    await expect(trainModel(deps(wh, new MemoryStore()), { ...OPTIONS, windowEnd: '2025-01-01T00:00:00Z' })).rejects.toThrow('the mart has no eligible rows (warm, no data error) in the window 2024-12-22T00:00:00.000Z .. 2025-01-01T00:00:00.000Z');
    await expect(trainModel(deps(wh, new MemoryStore()), { ...OPTIONS, evalDays: 10 })).rejects.toThrow("invalid training option 'evalDays': evalDays must be smaller than windowDays");
    await expect(trainModel(deps(wh, new MemoryStore()), { ...OPTIONS, trees: 0 })).rejects.toThrow(InvalidInputError);
  });
});

/** A store that lets another writer move the production alias just before this one writes it. */
class InterleavingStore extends MemoryStore {
  interloper: (() => Promise<void>) | null = null;
  override async write(key: string, data: Buffer, options?: WriteOptions): Promise<{ generation: string }> {
    if (key.endsWith('production.json') && this.interloper) {
      const run = this.interloper;
      this.interloper = null;
      await run();
    }
    return super.write(key, data, options);
  }
}

describe('two trainers at once', () => {
  test('a promotion that lost the race decides again against the new production; nothing is lost', async () => {
    const [wh1, wh2] = [await martWarehouse(), await martWarehouse()];
    try {
      const store = new InterleavingStore();
      let other = '';
      store.interloper = async () => {
        other = (await trainModel(deps(wh2, store, { now: () => new Date('2026-11-01T00:30:00Z') }), { ...OPTIONS, seed: 11 })).version;
      };
      const mine = await trainModel(deps(wh1, store), OPTIONS);
      const alias = (await openRegistry(store, 'pool-hour-iforest').productionAlias()).record!;
      expect(mine.productionBefore).toBe(other);
      if (mine.promoted) expect([alias.version, alias.history.map((h) => h.version)]).toEqual([mine.version, [other]]);
      else expect([alias.version, alias.history]).toEqual([other, []]);
    } finally {
      await wh1.close();
      await wh2.close();
    }
  });

  test('concurrent runs leave one valid alias pointing at a complete version', async () => {
    const whs = await Promise.all([1, 2, 3].map(() => martWarehouse()));
    try {
      const store = new MemoryStore();
      const results = await Promise.all(whs.map((wh, i) => trainModel(deps(wh, store, { now: () => new Date(NOW.getTime() + i * 60_000) }), { ...OPTIONS, seed: 20 + i })));
      const registry = openRegistry(store, 'pool-hour-iforest');
      const alias = (await registry.productionAlias()).record!;
      const promoted = results.filter((r) => r.promoted).map((r) => r.version);
      // Every promotion is in the alias or its history: none overwrote another unseen.
      expect([alias.version, ...alias.history.map((h) => h.version)].sort()).toEqual(promoted.sort());
      expect((await registry.listVersions()).map((v) => v.version).sort()).toEqual(results.map((r) => r.version).sort());
      expect((await store.read(aliasKey('pool-hour-iforest')))!.data.toString()).toContain(alias.version);
    } finally {
      await Promise.all(whs.map((wh) => wh.close()));
    }
  });

  test('a stale expected generation is refused', async () => {
    const wh = await martWarehouse();
    try {
      const store = new MemoryStore();
      const r = await trainModel(deps(wh, store), OPTIONS);
      await expect(openRegistry(store, 'pool-hour-iforest').promote(r.version, { expectedGeneration: '0', by: 'me', reason: 'x', now: NOW })).rejects.toThrow(PreconditionFailedError);
    } finally {
      await wh.close();
    }
  });
});
