import { expectedPositivesInTopK, perHourTopK } from '../../../shared/metrics/per_hour';

describe('perHourTopK (computed by hand)', () => {
  // Hour 1: a negative on top, then three tied scores with one positive sharing the last slot.
  // Hour 2: one row (fewer than k). Hour 3: two negatives.
  const scores = [0.9, 0.5, 0.5, 0.5, 0.1, 0.3, 0.8, 0.2];
  const labels = [0, 1, 0, 0, 1, 1, 0, 0];
  const hours = [1, 1, 1, 1, 1, 2, 3, 3];

  test('ties share the last slots in expectation, short hours use all rows, recall skips hours without positives', () => {
    expect(perHourTopK(scores, labels, hours, 2)).toEqual({
      k: 2,
      precisionAtK: expect.closeTo((1 / 6 + 1 + 0) / 3, 12) as number,
      recallAtK: expect.closeTo((1 / 6 + 1) / 2, 12) as number,
      hours: 3,
      hoursWithPositives: 2,
      hoursWithFewerThanK: 1,
    });
  });

  test('the result does not depend on row order', () => {
    const order = [7, 3, 5, 0, 2, 6, 1, 4];
    const shuffled = perHourTopK(order.map((i) => scores[i]!), order.map((i) => labels[i]!), order.map((i) => hours[i]!), 2);
    const straight = perHourTopK(scores, labels, hours, 2);
    expect(shuffled.precisionAtK).toBeCloseTo(straight.precisionAtK, 12);
    expect(shuffled.recallAtK).toBeCloseTo(straight.recallAtK, 12);
  });

  test.each([
    { k: 1, expected: 0 },
    { k: 2, expected: 1 / 3 },
    { k: 3, expected: 2 / 3 },
    { k: 4, expected: 1 },
    { k: 5, expected: 2 },
  ])('expected positives in the top $k of hour 1', ({ k, expected }) => {
    expect(expectedPositivesInTopK(scores, labels, [0, 1, 2, 3, 4], k)).toBeCloseTo(expected, 12);
  });

  test('no rows gives NaN, bad inputs are rejected', () => {
    expect(perHourTopK([], [], []).precisionAtK).toBeNaN();
    expect(() => perHourTopK([1], [1], [1, 2])).toThrow('1 scores, 1 labels and 2 hours');
    expect(() => perHourTopK([1], [2], [1])).toThrow('label 0 must be 0 or 1, got 2');
    expect(() => perHourTopK([1], [1], [1], 0)).toThrow('k must be a positive integer, got 0');
  });
});
