import { averagePrecision, precisionAtK, recallAtK, rocAuc, topK } from '../../../shared/metrics/ranking';

// Expected values computed with scikit-learn 1.2.1 (roc_auc_score, average_precision_score).
describe.each([
  { name: 'perfect ranking', scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 1, 0, 0], auc: 1, ap: 1 },
  { name: 'inverted ranking', scores: [0.1, 0.2, 0.8, 0.9], labels: [1, 1, 0, 0], auc: 0, ap: 0.41666666666666663 },
  { name: 'sklearn docs example', scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], auc: 0.75, ap: 0.8333333333333333 },
  { name: 'ties across classes', scores: [0.5, 0.5, 0.5, 0.1], labels: [1, 0, 1, 0], auc: 0.75, ap: 0.6666666666666666 },
  { name: 'all tied', scores: [1, 1, 1, 1], labels: [1, 0, 0, 1], auc: 0.5, ap: 0.5 },
])('$name', ({ scores, labels, auc, ap }) => {
  test('ROC-AUC', () => { expect(rocAuc(scores, labels)).toBeCloseTo(auc, 12); });
  test('average precision', () => { expect(averagePrecision(scores, labels)).toBeCloseTo(ap, 12); });
});

test('ROC-AUC is NaN with one class, average precision NaN without positives', () => {
  expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNaN();
});

test('labels other than 0 and 1 are rejected', () => {
  expect(() => rocAuc([0.1, 0.2], [1, 2])).toThrow('label 1 must be 0 or 1, got 2');
});

test('precision and recall at k', () => {
  const scores = [0.9, 0.1, 0.8, 0.7, 0.2, 0.6];
  const labels = [1, 1, 0, 1, 0, 0];
  expect(topK(scores, 3)).toEqual([0, 2, 3]);
  expect(precisionAtK(scores, labels, 3)).toBeCloseTo(2 / 3, 12);
  expect(recallAtK(scores, labels, 3)).toBeCloseTo(2 / 3, 12);
  expect(precisionAtK(scores, labels, 10)).toBeCloseTo(3 / 6, 12);
  expect(recallAtK(scores, labels, 10)).toBe(1);
});

test('top-k breaks ties by row order', () => {
  expect(topK([1, 2, 2, 2, 0], 2)).toEqual([1, 2]);
});
