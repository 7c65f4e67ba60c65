import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SklearnFixture {
  name: string;
  n_features: number;
  offset: number;
  params: { max_samples_: number; contamination: 'auto' | number };
  test: { X: number[][]; score_samples: number[]; decision_function: number[]; predict: number[] };
}

export const SKLEARN_FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'iforest');

export function loadSklearnFixtures(): { file: string; json: SklearnFixture }[] {
  return readdirSync(SKLEARN_FIXTURE_DIR)
    .filter((f) => f.startsWith('sklearn_') && f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(SKLEARN_FIXTURE_DIR, file), 'utf8')) as SklearnFixture }));
}
