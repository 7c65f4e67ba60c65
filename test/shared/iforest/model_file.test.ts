import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical_json';
import { ModelFileError } from '../../../shared/errors';
import { matrixFromArrays, positionalFeatureNames } from '../../../shared/iforest/feature_matrix';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';
import { parseModelFile, serializeModel } from '../../../shared/iforest/model_file';
import { importSklearnForest } from '../../../shared/iforest/sklearn_import';
import { loadSklearnFixtures } from '../../helpers/sklearn_fixtures';
import { gaussianWithOutliers } from '../../helpers/synthetic';

const { matrix } = gaussianWithOutliers(1000, 20, 4, 11);
const forest = IsolationForest.fit(matrix, { seed: 1, contamination: 0.02 }, { trainedAt: '2026-11-25T00:00:00Z' });
const text = serializeModel(forest.model);

/** Re-signs an edited envelope, to reach the checks that come after the checksum. */
function resign(envelope: Record<string, unknown>): string {
  const unsigned = { ...envelope };
  delete unsigned.checksum;
  const checksum = `sha256:${createHash('sha256').update(canonicalJson(unsigned)).digest('hex')}`;
  return JSON.stringify({ ...unsigned, checksum });
}

function edit(mutate: (env: Record<string, Record<string, unknown>>) => void): string {
  const env = JSON.parse(text) as Record<string, Record<string, unknown>>;
  mutate(env);
  return resign(env);
}

test('a round trip scores bit for bit like the original and reserialises to the same text', () => {
  const loaded = parseModelFile(text);
  expect(Array.from(loaded.scoreSamples(matrix))).toEqual(Array.from(forest.scoreSamples(matrix)));
  expect(Array.from(loaded.predict(matrix))).toEqual(Array.from(forest.predict(matrix)));
  expect(serializeModel(loaded.model)).toBe(text);
  expect(loaded.model.training.metadata).toEqual({ trainedAt: '2026-11-25T00:00:00Z' });
  expect(loaded.model.params.contamination).toBe(0.02);
});

test('an extended forest round-trips too', () => {
  const eif = IsolationForest.fit(matrix, { seed: 2, kind: 'extended', nEstimators: 20 });
  const loaded = parseModelFile(serializeModel(eif.model));
  expect(Array.from(loaded.scoreSamples(matrix))).toEqual(Array.from(eif.scoreSamples(matrix)));
});

test('an imported scikit-learn forest keeps its parity through the model file', () => {
  const { json } = loadSklearnFixtures()[0]!;
  const loaded = parseModelFile(serializeModel(importSklearnForest(json).model));
  expect(loaded.model.training.producer).toBe('scikit-learn 1.2.1');
  const scores = loaded.scoreSamples(matrixFromArrays(positionalFeatureNames(json.n_features), json.test.X));
  scores.forEach((s, i) => { expect(Math.abs(s - json.test.score_samples[i]!)).toBeLessThan(1e-12); });
});

test('the file is compact: flat arrays, not node objects', () => {
  const nodes = forest.model.forest.left.length;
  // 4 int32 + 1 float64 per node = 24 bytes, x4/3 for base64, plus a small header.
  expect(text.length).toBeLessThan(nodes * 24 * 1.34 + 4000);
});

test.each([
  ['truncated', text.slice(0, text.length / 2), 'model file is not valid JSON (truncated or corrupted?)'],
  ['not an object', '[1,2]', 'model file must be a JSON object'],
  ['another format', JSON.stringify({ format: 'onnx' }), 'not a dex-anomaly/isolation-forest model file (format is "onnx")'],
  ['a newer schema version', edit((e) => { (e as Record<string, unknown>).schemaVersion = 2; }), 'model file schema version 2 is not supported; this build reads version 1'],
  ['a byte flipped in the thresholds', text.replace(/"threshold":"(.)/, (_m, c: string) => `"threshold":"${c === 'A' ? 'B' : 'A'}`), 'checksum does not match its content'],
  ['an edited offset', text.replace(/"offset":[^,]+/, '"offset":-0.1'), 'checksum does not match its content'],
  ['a missing field', edit((e) => { delete e.params!.nEstimators; }), "model file field 'params.nEstimators'"],
  ['a non-base64 array', edit((e) => { e.trees!.left = '***'; }), "model file field 'trees.left': must be base64"],
  ['a short array', edit((e) => { e.trees!.right = 'AAAA'; }), `model file field 'trees.right' holds 3 bytes, expected ${forest.model.forest.left.length} int32 values`],
  ['a changed scoring rule', edit((e) => { e.semantics!.inputCast = 'float64'; }), "model file field 'semantics.inputCast'"],
  ['duplicate feature names', edit((e) => { (e as Record<string, unknown>).featureNames = ['f0', 'f0', 'f2', 'f3']; }), 'a name appears twice'],
  ['a tree count that disagrees', edit((e) => { e.params!.nEstimators = 99; }), 'model file has 100 trees but params.nEstimators is 99'],
  ['a child pointing back', edit((e) => {
    const left = Buffer.from(e.trees!.left as string, 'base64');
    left.writeInt32LE(0, 0);
    e.trees!.left = left.toString('base64');
  }), 'inconsistent forest: tree 0 node 0: children 0'],
  ['an unknown field', edit((e) => { (e as Record<string, unknown>).extra = 1; }), 'Unrecognized key'],
])('a file with %s is refused: %s', (_case, bad, message) => {
  expect(() => parseModelFile(bad)).toThrow(ModelFileError);
  expect(() => parseModelFile(bad)).toThrow(message);
});
