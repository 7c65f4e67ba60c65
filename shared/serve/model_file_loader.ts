import { NotReadyError } from '../errors';
import { prepareDiffiWalk } from '../iforest/diffi_axis';
import { parseModelFile } from '../iforest/model_file';
import type { ObjectStore } from '../storage/object_store';
import type { LoadedModel, ModelLoader } from './model_source';

/**
 * A pinned model (SERVE_MODEL_KEY): one model file (shared/iforest/model_file.ts) at a fixed key
 * instead of the registry's alias, its version the object's generation, its threshold the model's
 * own offset (the score is -score_samples, so "score > -offset" is scikit-learn's predict() == -1).
 */
export function modelFileLoader(store: ObjectStore, key: string): ModelLoader {
  const versionOf = (generation: string) => `${key}@${generation}`;
  return {
    async productionVersion() {
      const info = (await store.list(key)).find((o) => o.key === key);
      if (!info) throw new NotReadyError(`no model file ${key} in ${store.url} (SERVE_MODEL_KEY)`);
      return versionOf(info.generation);
    },
    async load(): Promise<LoadedModel> {
      const object = await store.read(key);
      if (!object) throw new NotReadyError(`no model file ${key} in ${store.url} (SERVE_MODEL_KEY)`);
      const model = parseModelFile(object.data.toString('utf8'));
      // Laid out for the DIFFI walk now, not on the first request.
      prepareDiffiWalk(model.model);
      return { version: versionOf(object.generation), model, featureNames: model.featureNames, threshold: -model.model.offset };
    },
  };
}
