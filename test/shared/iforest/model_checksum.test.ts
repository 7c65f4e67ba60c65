import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical_json';
import { canonicalJsonSha256 } from '../../../shared/iforest/model_checksum';
import { serializeModel } from '../../../shared/iforest';
import { trainedForest } from '../../helpers/serve_model';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test.each([
  ['a model envelope', JSON.parse(serializeModel(trainedForest(['a', 'b', 'c'], 2).model)) as unknown],
  ['nested objects with unsorted keys', { b: { z: 1, a: [1, 2, { y: null, x: 'é"\\\n' }] }, a: -0, c: 1e21, d: 5e-324 }],
  ['undefined in arrays and objects, and a function', { a: [1, undefined, () => 1, null], b: undefined, c: () => 1, 'ü': true }],
  ['a long string that needs escaping', { text: `${'A'.repeat(5000)}"\u2028\u0001` }],
  ['scalars', 'plain'],
  ['an empty array', []],
  ['NaN and infinities', [NaN, Infinity, -Infinity]],
])('%s: the SHA-256 of canonicalJson, byte for byte', (_name, value) => {
  expect(canonicalJsonSha256(value)).toBe(sha256(canonicalJson(value)));
});
