import { IsolationForest, matrixFromArrays } from '../../shared/iforest';
import { Rng } from '../../shared/rng';
import type { LoadedModel, ModelLoader } from '../../shared/serve/model_source';

/** A small forest trained on standard-normal rows of the given features (seeded, so deterministic). */
export function trainedForest(featureNames: readonly string[], seed = 1, trees = 50): IsolationForest {
  const rng = new Rng(seed);
  const rows = Array.from({ length: 1000 }, () => featureNames.map(() => rng.nextNormal()));
  return IsolationForest.fit(matrixFromArrays(featureNames, rows), { seed, nEstimators: trees, contamination: 0.05 });
}

export function loadedModel(featureNames: readonly string[], version = 'v1', seed = 1): LoadedModel {
  const model = trainedForest(featureNames, seed);
  return { version, model, featureNames: model.featureNames, threshold: -model.model.offset };
}

/** A ModelLoader over an in-memory registry whose production alias tests move by hand. */
export function fakeRegistry(initial: LoadedModel): ModelLoader & { production: string; models: Map<string, LoadedModel>; versionCalls: number; loadCalls: number; failNext: boolean } {
  const registry = {
    production: initial.version,
    models: new Map([[initial.version, initial]]),
    versionCalls: 0,
    loadCalls: 0,
    failNext: false,
    productionVersion() {
      registry.versionCalls++;
      if (registry.failNext) {
        registry.failNext = false;
        return Promise.reject(new Error('registry unreachable'));
      }
      return Promise.resolve(registry.production);
    },
    load(version: string) {
      registry.loadCalls++;
      const model = registry.models.get(version);
      return model ? Promise.resolve(model) : Promise.reject(new Error(`no model ${version}`));
    },
  };
  return registry;
}
