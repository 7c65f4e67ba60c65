/**
 * Golden files: expected output checked in beside the tests (test/fixtures/...).
 *
 * - A matching file passes; a different one fails with jest's diff.
 * - `UPDATE_GOLDENS=1` (`npm run goldens:update`) rewrites every golden file a test touches; review
 *   the diff and commit it.
 * - A missing golden file always fails, so a test can never pass by writing its own expectation.
 *   Under `CI=true` nothing is written; on a developer machine the file is written first, so the
 *   rerun passes once the new file has been reviewed (and committed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

export type GoldenEnv = Readonly<Record<string, string | undefined>>;

/** What to do with a golden file: compare it, or rewrite it (explicit update), or fail (missing). */
export function goldenAction(exists: boolean, env: GoldenEnv): 'compare' | 'rewrite' | 'missing-in-ci' | 'missing-written' {
  if (env.UPDATE_GOLDENS === '1') return 'rewrite';
  if (exists) return 'compare';
  return isCi(env) ? 'missing-in-ci' : 'missing-written';
}

function isCi(env: GoldenEnv): boolean {
  const ci = env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Asserts that `actual` equals the golden file at `path` (see the file comment for the rules). */
export function expectGolden(path: string, actual: string, env: GoldenEnv = process.env): void {
  const shown = relative(process.cwd(), path);
  switch (goldenAction(existsSync(path), env)) {
    case 'rewrite':
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
      return;
    case 'missing-in-ci':
      throw new Error(`golden file ${shown} is missing: run npm run goldens:update locally, review and commit it`);
    case 'missing-written':
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
      throw new Error(`golden file ${shown} was missing and has now been written: review it, commit it and rerun the test`);
    case 'compare':
      expect(actual).toBe(readFileSync(path, 'utf8'));
  }
}
