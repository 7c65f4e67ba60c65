import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toDuckDbSql } from '../../../shared/warehouse/duckdb_dialect';
import { DuckDbWarehouse } from '../../../shared/warehouse/duckdb_warehouse';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'sql');

test('BigQuery-subset SQL rewrites to the golden DuckDB SQL', () => {
  const bigquery = readFileSync(join(FIXTURES, 'dialect_cases.bigquery.sql'), 'utf8');
  expect(toDuckDbSql(bigquery)).toBe(readFileSync(join(FIXTURES, 'dialect_cases.duckdb.sql'), 'utf8'));
});

test.each([
  ['TIMESTAMP_TRUNC(TIMESTAMP_ADD(t, INTERVAL 1 HOUR), HOUR)', "date_trunc('hour', TIMESTAMP_ADD(t, INTERVAL 1 HOUR))"],
  ['DATE_TRUNC(d, MONTH)', "date_trunc('month', d)"],
  ['`d.t`', '"d"."t"'],
  ["'it''s @not a param'", "'it''s @not a param'"],
  ["date_trunc('hour', x)", "date_trunc('hour', x)"],
  ['TIMESTAMP_TRUNC(TIMESTAMP_TRUNC(t, DAY), HOUR)', "date_trunc('hour', date_trunc('day', t))"],
  ['CROSS JOIN UNNEST(GENERATE_TIMESTAMP_ARRAY(a, b, INTERVAL 1 HOUR)) AS hour_ts', 'CROSS JOIN UNNEST(GENERATE_TIMESTAMP_ARRAY(a, b, INTERVAL 1 HOUR)) AS hour_ts_unnest(hour_ts)'],
  ['FROM UNNEST(x) AS t(v)', 'FROM UNNEST(x) AS t(v)'],
  ['TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 6 HOUR)', 'TIMESTAMP_SUB(current_timestamp, INTERVAL 6 HOUR)'],
  ['(SELECT PERCENTILE_CONT(v, 0.9) OVER () FROM UNNEST(past) AS v LIMIT 1)', "list_aggregate(past, 'quantile_cont', 0.9)"],
  ['ARRAY(SELECT ABS(v - m) FROM UNNEST(past) AS v)', 'list_transform(past, v -> ABS(v - m))'],
])('%s -> %s', (bigquery, duckdb) => {
  expect(toDuckDbSql(bigquery)).toBe(duckdb);
});

describe('macros give DuckDB BigQuery\'s semantics', () => {
  let wh: DuckDbWarehouse;
  beforeAll(async () => {
    wh = await DuckDbWarehouse.open();
  });
  afterAll(async () => {
    await wh.close();
  });

  test.each([
    ['SAFE_DIVIDE(1, 0)', null],
    ['SAFE_DIVIDE(1, NULL)', null],
    ['SAFE_DIVIDE(3, 2)', 1.5],
    ['UNIX_SECONDS(TIMESTAMP_SECONDS(1795561200))', 1795561200],
    ["CAST(TIMESTAMP_TRUNC(TIMESTAMP_SECONDS(1795563000), HOUR) AS STRING)", '2026-11-24 23:00:00'],
    ['SAFE_CAST(\'12.5x\' AS FLOAT64)', null],
    ['(SELECT LOGICAL_OR(x) FROM (SELECT FALSE AS x UNION ALL SELECT TRUE))', true],
    ['ARRAY_LENGTH(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP_SECONDS(0), TIMESTAMP_SECONDS(7200), INTERVAL 1 HOUR))', 3],
    ['(SELECT PERCENTILE_CONT(v, 0.5) OVER () FROM UNNEST([1.0, 2.0, 10.0, 4.0]) AS v LIMIT 1)', 3],
    ['(SELECT COUNT(*) FROM (SELECT 1 AS k) CROSS JOIN UNNEST(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP_SECONDS(0), TIMESTAMP_SECONDS(7200), INTERVAL 1 HOUR)) AS h WHERE h >= TIMESTAMP_SECONDS(3600))', 2],
  ])('%s = %j', async (expr, expected) => {
    const [row] = await wh.query(`SELECT ${expr} AS v`);
    // Literal arrays are DECIMAL in DuckDB: compare numbers as numbers.
    expect(typeof expected === 'number' ? Number(row!.v) : row!.v).toEqual(expected);
  });
});
