import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { matrixFromArrays } from '../../../shared/iforest/feature_matrix';
import { parseModelFile } from '../../../shared/iforest/model_file';
import { memoryLogger } from '../../../shared/logging';
import { promoteByHand } from '../../../shared/model_registry/manual_promotion';
import { openRegistry } from '../../../shared/model_registry/registry';
import { MemoryStore } from '../../../shared/storage/memory_store';
import { importSklearnModel } from '../../../shared/train/import_sklearn_model';
import type { TrainDeps } from '../../../shared/train/train_model';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';
import { loadSklearnFixtures } from '../../helpers/sklearn_fixtures';
import { createSyntheticMart } from '../../helpers/synthetic_mart';

const NOW = new Date('2026-11-01T00:20:00Z');
// A ceiling, not a speed check: Python starts scikit-learn four times, slow on a busy shared machine.
const SLOW_MS = 300_000;
const OPTIONS = { windowDays: 10, evalDays: 3, trainRows: 2000, targetAlertRate: 0.01 };

async function setup(featureNames: string[]): Promise<{ wh: DuckDbWarehouse; store: MemoryStore; deps: TrainDeps }> {
  const wh = await DuckDbWarehouse.open();
  await createSyntheticMart(wh, { sources: ['uni'], poolsPerSource: 20, hours: 240, end: '2026-11-01T00:00:00Z', featureNames });
  const store = new MemoryStore();
  return { wh, store, deps: { warehouse: wh, store, now: () => NOW, logger: memoryLogger(), featureNames, triggeredBy: 'import by test' } };
}

describe.each(loadSklearnFixtures().map((f) => [f.file, f.json] as const))('%s', (_file, fixture) => {
  const names = Array.from({ length: fixture.n_features }, (_, i) => `feature_${i}`);

  test('imports as a version, evaluated, scoring as scikit-learn does, never promoted until a person does', async () => {
    const { wh, store, deps } = await setup(names);
    try {
      const result = await importSklearnModel(deps, fixture, names, OPTIONS);
      expect(result.promoted).toBe(false);
      expect(result.reason).toBe('imported model: registered and evaluated, never promoted automatically (npm run models -- promote <version>)');
      expect(result.metrics.overall.rows).toBe(result.rows.evalWindow);
      const registry = openRegistry(store, 'pool-hour-iforest');
      const stored = await registry.readVersion(result.version);
      expect([stored.metadata.origin, stored.metadata.producer]).toEqual(['imported', 'scikit-learn 1.2.1']);
      const scores = parseModelFile(stored.modelText).scoreSamples(matrixFromArrays(names, fixture.test.X));
      scores.forEach((s, i) => { expect(s).toBeCloseTo(fixture.test.score_samples[i]!, 12); });
      expect((await registry.productionAlias()).record).toBeNull();

      await promoteByHand({ store, warehouse: wh, now: () => NOW, logger: memoryLogger() }, { modelName: 'pool-hour-iforest', version: result.version, by: 'alice@example.com', reason: 'parity with the Python stack' });
      expect((await registry.loadProductionModel(names))!.version).toBe(result.version);
      const runs = await wh.query('SELECT action, promoted, triggered_by, decision_reason FROM dex_ops.model_runs ORDER BY run_at, action');
      expect(runs).toEqual([
        { action: 'import', promoted: false, triggered_by: 'import by test', decision_reason: result.reason },
        { action: 'promote', promoted: true, triggered_by: 'alice@example.com', decision_reason: 'promote by hand: parity with the Python stack' },
      ]);
    } finally {
      await wh.close();
    }
  }, SLOW_MS);
});

test('feature names that do not match the mart are refused, naming them', async () => {
  const fixture = loadSklearnFixtures().find((f) => f.json.n_features === 3)!.json;
  const { wh, deps } = await setup(['fx', 'fy', 'fz']);
  try {
    await expect(importSklearnModel(deps, fixture, ['fx', 'fz', 'fw'], OPTIONS)).rejects.toThrow('the imported model was trained on features [fx, fz, fw] but the mart has [fx, fy, fz]: the mart lacks [fw], the mart adds [fy]');
    await expect(importSklearnModel(deps, fixture, undefined, OPTIONS)).rejects.toThrow('the export has no feature_names: pass --features');
    await expect(importSklearnModel(deps, { ...fixture, feature_names: ['fx', 'fy', 'fz'] }, ['fz', 'fy', 'fx'], OPTIONS)).rejects.toThrow("--features [fz, fy, fx] differ from the export's feature_names [fx, fy, fz]");
  } finally {
    await wh.close();
  }
});

// The export script needs scikit-learn: Debian's python3-sklearn under /usr/bin/python3.
const PYTHON = '/usr/bin/python3';
const hasSklearn = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
if (!hasSklearn) console.warn(`skipped: the export script test needs scikit-learn under ${PYTHON} (apt-get install -y python3-sklearn)`);
(hasSklearn ? test : test.skip)('scripts/export_sklearn_model.py exports a pickled forest that imports and scores exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'export-sklearn-'));
  try {
    execFileSync(PYTHON, ['-c', `
import numpy as np, pickle, json
from sklearn.ensemble import IsolationForest
rng = np.random.RandomState(3)
X = np.vstack([rng.normal(size=(800, 3)), rng.uniform(-6, 6, size=(20, 3))])
m = IsolationForest(n_estimators=40, max_samples=128, max_features=0.7, contamination=0.02, random_state=5).fit(X)
pickle.dump(m, open('${dir}/model.pkl', 'wb'))
Xt = rng.normal(size=(50, 3)) * 2
json.dump({'X': Xt.tolist(), 'score_samples': m.score_samples(Xt).tolist()}, open('${dir}/expected.json', 'w'))
`]);
    const script = resolve(__dirname, '..', '..', '..', 'scripts', 'export_sklearn_model.py');
    execFileSync(PYTHON, [script, join(dir, 'model.pkl'), join(dir, 'export.json'), '--features', 'fx,fy,fz'], { stdio: 'pipe' });
    const bad = spawnSync(PYTHON, [script, join(dir, 'model.pkl'), join(dir, 'no.json')], { encoding: 'utf8' });
    expect([bad.status, bad.stderr.trim()]).toEqual([2, 'export_sklearn_model: the model was fitted without feature names: pass --features a,b,c in fitting order']);
    writeFileSync(join(dir, 'not_a_forest.pkl'), execFileSync(PYTHON, ['-c', 'import pickle,sys; sys.stdout.buffer.write(pickle.dumps({"a": 1}))']));
    const wrong = spawnSync(PYTHON, [script, join(dir, 'not_a_forest.pkl'), join(dir, 'no.json'), '--features', 'x'], { encoding: 'utf8' });
    expect(wrong.stderr.trim()).toBe('export_sklearn_model: expected a fitted sklearn.ensemble.IsolationForest, got builtins.dict');

    const exported = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8')) as unknown;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { X: number[][]; score_samples: number[] };
    const { wh, store, deps } = await setup(['fx', 'fy', 'fz']);
    try {
      const result = await importSklearnModel(deps, exported, undefined, OPTIONS);
      const model = parseModelFile((await openRegistry(store, 'pool-hour-iforest').readVersion(result.version)).modelText);
      expect(model.featureNames).toEqual(['fx', 'fy', 'fz']);
      model.scoreSamples(matrixFromArrays(['fx', 'fy', 'fz'], expected.X)).forEach((s, i) => { expect(s).toBeCloseTo(expected.score_samples[i]!, 12); });
    } finally {
      await wh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, SLOW_MS);
