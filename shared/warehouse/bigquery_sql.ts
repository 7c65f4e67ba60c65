import { RAW_COLUMNS, RAW_PARTITION_COLUMNS } from '../raw/raw_columns';
import { bigqueryApiType } from './column_types';
import type { TableSpec } from './warehouse';

/**
 * The statements and table definitions the BigQuery adapter sends, as pure functions: checked
 * against golden files, so a change in what reaches BigQuery is always a visible diff.
 */

/** Atomic replace of one key's rows: a multi-statement transaction, rows passed as one array parameter. */
export function replaceRowsSql(spec: TableSpec, keyColumns: readonly string[]): string {
  const table = `\`${spec.dataset}.${spec.name}\``;
  // Every column quoted: names such as `rows` are reserved words in BigQuery.
  const where = keyColumns.map((k) => `\`${k}\` = @key_${k}`).join(' AND ');
  const columns = spec.columns.map((c) => `\`${c.name}\``).join(', ');
  return [
    'BEGIN TRANSACTION;',
    `DELETE FROM ${table} WHERE ${where};`,
    `INSERT INTO ${table} (${columns})`,
    `SELECT ${spec.columns.map((c) => `r.\`${c.name}\``).join(', ')} FROM UNNEST(@rows) AS r;`,
    'COMMIT TRANSACTION;',
  ].join('\n');
}

/**
 * The external table over raw/: gzip JSONL with hive partitions source/dt/hour read from the path,
 * the raw record's declared schema (nothing auto-detected), and a partition filter not required
 * (the mart reads all of it).
 */
export function rawExternalTableDefinition(rawUriPrefix: string): Record<string, unknown> {
  const prefix = rawUriPrefix.replace(/\/$/, '');
  const partitions = RAW_PARTITION_COLUMNS.map((c) => `{${c.name}:${bigqueryApiType(c.type)}}`).join('/');
  return {
    externalDataConfiguration: {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      compression: 'GZIP',
      sourceUris: [`${prefix}/*`],
      ignoreUnknownValues: false,
      hivePartitioningOptions: { mode: 'CUSTOM', sourceUriPrefix: `${prefix}/${partitions}`, requirePartitionFilter: false },
      schema: { fields: RAW_COLUMNS.map((c) => ({ name: c.name, type: bigqueryApiType(c.type), mode: 'NULLABLE' })) },
    },
  };
}

/** A native table's definition: schema, time partitioning and clustering. */
export function tableDefinition(spec: TableSpec): Record<string, unknown> {
  return {
    schema: { fields: spec.columns.map((c) => ({ name: c.name, type: bigqueryApiType(c.type), mode: c.required ? 'REQUIRED' : 'NULLABLE' })) },
    ...(spec.partitionBy ? { timePartitioning: { type: spec.partitionBy.granularity, field: spec.partitionBy.column } } : {}),
    ...(spec.clusterBy ? { clustering: { fields: [...spec.clusterBy] } } : {}),
  };
}
