import { apiKeyChecker } from '../../../shared/serve/api_key';

test.each([
  ['the key itself', 'k3y-abc', true],
  ['a prefix', 'k3y-ab', false],
  ['a longer key', 'k3y-abcd', false],
  ['another case', 'K3Y-ABC', false],
  ['empty', '', false],
  ['absent', undefined, false],
])('%s is %s', (_label, presented, ok) => {
  expect(apiKeyChecker('k3y-abc')(presented)).toBe(ok);
});
