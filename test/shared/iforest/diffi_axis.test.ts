import { explainDiffi, IsolationForest, matrixFromArrays } from '../../../shared/iforest';
import { diffiImportances, scoreAndExplain } from '../../../shared/iforest/diffi_axis';
import { Rng } from '../../../shared/rng';
import { trainedForest } from '../../helpers/serve_model';

const NAMES = ['a', 'b', 'c', 'd'];

function rows(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => NAMES.map(() => rng.nextNormal() * (i % 7 === 0 ? 6 : 1)));
}

test('axis-parallel: exactly explainDiffi, row for row', () => {
  const forest = trainedForest(NAMES, 3);
  const matrix = matrixFromArrays(NAMES, rows(300, 4));
  const fast = diffiImportances(forest.model, matrix);
  expect(Array.from(fast)).toEqual(Array.from(explainDiffi(forest.model, matrix)));
  expect(fast.some((v) => v > 0)).toBe(true);
});

test('extended forests are explained by explainDiffi', () => {
  const forest = IsolationForest.fit(matrixFromArrays(NAMES, rows(500, 5)), { seed: 1, kind: 'extended', nEstimators: 20 });
  const matrix = matrixFromArrays(NAMES, rows(20, 6));
  expect(Array.from(diffiImportances(forest.model, matrix))).toEqual(Array.from(explainDiffi(forest.model, matrix)));
});

test.each([
  ['axis-parallel, complete layout', () => trainedForest(NAMES, 3)],
  ['axis-parallel, linked layout', () => new IsolationForest(trainedForest(NAMES, 3).model, 'linked')],
  ['axis-parallel, one-row subsamples', () => IsolationForest.fit(matrixFromArrays(NAMES, rows(50, 8)), { seed: 2, nEstimators: 10, maxSamples: 1 })],
  ['extended', () => IsolationForest.fit(matrixFromArrays(NAMES, rows(500, 5)), { seed: 1, kind: 'extended', nEstimators: 20 })],
])('scoreAndExplain (%s): exactly scoreSamples and diffiImportances', (_name, make) => {
  const forest = make();
  const matrix = matrixFromArrays(NAMES, rows(300, 7));
  const { scoreSamples, importance } = scoreAndExplain(forest, matrix);
  expect(Array.from(scoreSamples)).toEqual(Array.from(forest.scoreSamples(matrix)));
  expect(Array.from(importance)).toEqual(Array.from(diffiImportances(forest.model, matrix)));
  expect(new Set(scoreSamples).size).toBeGreaterThan(forest.model.params.maxSamplesUsed > 1 ? 10 : 0);
});
