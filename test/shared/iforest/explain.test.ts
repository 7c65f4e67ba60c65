import { explainDiffi } from '../../../shared/iforest/explain_diffi';
import { explainTreeShap } from '../../../shared/iforest/explain_treeshap';
import { matrixFromArrays, positionalFeatureNames, type FeatureMatrix } from '../../../shared/iforest/feature_matrix';
import { treeCount, type ForestArrays } from '../../../shared/iforest/forest_arrays';
import { IsolationForest } from '../../../shared/iforest/isolation_forest';
import { averagePathLength } from '../../../shared/iforest/path_length';
import { Rng } from '../../../shared/rng';

const COLS = 5;
const names = positionalFeatureNames(COLS);
const rng = new Rng(21);
const training: number[][] = Array.from({ length: 3000 }, () => Array.from({ length: COLS }, () => rng.nextNormal()));
const trainMatrix = matrixFromArrays(names, training);

/** Inlier rows with feature `spiked` pushed 7 standard deviations out. */
function spikedRows(spiked: number, count: number): FeatureMatrix {
  const r = new Rng(100 + spiked);
  return matrixFromArrays(
    names,
    Array.from({ length: count }, () => Array.from({ length: COLS }, (_, c) => (c === spiked ? 7 * (r.nextFloat() < 0.5 ? -1 : 1) : r.nextNormal() * 0.5))),
  );
}

function argmax(values: Float64Array, row: number, cols: number, sign = 1): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (sign * values[row * cols + c]! > sign * values[row * cols + best]!) best = c;
  return best;
}

describe.each(['axis-parallel', 'extended'] as const)('DIFFI on a %s forest', (kind) => {
  const forest = IsolationForest.fit(trainMatrix, { seed: 3, kind, ...(kind === 'extended' ? { extensionLevel: 1 } : {}) });
  test.each([0, 1, 2, 3, 4])('rows abnormal only in feature %i rank it first', (spiked) => {
    const rows = spikedRows(spiked, 20);
    const diffi = explainDiffi(forest.model, rows);
    for (let r = 0; r < rows.rows; r++) expect(argmax(diffi, r, COLS)).toBe(spiked);
  });
});

describe('TreeSHAP on path length', () => {
  const forest = IsolationForest.fit(trainMatrix, { seed: 3, nEstimators: 60 });

  test.each([0, 1, 2, 3, 4])('rows abnormal only in feature %i get its most negative contribution', (spiked) => {
    const rows = spikedRows(spiked, 20);
    const shap = explainTreeShap(forest.model, rows);
    for (let r = 0; r < rows.rows; r++) expect(argmax(shap.values, r, COLS, -1)).toBe(spiked);
  });

  test('local accuracy: expected value plus contributions is each row\'s mean path length', () => {
    const rows = spikedRows(2, 30);
    const shap = explainTreeShap(forest.model, rows);
    const lengths = forest.meanPathLengths(rows);
    for (let r = 0; r < rows.rows; r++) {
      let total = shap.expectedPathLength;
      for (let c = 0; c < COLS; c++) total += shap.values[r * COLS + c]!;
      expect(total).toBeCloseTo(lengths[r]!, 10);
    }
  });

  test('equals brute-force Shapley values over every feature subset', () => {
    const small = IsolationForest.fit(matrixFromArrays(names, training.slice(0, 400)), { seed: 8, nEstimators: 5, maxSamples: 40 });
    const rows = spikedRows(1, 4);
    const shap = explainTreeShap(small.model, rows);
    for (let r = 0; r < rows.rows; r++) {
      const x = Array.from(rows.values.subarray(r * COLS, (r + 1) * COLS), Math.fround);
      const exact = bruteForceShapley(small.model.forest, x);
      for (let c = 0; c < COLS; c++) expect(shap.values[r * COLS + c]).toBeCloseTo(exact[c]!, 10);
    }
  });

  test('is refused for an extended forest, with the alternative named', () => {
    const eif = IsolationForest.fit(trainMatrix, { seed: 3, kind: 'extended', nEstimators: 5 });
    expect(() => explainTreeShap(eif.model, spikedRows(0, 1))).toThrow('TreeSHAP needs an axis-parallel forest; use DIFFI');
  });
});

/** Shapley values of the forest's mean path length with the path-dependent conditional expectation. */
function bruteForceShapley(forest: ForestArrays, x: number[]): number[] {
  const trees = treeCount(forest);
  const m = x.length;
  const expectation = (subset: number): number => {
    let sum = 0;
    for (let t = 0; t < trees; t++) {
      const base = forest.nodeOffsets[t]!;
      const walk = (i: number, depth: number): number => {
        if (forest.left[i] === -1) return depth + averagePathLength(forest.nodeSamples[i]!);
        const l = base + forest.left[i]!;
        const r = base + forest.right[i]!;
        const f = forest.feature[i]!;
        if (subset & (1 << f)) return x[f]! <= forest.threshold[i]! ? walk(l, depth + 1) : walk(r, depth + 1);
        return (forest.nodeSamples[l]! * walk(l, depth + 1) + forest.nodeSamples[r]! * walk(r, depth + 1)) / forest.nodeSamples[i]!;
      };
      sum += walk(base, 0);
    }
    return sum / trees;
  };
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let subset = 0; subset < 1 << m; subset++) {
      if (subset & (1 << i)) continue;
      let size = 0;
      for (let k = 0; k < m; k++) if (subset & (1 << k)) size++;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i]! += weight * (expectation(subset | (1 << i)) - expectation(subset));
    }
  }
  return phi;
}
