// SQL of the checks that staging's and the mart's post-operations run over the hours they wrote
// (see definitions/state/transform_violations.sqlx). Kept here so both tables word them alike.

const DOUBLE_MAX = "1.7976931348623157e308";

// x BETWEEN -max AND max is TRUE only for a finite x: NULL gives NULL, NaN and Infinity FALSE
// (in BigQuery and in DuckDB, where NaN sorts above every number).
const notFinite = (column) => `(${column} BETWEEN -${DOUBLE_MAX} AND ${DOUBLE_MAX}) IS NOT TRUE`;

// One row per key that more than one row of the window shares.
function duplicateKeys(violations, tableName, table, window) {
  return `INSERT INTO ${violations} (table_name, check_name, source, pool_id, hour_ts, detail)
  SELECT '${tableName}', 'duplicate_key', source, pool_id, hour_ts, CONCAT(CAST(COUNT(*) AS STRING), ' rows share source, pool_id and hour_ts')
  FROM ${table}
  WHERE ${window}
  GROUP BY source, pool_id, hour_ts
  HAVING COUNT(*) > 1`;
}

// One row per row of the window where a column is NULL (`nullable`) or not finite (`numbers`);
// detail names the columns.
function badValues(violations, tableName, checkName, table, window, nonNull, numbers) {
  const tests = nonNull.map((c) => `CASE WHEN ${c} IS NULL THEN '${c} is null; ' ELSE '' END`)
    .concat(numbers.map((c) => `CASE WHEN ${notFinite(c)} THEN '${c} is not finite; ' ELSE '' END`));
  return `INSERT INTO ${violations} (table_name, check_name, source, pool_id, hour_ts, detail)
  SELECT '${tableName}', '${checkName}', source, pool_id, hour_ts, RTRIM(detail, '; ')
  FROM (
    SELECT source, pool_id, hour_ts, CONCAT(${tests.join(",\n      ")}) AS detail
    FROM ${table}
    WHERE ${window}
  ) AS checked
  WHERE detail <> ''`;
}

module.exports = { DOUBLE_MAX, notFinite, duplicateKeys, badValues };
