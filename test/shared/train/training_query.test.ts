import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationSql, trainingSampleSql, truthReplaySql, windowCountSql } from '../../../shared/train/training_query';
import { toDuckDbSql } from '../../../shared/warehouse/duckdb_dialect';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'sql');
// A fixed list: the goldens check the SQL's shape, not the current feature set.
const FEATURES = ['feature_a', 'feature_b'];

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDENS === '1' || (!existsSync(path) && !process.env.CI)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

test.each([
  { name: 'train_window_count.bigquery.sql', sql: windowCountSql() },
  { name: 'train_sample.bigquery.sql', sql: trainingSampleSql('bigquery', FEATURES) },
  { name: 'train_evaluation.bigquery.sql', sql: evaluationSql('bigquery', FEATURES) },
  { name: 'train_evaluation_hour_sample.bigquery.sql', sql: evaluationSql('bigquery', FEATURES, false, true) },
  { name: 'train_sample.duckdb.sql', sql: toDuckDbSql(trainingSampleSql('duckdb', FEATURES)) },
  { name: 'train_evaluation.duckdb.sql', sql: toDuckDbSql(evaluationSql('duckdb', FEATURES, true, true)) },
  { name: 'train_truth_replay.duckdb.sql', sql: toDuckDbSql(truthReplaySql(FEATURES)) },
])('$name', ({ name, sql }) => {
  golden(name, `${sql}\n`);
});

test('every query reads the window by hour_ts, eligible rows only, and never RAND()', () => {
  for (const sql of [windowCountSql(), trainingSampleSql('bigquery', FEATURES), evaluationSql('duckdb', FEATURES)]) {
    expect(sql).toMatch(/WHERE hour_ts >= @\w+ AND hour_ts < @\w+ AND is_warm AND NOT is_data_error/);
    expect(sql).not.toMatch(/RAND\(/i);
  }
});

test('the ground-truth replay reads every row of the evaluation part, hour by hour, with the past-only data-error flags', () => {
  const sql = truthReplaySql(FEATURES);
  expect(sql).toMatch(/WHERE hour_ts >= @eval_start AND hour_ts < @window_end\nORDER BY hour_ts, source, pool_id$/);
  expect(sql).not.toMatch(/is_data_error|is_warm AND/);
});
