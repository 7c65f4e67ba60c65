import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { idParams, markDeliveredSql, markFailedSql, markMutedSql, SELECT_EPISODES_NEAR_SQL, SELECT_UNDELIVERED_SQL } from '../../../shared/alerts/alert_sql';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'sql');
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

test('the statements the alert use-cases send to BigQuery', () => {
  golden('bigquery_alert_statements.sql', [SELECT_EPISODES_NEAR_SQL, SELECT_UNDELIVERED_SQL, markDeliveredSql(3), markFailedSql(1), markMutedSql(2)].map((s) => `${s};\n`).join('\n'));
});

test('one id parameter per alert, and never an empty IN list', () => {
  expect(idParams(['a', 'b'])).toEqual({ id0: 'a', id1: 'b' });
  expect(markFailedSql(2)).toContain('IN (@id0, @id1)');
  expect(() => markDeliveredSql(0)).toThrow('an alert update needs at least one id, got 0');
});
