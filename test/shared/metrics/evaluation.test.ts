import { evaluateScores } from '../../../shared/metrics/evaluation';

// Source a and source b in one hour. PR-AUC and ROC-AUC: scikit-learn 1.2.1
// average_precision_score / roc_auc_score on these arrays (overall = a then b).
const a = { scores: [0.9, 0.5, 0.5, 0.2, 0.7, 0.7, 0.7, 0.1, 0.3, 0.95], labels: [1, 0, 1, 0, 0, 1, 0, 0, 1, 1] };
const b = { scores: [0.05, 0.4, 0.3, 0.8, 0.12, 0.66, 0.9, 0.01, 0.5, 0.5, 0.2, 0.33], labels: [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0] };
const rows = {
  scores: Float64Array.from([...a.scores, ...b.scores]),
  labels: Uint8Array.from([...a.labels, ...b.labels]),
  hours: new Int32Array(22).fill(100),
  sources: Uint16Array.from([...a.scores.map(() => 0), ...b.scores.map(() => 1)]),
  sourceNames: ['a', 'b', 'c'],
};

test('overall and per-source metrics match scikit-learn and hand counts', () => {
  const m = evaluateScores(rows, 0.7);
  expect(m.overall.prAuc).toBeCloseTo(0.7976190476190477, 12);
  expect(m.overall.rocAuc).toBeCloseTo(0.8526785714285715, 12);
  expect(m.bySource.a!.prAuc).toBeCloseTo(0.7592857142857143, 12);
  expect(m.bySource.a!.rocAuc).toBeCloseTo(0.74, 12);
  expect(m.bySource.b!.prAuc).toBeCloseTo(0.8666666666666667, 12);
  expect(m.bySource.b!.rocAuc).toBeCloseTo(0.9444444444444444, 12);
  // Top 10 of the 22: 5 positives in the first 8, then 2 slots of a tie of four 0.5s holding 2 positives.
  expect(m.overall.precisionAt10).toBeCloseTo(0.6, 12);
  expect(m.overall.recallAt10).toBeCloseTo(6 / 8, 12);
  expect(m.bySource.a!.precisionAt10).toBeCloseTo(0.5, 12);
  expect(m.bySource.b!.precisionAt10).toBeCloseTo(0.3, 12);
  expect(m.bySource.b!.recallAt10).toBe(1);
  expect(m.overall.alertRate).toBeCloseTo(7 / 22, 12);
  expect(m.bySource.a!.alertRate).toBeCloseTo(0.5, 12);
  expect(Object.keys(m.bySource)).toEqual(['a', 'b']);
  expect([m.overall.rows, m.overall.positives, m.overall.hours, m.bySource.a!.hoursWithFewerThan10]).toEqual([22, 8, 1, 0]);
});

test('undefined metrics are null, not NaN (JSON and BigQuery carry no NaN)', () => {
  const m = evaluateScores({ ...rows, labels: new Uint8Array(22) }, null);
  expect([m.overall.prAuc, m.overall.rocAuc, m.overall.recallAt10, m.overall.alertRate]).toEqual([null, null, null, null]);
  expect(m.overall.precisionAt10).toBe(0);
});
