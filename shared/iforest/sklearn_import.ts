import * as z from 'zod';
import { ModelFileError } from '../errors';
import { parseOrThrow } from '../validation';
import { positionalFeatureNames } from './feature_matrix';
import type { ForestArrays } from './forest_arrays';
import { IsolationForest } from './isolation_forest';
import { heightLimit, resolveMaxFeatures } from './params';

const nodeIndex = z.number().int().min(-1);
const sklearnTreeSchema = z.object({
  left: z.array(nodeIndex),
  right: z.array(nodeIndex),
  feature: z.array(z.number().int().min(-1)),
  threshold: z.array(z.number()),
  n_node_samples: z.array(z.number().int().min(0)),
});

/** A scikit-learn IsolationForest exported tree by tree (format of shared/fixtures/iforest). */
export const sklearnExportSchema = z.object({
  sklearn_version: z.string(),
  params: z.object({
    n_estimators: z.number().int().min(1),
    max_samples: z.union([z.literal('auto'), z.number().positive()]),
    max_samples_: z.number().int().min(1),
    max_features: z.number().positive(),
    contamination: z.union([z.literal('auto'), z.number().gt(0).lte(0.5)]),
    random_state: z.number().int().nullable(),
  }),
  n_features: z.number().int().min(1),
  offset: z.number(),
  trees: z.array(sklearnTreeSchema).min(1),
});

export type SklearnExport = z.infer<typeof sklearnExportSchema>;

/**
 * Loads a scikit-learn forest so that it scores exactly as scikit-learn does. Its features are
 * named f0..f{n-1} unless names are given (sklearn exports carry positions only).
 */
export function importSklearnForest(json: unknown, featureNames?: readonly string[]): IsolationForest {
  const exp = parseOrThrow(sklearnExportSchema, json, 'not a scikit-learn forest export:', (m) => new ModelFileError(m));
  const names = featureNames ?? positionalFeatureNames(exp.n_features);
  if (names.length !== exp.n_features) {
    throw new ModelFileError(`the export has ${exp.n_features} features but ${names.length} names were given`);
  }
  const { params } = exp;
  return new IsolationForest({
    featureNames: [...names],
    params: {
      kind: 'axis-parallel',
      nEstimators: params.n_estimators,
      maxSamples: params.max_samples,
      maxSamplesUsed: params.max_samples_,
      maxFeatures: params.max_features,
      maxFeaturesUsed: resolveMaxFeatures(params.max_features, exp.n_features),
      contamination: params.contamination,
      seed: params.random_state,
      heightLimit: heightLimit(params.max_samples_),
      extensionLevel: null,
    },
    offset: exp.offset,
    forest: toForestArrays(exp.trees),
    training: { rows: 0, featureStats: null, producer: `scikit-learn ${exp.sklearn_version}`, metadata: {} },
  });
}

function toForestArrays(trees: SklearnExport['trees']): ForestArrays {
  const total = trees.reduce((n, t) => n + t.left.length, 0);
  const forest = {
    kind: 'axis-parallel' as const,
    nodeOffsets: new Int32Array(trees.length + 1),
    left: new Int32Array(total),
    right: new Int32Array(total),
    nodeSamples: new Int32Array(total),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    const n = tree.left.length;
    for (const [name, arr] of Object.entries(tree)) {
      if (arr.length !== n) throw new ModelFileError(`tree ${t}: '${name}' has ${arr.length} entries, 'left' has ${n}`);
    }
    forest.left.set(tree.left, offset);
    forest.right.set(tree.right, offset);
    forest.nodeSamples.set(tree.n_node_samples, offset);
    forest.feature.set(tree.feature, offset);
    forest.threshold.set(tree.threshold, offset);
    offset += n;
    forest.nodeOffsets[t + 1] = offset;
  });
  return forest;
}
