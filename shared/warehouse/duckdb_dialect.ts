/**
 * The project writes SQL once, in a subset of BigQuery's dialect, and runs it on DuckDB locally.
 * This pure rewrite covers what differs in syntax; DUCKDB_MACROS supply the BigQuery functions
 * DuckDB lacks. What differs silently (x / 0, NULL ordering, DAYOFWEEK) is avoided in the SQL
 * itself: always SAFE_DIVIDE, explicit NULLS FIRST/LAST, EXTRACT(DAYOFWEEK) never.
 */

/** Macros created on every DuckDB connection, with BigQuery's semantics. */
export const DUCKDB_MACROS: readonly string[] = [
  // BigQuery's SAFE_DIVIDE: NULL for a zero or NULL divisor (DuckDB's x / 0 is NULL too, BigQuery's raises).
  'CREATE OR REPLACE MACRO safe_divide(a, b) AS CASE WHEN b IS NULL OR b = 0 THEN NULL ELSE a / b END',
  "CREATE OR REPLACE MACRO timestamp_seconds(s) AS (to_timestamp(s) AT TIME ZONE 'UTC')",
  'CREATE OR REPLACE MACRO unix_seconds(t) AS CAST(epoch(t) AS BIGINT)',
  'CREATE OR REPLACE MACRO logical_or(x) AS bool_or(x)',
  'CREATE OR REPLACE MACRO logical_and(x) AS bool_and(x)',
  'CREATE OR REPLACE MACRO date_sub(d, i) AS d - i',
  'CREATE OR REPLACE MACRO timestamp_sub(t, i) AS t - i',
  'CREATE OR REPLACE MACRO timestamp_add(t, i) AS t + i',
  'CREATE OR REPLACE MACRO generate_timestamp_array(a, b, i) AS generate_series(a, b, i)',
];

const TYPE_NAMES: Readonly<Record<string, string>> = { FLOAT64: 'DOUBLE', STRING: 'VARCHAR', BOOL: 'BOOLEAN', BYTES: 'BLOB' };
const TRUNC_FUNCTIONS = ['TIMESTAMP_TRUNC', 'DATE_TRUNC', 'DATETIME_TRUNC'];
const DATE_PARTS = new Set(['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'ISOWEEK', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR']);

/** Rewrites BigQuery-subset SQL for DuckDB. Idempotent on SQL that needs no rewrite. */
export function toDuckDbSql(sql: string): string {
  let out = rewriteOutsideStrings(rewriteArrayIdioms(sql), (code) =>
    code
      // `project.dataset.table` or `dataset.table` -> "dataset"."table" (datasets are schemas).
      .replace(/`([^`]+)`/g, (_m, path: string) => {
        const parts = path.split('.');
        return (parts.length === 3 ? parts.slice(1) : parts).map((p) => `"${p}"`).join('.');
      })
      .replace(/\bSAFE_CAST\s*\(/gi, 'TRY_CAST(')
      .replace(/\bCURRENT_TIMESTAMP\s*\(\s*\)/gi, 'current_timestamp')
      // PERCENTILE_CONT(x, p) OVER (...): DuckDB's quantile_cont takes the same arguments, and a
      // macro cannot carry an OVER clause.
      .replace(/\bPERCENTILE_CONT\s*\(/gi, 'quantile_cont(')
      .replace(/\b(FLOAT64|STRING|BOOL|BYTES)\b/g, (t: string) => TYPE_NAMES[t]!)
      // Named parameters: BigQuery @name, DuckDB $name.
      .replace(/@([A-Za-z_]\w*)/g, '$$$1'),
  );
  for (const fn of TRUNC_FUNCTIONS) out = rewriteTrunc(out, fn);
  return rewriteUnnestAlias(out);
}

/**
 * Two array idioms BigQuery needs and DuckDB runs far better natively (its correlated subqueries
 * over UNNEST are orders of magnitude slower):
 *   (SELECT PERCENTILE_CONT(v, p) OVER () FROM UNNEST(arr) AS v LIMIT 1) -> list_aggregate(arr, 'quantile_cont', p)
 *   ARRAY(SELECT expr FROM UNNEST(arr) AS v)                             -> list_transform(arr, v -> expr)
 */
function rewriteArrayIdioms(sql: string): string {
  return sql
    .replace(/\(\s*SELECT\s+PERCENTILE_CONT\s*\(\s*(\w+)\s*,\s*([^()]+?)\s*\)\s+OVER\s*\(\s*\)\s+FROM\s+UNNEST\s*\(\s*([\w.]+)\s*\)\s+AS\s+(\w+)\s+LIMIT\s+1\s*\)/gi, (m, v: string, p: string, arr: string, alias: string) =>
      v === alias ? `list_aggregate(${arr}, 'quantile_cont', ${p})` : m,
    )
    .replace(/\bARRAY\s*\(\s*SELECT\s+(.+?)\s+FROM\s+UNNEST\s*\(\s*([\w.]+)\s*\)\s+AS\s+(\w+)\s*\)/gi, (_m, expr: string, arr: string, v: string) => `list_transform(${arr}, ${v} -> ${expr})`);
}

/**
 * `UNNEST(array) AS name` names the element column in BigQuery but the table in DuckDB, which
 * needs a column alias list: -> `UNNEST(array) AS name_unnest(name)`.
 */
function rewriteUnnestAlias(sql: string): string {
  const pattern = /\bUNNEST\s*\(/gi;
  let out = sql;
  let from = 0;
  for (;;) {
    pattern.lastIndex = from;
    const match = pattern.exec(out);
    if (!match) return out;
    const { close } = callExtent(out, match.index + match[0].length - 1, 'UNNEST');
    const alias = /^\s+AS\s+([A-Za-z_]\w*)(?!\s*\()/i.exec(out.slice(close + 1));
    if (alias) {
      const start = close + 1;
      out = `${out.slice(0, start)} AS ${alias[1]!}_unnest(${alias[1]!})${out.slice(start + alias[0].length)}`;
    }
    from = close + 1;
  }
}

/** Applies `rewrite` to the parts of `sql` outside single-quoted string literals. */
function rewriteOutsideStrings(sql: string, rewrite: (code: string) => string): string {
  const pieces = sql.split(/('(?:[^'\\]|\\.|'')*')/);
  return pieces.map((piece, i) => (i % 2 === 1 ? piece : rewrite(piece))).join('');
}

/**
 * TIMESTAMP_TRUNC(expr, HOUR) -> date_trunc('hour', expr), with nested parentheses in expr. Only
 * calls whose last argument is one of BigQuery's date parts are rewritten; DuckDB's own
 * date_trunc('hour', x) (which this produces) is left alone.
 */
function rewriteTrunc(sql: string, fn: string): string {
  const pattern = new RegExp(`\\b${fn}\\s*\\(`, 'gi');
  let out = sql;
  let from = 0;
  for (;;) {
    pattern.lastIndex = from;
    const match = pattern.exec(out);
    if (!match) return out;
    const open = match.index + match[0].length - 1;
    const { close, lastComma } = callExtent(out, open, fn);
    const unit = lastComma < 0 ? '' : out.slice(lastComma + 1, close).trim();
    if (!DATE_PARTS.has(unit.toUpperCase())) {
      from = open + 1;
      continue;
    }
    const replacement = `date_trunc('${unit.toLowerCase()}', ${out.slice(open + 1, lastComma).trim()})`;
    out = `${out.slice(0, match.index)}${replacement}${out.slice(close + 1)}`;
    // Continue inside the replacement: the truncated expression may hold another call.
    from = match.index + "date_trunc('".length;
  }
}

/** Where the call whose '(' is at `open` closes, and its last top-level comma (-1 if none). */
function callExtent(sql: string, open: number, what: string): { close: number; lastComma: number } {
  let depth = 0;
  let lastComma = -1;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { close: i, lastComma };
    else if (ch === ',' && depth === 1) lastComma = i;
  }
  throw new SyntaxError(`${what} without a closing parenthesis`);
}
