import { rankingAreas } from '../../../shared/metrics/fast_ranking';
import { averagePrecision, rocAuc } from '../../../shared/metrics/ranking';
import { Rng } from '../../../shared/rng';

// scikit-learn 1.2.1 average_precision_score / roc_auc_score.
test.each([
  { scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], auc: 0.75, ap: 0.8333333333333333 },
  { scores: [0.5, 0.5, 0.5, 0.1], labels: [1, 0, 1, 0], auc: 0.75, ap: 0.6666666666666666 },
  { scores: [0.9, 0.5, 0.5, 0.2, 0.7, 0.7, 0.7, 0.1, 0.3, 0.95], labels: [1, 0, 1, 0, 0, 1, 0, 0, 1, 1], auc: 0.74, ap: 0.7592857142857143 },
])('matches scikit-learn on $scores', ({ scores, labels, auc, ap }) => {
  const r = rankingAreas(scores, labels);
  expect(r.rocAuc).toBeCloseTo(auc, 12);
  expect(r.averagePrecision).toBeCloseTo(ap, 12);
});

test('equals the reference implementation on random data with many ties', () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + rng.nextInt(500);
    const scores = Array.from({ length: n }, () => Math.round(rng.nextFloat() * 20) / 20);
    const labels = scores.map((s) => (rng.nextFloat() < 0.1 + s * 0.3 ? 1 : 0));
    const r = rankingAreas(scores, labels);
    expect(r.rocAuc).toBeCloseTo(rocAuc(scores, labels), 12);
    expect(r.averagePrecision).toBeCloseTo(averagePrecision(scores, labels), 12);
  }
});

test('one class: NaN where undefined', () => {
  expect(rankingAreas([0.1, 0.2], [1, 1])).toEqual({ rocAuc: Number.NaN, averagePrecision: 1 });
  expect(rankingAreas([0.1, 0.2], [0, 0])).toEqual({ rocAuc: Number.NaN, averagePrecision: Number.NaN });
});
