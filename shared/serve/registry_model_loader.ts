import { createHash } from 'node:crypto';
import { ModelFileError, NotReadyError } from '../errors';
import { prepareDiffiWalk } from '../iforest/diffi_axis';
import { parseModelFile } from '../iforest/model_file';
import { openRegistry } from '../model_registry/registry';
import type { ObjectStore } from '../storage/object_store';
import type { LoadedModel, ModelLoader } from './model_source';

/**
 * The serving model from the registry's `production` alias: the alias is read on each (rate-
 * limited) check, the version's files only when it moved. The threshold is the one trained with
 * the model, on the anomaly-score scale (-score_samples).
 */
export function registryModelLoader(store: ObjectStore, modelName: string): ModelLoader {
  const registry = openRegistry(store, modelName);
  return {
    async productionVersion() {
      const { record } = await registry.productionAlias();
      if (!record) throw new NotReadyError(`no production model '${modelName}' in ${store.url} yet: run train (npm run train, or the weekly train function)`);
      return record.version;
    },
    async load(version): Promise<LoadedModel> {
      const stored = await registry.readVersion(version);
      if (createHash('sha256').update(stored.modelText).digest('hex') !== stored.metadata.modelSha256) throw new ModelFileError(`model ${modelName}/${version}: model.json does not match the SHA-256 in metadata.json`);
      const model = parseModelFile(stored.modelText);
      // Laid out for the DIFFI walk now, not on the first request.
      prepareDiffiWalk(model.model);
      return { version, model, featureNames: model.featureNames, threshold: stored.metadata.threshold.value };
    },
  };
}
