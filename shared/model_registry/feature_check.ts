import { ModelFileError } from '../errors';

/**
 * A model scores only the features it was trained on, in the same order. A mismatch (the mart's
 * feature list changed after the model was trained) fails here with both lists, instead of
 * scoring columns under the wrong names.
 */
export function assertModelFeatures(modelFeatures: readonly string[], martFeatures: readonly string[], what: string): void {
  if (modelFeatures.length === martFeatures.length && modelFeatures.every((n, i) => n === martFeatures[i])) return;
  const missing = modelFeatures.filter((n) => !martFeatures.includes(n));
  const extra = martFeatures.filter((n) => !modelFeatures.includes(n));
  const parts = [...(missing.length > 0 ? [`the mart lacks [${missing.join(', ')}]`] : []), ...(extra.length > 0 ? [`the mart adds [${extra.join(', ')}]`] : [])];
  const detail = parts.length > 0 ? parts.join(', ') : 'same names in another order';
  throw new ModelFileError(`${what} was trained on features [${modelFeatures.join(', ')}] but the mart has [${martFeatures.join(', ')}]: ${detail}; train a model on the mart's features (the train function; npm run train locally)`);
}
