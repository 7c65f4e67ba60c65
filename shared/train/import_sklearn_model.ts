import { InvalidInputError } from '../errors';
import { FEATURE_NAMES } from '../features/feature_spec';
import { importSklearnForest } from '../iforest/sklearn_import';
import { assertModelFeatures } from '../model_registry/feature_check';
import { trainModel, type TrainDeps, type TrainRunResult } from './train_model';

/**
 * Registers a scikit-learn IsolationForest (exported by scripts/export_sklearn_model.py) as a
 * version: evaluated on the current window like a challenger, with its alert threshold set from
 * the window's training part, and never promoted (a person promotes it with `models promote`).
 * Feature names come from the export (`feature_names`) or from `featureNames`; both must agree
 * with each other and with the mart.
 */
export async function importSklearnModel(deps: TrainDeps, exportJson: unknown, featureNames: readonly string[] | undefined, options: unknown): Promise<TrainRunResult> {
  const fromFile = (exportJson as { feature_names?: unknown } | null)?.feature_names;
  const exported = Array.isArray(fromFile) && fromFile.every((n) => typeof n === 'string') ? (fromFile) : undefined;
  if (exported && featureNames && exported.join(',') !== featureNames.join(',')) {
    throw new InvalidInputError(`--features [${featureNames.join(', ')}] differ from the export's feature_names [${exported.join(', ')}]`);
  }
  const names = featureNames ?? exported;
  if (!names) throw new InvalidInputError('the export has no feature_names: pass --features with the names in the order the model was fitted on');
  const forest = importSklearnForest(exportJson, names);
  assertModelFeatures(forest.featureNames, deps.featureNames ?? FEATURE_NAMES, 'the imported model');
  return trainModel(deps, options, { forest, producer: forest.model.training.producer });
}
