import { diffiImportances, matrixFromArrays } from '../../../shared/iforest';
import { Rng } from '../../../shared/rng';
import { jsonNumber, scoreRows, scoreRowsJson } from '../../../shared/serve/score_rows';
import { loadedModel } from '../../helpers/serve_model';

// Not in code-unit order, so the tie-break by name is exercised.
const NAMES = ['volume', 'tvl', 'Turnover', 'age', 'b2', 'b10'];

test('scores, flags and explains every row: contributions largest first, ties by name', () => {
  const loaded = loadedModel(NAMES, 'v7');
  const rng = new Rng(9);
  const data = Array.from({ length: 200 }, (_, i) => NAMES.map((_n, c) => (c === i % NAMES.length ? rng.nextNormal() * 8 : rng.nextNormal())));
  const rows = data.map((values, i) => ({ ...(i % 2 === 0 ? { pool_id: `p${i}` } : {}), features: Object.fromEntries(NAMES.map((n, c) => [n, values[c]!])) }));
  const matrix = matrixFromArrays(NAMES, data);
  const scores = loaded.model.scoreSamples(matrix);
  const importance = diffiImportances(loaded.model.model, matrix);

  const answer = scoreRows(loaded, rows);

  expect(answer.model_version).toBe('v7');
  expect(answer.threshold).toBe(loaded.threshold);
  let ties = 0;
  answer.results.forEach((result, r) => {
    const expected = NAMES.map((feature, c) => ({ feature, value: data[r]![c]!, contribution: importance[r * NAMES.length + c]! }));
    expected.sort((a, b) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1));
    ties += expected.filter((e, k) => k > 0 && e.contribution === expected[k - 1]!.contribution).length;
    expect(result).toEqual({ ...(r % 2 === 0 ? { pool_id: `p${r}` } : {}), score: -scores[r]!, is_anomaly: -scores[r]! > loaded.threshold, contributions: expected });
    expect(Object.keys(result)).toEqual([...(r % 2 === 0 ? ['pool_id'] : []), 'score', 'is_anomaly', 'contributions']);
  });
  expect(ties).toBeGreaterThan(0);
  expect(answer.results.filter((x) => x.is_anomaly).length).toBeGreaterThan(0);
});

test('scoreRowsJson is JSON.stringify(scoreRows(...)), byte for byte, with and without pool ids', () => {
  const loaded = loadedModel(NAMES, 'v"7\u2028');
  const rng = new Rng(3);
  const rows = Array.from({ length: 50 }, (_, i) => ({
    ...(i % 3 === 0 ? { pool_id: `p"${i}\\\n\u00e9` } : {}),
    features: Object.fromEntries(NAMES.map((n, c) => [n, [0, -0, 1e21, 5e-324, -3.4e38, 123456789, 1e-7][(i + c) % 7]! * (i % 2 === 0 ? 1 : rng.nextNormal())])),
  }));
  const text = scoreRowsJson(loaded, rows);
  expect(text).toBe(JSON.stringify(scoreRows(loaded, rows)));
  expect(text).toContain('1e+21');
  expect(text).toContain('5e-324');
  expect(text).not.toContain('-0,');
});

test('1-row answers one after another, in both forms, are each the answer of that row alone (their arrays are reused)', () => {
  const loaded = loadedModel(NAMES, 'v1');
  const rng = new Rng(5);
  const rows = Array.from({ length: 30 }, () => ({ features: Object.fromEntries(NAMES.map((n) => [n, rng.nextNormal() * 3])) }));
  const together = scoreRows(loaded, rows).results;
  const alone = rows.map((row, i) => (i % 2 === 0 ? scoreRows(loaded, [row]).results[0] : (JSON.parse(scoreRowsJson(loaded, [row])) as { results: unknown[] }).results[0]));
  expect(alone).toEqual(together);
  expect(new Set(together.map((r) => r.score)).size).toBe(30);
});

test.each([
  [0, '0'],
  [-0, '0'],
  [1e21, '1e+21'],
  [1e-7, '1e-7'],
  [5e-324, '5e-324'],
  [-1.7976931348623157e308, '-1.7976931348623157e+308'],
  [123456789012, '123456789012'],
  [0.1 + 0.2, '0.30000000000000004'],
  [NaN, 'null'],
  [Infinity, 'null'],
  [-Infinity, 'null'],
])('jsonNumber(%p) is %p, as JSON.stringify writes it', (n, text) => {
  expect(jsonNumber(n)).toBe(text);
  expect(jsonNumber(n)).toBe(JSON.stringify(n));
});
