import { explainDiffi, IsolationForest, matrixFromArrays } from '../../../shared/iforest';
import { diffiImportances } from '../../../shared/iforest/diffi_axis';
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
