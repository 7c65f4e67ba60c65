import { join } from 'node:path';
import { INGESTION_LOG } from '../../../shared/load/ingestion_log';
import { rawExternalTableDefinition, replaceRowsSql, tableDefinition } from '../../../shared/warehouse/bigquery_sql';
import { expectGolden } from '../../helpers/golden';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'sql');

function golden(name: string, actual: string): void {
  expectGolden(join(GOLDEN, name), actual);
}

test('replace of an hour\'s ingestion rows: one transaction, rows as an array parameter', () => {
  golden('bigquery_replace_ingestion_log.sql', `${replaceRowsSql(INGESTION_LOG, ['source', 'hour_ts', 'manifest_sha256'])}\n`);
});

test('the raw external table: gzip JSONL, hive partitions source/dt/hour, declared schema', () => {
  const def = rawExternalTableDefinition('gs://dex-raw/lake/raw/');
  golden('bigquery_raw_external_table.json', `${JSON.stringify(def, null, 2)}\n`);
  expect((def.externalDataConfiguration as { hivePartitioningOptions: { sourceUriPrefix: string } }).hivePartitioningOptions.sourceUriPrefix).toBe('gs://dex-raw/lake/raw/{source:STRING}/{dt:DATE}/{hour:INTEGER}');
});

test('the ingestion log table: schema, day partitions on hour_ts, clustered by source', () => {
  golden('bigquery_ingestion_log_table.json', `${JSON.stringify(tableDefinition(INGESTION_LOG), null, 2)}\n`);
});
