import { createHash } from 'node:crypto';
import { IsolationForest } from '../../shared/iforest/isolation_forest';
import { matrixFromArrays } from '../../shared/iforest/feature_matrix';
import { serializeModel } from '../../shared/iforest/model_file';
import type { StoredVersion } from '../../shared/model_registry/registry';
import { versionId } from '../../shared/model_registry/registry_layout';
import { featureHash } from '../../shared/model_registry/version_metadata';

/** The features of the tiny test models. */
export const TEST_MODEL_FEATURES = ['a', 'b'];
const empty = { rows: 0, positives: 0, prAuc: null, rocAuc: null, precisionAt10: null, recallAt10: null, hours: 0, hoursWithPositives: 0, hoursWithFewerThan10: 0, alertRate: null };

/** A registry version of model 'm' created at `at`: a 3-tree forest on four rows (its seed changes its bytes) with valid metadata. */
export function testModelVersion(seed: number, at: string): { id: string; files: StoredVersion } {
  const names = TEST_MODEL_FEATURES;
  const forest = IsolationForest.fit(matrixFromArrays(names, [[0, 1], [1, 2], [2, 0], [3, 3]]), { nEstimators: 3, seed });
  const modelText = serializeModel(forest.model);
  const sha = createHash('sha256').update(modelText).digest('hex');
  const id = versionId(new Date(at), sha);
  return {
    id,
    files: {
      modelText,
      metrics: { window: { evalStart: at, end: at }, challenger: { overall: empty, bySource: {} }, production: null, groundTruth: null },
      metadata: {
        modelName: 'm', version: id, createdAt: at, origin: 'trained', producer: 'dex-anomaly', featureNames: names, featureHash: featureHash(names), modelSha256: sha, window: { start: at, evalStart: at, end: at },
        rowCounts: { trainWindowRows: 4, trainRows: 4, evalWindowRows: 0, evalRows: 0, skippedNonFinite: 0 }, trainingFingerprint: 'x', params: {},
        threshold: { value: 0.6, scale: 'anomaly_score', targetAlertRate: 0.01 }, codeVersion: 'test',
      },
    },
  };
}
