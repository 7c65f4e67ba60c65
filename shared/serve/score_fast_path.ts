import { FLOAT32_MAX, MAX_ROWS, type ScoreRequest } from './score_schema';

/**
 * The rows of a well-formed POST /score body, checked by hand in one pass; undefined for anything
 * else, which then goes to the zod schema (scoreRequestSchema) for its error report. It accepts
 * only bodies that schema accepts, and answers with the same rows, so no answer changes: zod
 * costs more than scoring a 1-row request. test/shared/serve/score_fast_path.test.ts holds the
 * two to the same verdict on valid and invalid bodies.
 */
export function wellFormedRows(body: unknown, featureNames: readonly string[]): ScoreRequest['rows'] | undefined {
  if (!isObject(body) || !hasOnlyKey(body, 'rows')) return undefined;
  const rows = body.rows;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > MAX_ROWS) return undefined;
  const cols = featureNames.length;
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!isObject(row)) return undefined;
    const keys = keyCount(row);
    if (keys === 2) {
      if (!Object.hasOwn(row, 'pool_id')) return undefined;
      const poolId = row.pool_id;
      if (typeof poolId !== 'string' || poolId.length < 1 || poolId.length > 256) return undefined;
    } else if (keys !== 1) {
      return undefined;
    }
    const features = row.features;
    if (!Object.hasOwn(row, 'features') || !isObject(features) || keyCount(features) !== cols) return undefined;
    for (let c = 0; c < cols; c++) {
      const name = featureNames[c]!;
      const value = features[name];
      // NaN and the infinities fail both comparisons.
      if (typeof value !== 'number' || !(value >= -FLOAT32_MAX && value <= FLOAT32_MAX) || !Object.hasOwn(features, name)) return undefined;
    }
  }
  return rows as ScoreRequest['rows'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOnlyKey(value: Record<string, unknown>, key: string): boolean {
  return keyCount(value) === 1 && Object.hasOwn(value, key);
}

/** Enumerable keys, as zod's strict objects see them (for...in); -1 if one is inherited. */
function keyCount(value: Record<string, unknown>): number {
  let n = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return -1;
    n++;
  }
  return n;
}
