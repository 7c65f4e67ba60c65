import { explainDiffi, IsolationForest, matrixFromArrays } from '../../../shared/iforest';
import { diffiImportances, float32AtMost, prepareDiffiWalk, scoreAndExplain, walkAxis } from '../../../shared/iforest/diffi_axis';
import { MAX_COMPLETE_DIFFI_DEPTH } from '../../../shared/iforest/diffi_complete';
import { maxLeafDepth } from '../../../shared/iforest/forest_arrays';
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

test.each([0.1, -0.1, 0.3, -0.3, 1e-50, -1e-50, 3.5e38, -3.5e38, Infinity, -Infinity, 0, 1.5])('float32AtMost(%p) is the largest float32 not above it', (t) => {
  const down = float32AtMost(t);
  expect(Math.fround(down)).toBe(down);
  expect(down <= t).toBe(true);
  // The next float32 up is above t (or t is itself a float32).
  if (down !== t) expect(nextFloat32Up(down) > t).toBe(true);
  else expect(Math.fround(t)).toBe(t);
});

test('float32AtMost rounds down where rounding to nearest goes up', () => {
  // fround(0.1) is above 0.1, fround(-0.1) below -0.1... each case checked against the rule.
  expect(float32AtMost(0.1)).toBe(nextFloat32Down(Math.fround(0.1)));
  expect(float32AtMost(-0.3)).toBe(Math.fround(-0.3) <= -0.3 ? Math.fround(-0.3) : nextFloat32Down(Math.fround(-0.3)));
  expect(float32AtMost(3.5e38)).toBe(3.4028234663852886e38);
  expect(float32AtMost(-1e-50)).toBe(-1.401298464324817e-45);
  expect(float32AtMost(1e-50)).toBe(0);
});

test('rows on either side of every root threshold, at float32 precision, take the same branches as the float64 thresholds', () => {
  const forest = trainedForest(NAMES, 3);
  const f = forest.model.forest;
  const edge: number[][] = [];
  for (let t = 0; t < f.nodeOffsets.length - 1; t++) {
    const root = f.nodeOffsets[t]!;
    if (f.left[root] === -1) continue;
    const threshold = f.threshold[root]!;
    const at = float32AtMost(threshold);
    for (const v of [at, nextFloat32Up(at)]) edge.push(NAMES.map((_, c) => (c === f.feature[root] ? v : 0.25)));
  }
  expect(edge.length).toBeGreaterThanOrEqual(50);
  // The rounding matters: float64 thresholds between two float32 values.
  expect(Array.from(f.threshold).filter((t, i) => f.left[i] !== -1 && Math.fround(t) !== t).length).toBeGreaterThan(100);
  expect(edge.some((row) => row.some((v) => v !== 0.25 && v !== Math.fround(v)))).toBe(false);
  const matrix = matrixFromArrays(NAMES, edge);
  const { scoreSamples, importance } = scoreAndExplain(forest, matrix);
  expect(Array.from(scoreSamples)).toEqual(Array.from(forest.scoreSamples(matrix)));
  expect(Array.from(importance)).toEqual(Array.from(explainDiffi(forest.model, matrix)));
});

function nextFloat32Down(v: number): number {
  return -nextFloat32Up(-v);
}

function nextFloat32Up(v: number): number {
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  if (v === 0) i[0] = 1;
  else if (v > 0) i[0]!++;
  else i[0]!--;
  return f[0]!;
}

test.each([
  ['50 trees', () => trainedForest(NAMES, 3)],
  ['10 trees (not a multiple of the four walked at once)', () => IsolationForest.fit(matrixFromArrays(NAMES, rows(500, 9)), { seed: 4, nEstimators: 10 })],
  ['one-row subsamples (every tree a lone leaf)', () => IsolationForest.fit(matrixFromArrays(NAMES, rows(50, 8)), { seed: 2, nEstimators: 10, maxSamples: 1 })],
  ['deeper than the complete layout allows', () => IsolationForest.fit(matrixFromArrays(NAMES, rows(6000, 10)), { seed: 5, nEstimators: 6, maxSamples: 6000 })],
])('%s: the complete and the packed walks give explainDiffi and the same path sums, bit for bit', (name, make) => {
  const forest = make();
  const matrix = matrixFromArrays(NAMES, rows(200, 11));
  const expected = Array.from(explainDiffi(forest.model, matrix));
  const layout = prepareDiffiWalk(forest.model);
  expect(layout).toBe(name.startsWith('deeper') ? 'packed' : 'complete');
  const packedSums = new Float64Array(matrix.rows);
  expect(Array.from(walkAxis(forest.model, matrix, packedSums, 'packed'))).toEqual(expected);
  if (layout === 'complete') {
    const completeSums = new Float64Array(matrix.rows);
    expect(Array.from(walkAxis(forest.model, matrix, completeSums, 'complete'))).toEqual(expected);
    expect(Array.from(completeSums)).toEqual(Array.from(packedSums));
  } else {
    expect(maxLeafDepth(forest.model.forest)).toBeGreaterThan(MAX_COMPLETE_DIFFI_DEPTH);
    expect(() => walkAxis(forest.model, matrix, undefined, 'complete')).toThrow('too deep');
  }
  const { scoreSamples } = scoreAndExplain(forest, matrix);
  expect(Array.from(scoreSamples)).toEqual(Array.from(forest.scoreSamples(matrix)));
});

test('the edge rows around float32-rounded thresholds also agree on the packed walk', () => {
  const forest = trainedForest(NAMES, 3);
  const f = forest.model.forest;
  const edge: number[][] = [];
  for (let i = 0; i < f.left.length; i++) {
    if (f.left[i] === -1) continue;
    const at = float32AtMost(f.threshold[i]!);
    for (const v of [at, nextFloat32Up(at)]) edge.push(NAMES.map((_, c) => (c === f.feature[i] ? v : 0)));
  }
  const matrix = matrixFromArrays(NAMES, edge);
  expect(Array.from(walkAxis(forest.model, matrix, undefined, 'packed'))).toEqual(Array.from(explainDiffi(forest.model, matrix)));
  expect(Array.from(walkAxis(forest.model, matrix, undefined, 'complete'))).toEqual(Array.from(explainDiffi(forest.model, matrix)));
});
