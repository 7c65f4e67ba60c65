import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden, goldenAction } from './golden';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test.each([
  [true, {}, 'compare'],
  [true, { CI: 'true' }, 'compare'],
  [false, { CI: 'true' }, 'missing-in-ci'],
  [false, { CI: '1' }, 'missing-in-ci'],
  [false, {}, 'missing-written'],
  [false, { CI: 'false' }, 'missing-written'],
  [false, { UPDATE_GOLDENS: '1', CI: 'true' }, 'rewrite'],
  [true, { UPDATE_GOLDENS: '1' }, 'rewrite'],
] as const)('exists=%s env=%j: %s', (exists, env, action) => {
  expect(goldenAction(exists, env)).toBe(action);
});

test('a missing golden file fails under CI and is not written', () => {
  const path = join(dir, 'x.sql');
  expect(() => { expectGolden(path, 'SELECT 1\n', { CI: 'true' }); }).toThrow(/golden file .*x\.sql is missing: run npm run goldens:update/);
  expect(existsSync(path)).toBe(false);
});

test('a missing golden file outside CI is written, and the test still fails', () => {
  const path = join(dir, 'x.sql');
  expect(() => { expectGolden(path, 'SELECT 1\n', {}); }).toThrow(/was missing and has now been written/);
  expect(readFileSync(path, 'utf8')).toBe('SELECT 1\n');
  expect(() => { expectGolden(path, 'SELECT 1\n', {}); }).not.toThrow();
});

test('a different golden file fails; UPDATE_GOLDENS=1 rewrites it', () => {
  const path = join(dir, 'x.sql');
  writeFileSync(path, 'SELECT 1\n');
  expect(() => { expectGolden(path, 'SELECT 2\n', { CI: 'true' }); }).toThrow(/SELECT 2/);
  expectGolden(path, 'SELECT 2\n', { UPDATE_GOLDENS: '1' });
  expect(readFileSync(path, 'utf8')).toBe('SELECT 2\n');
});
