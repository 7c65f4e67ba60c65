import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_URI_PREFIX_TOKEN, renderTableSchemas, SCHEMAS_DIR, staleSchemaFiles, writeTableSchemas } from '../../scripts/gen_table_schemas';
import { RAW_COLUMNS } from '../../shared/raw/raw_columns';
import { rawExternalTableDefinition, tableDefinition } from '../../shared/warehouse/bigquery_sql';
import { RAW_EXTERNAL_TABLE, TABLE_SPECS } from '../../shared/warehouse/table_registry';

describe('terraform/schemas (generated from shared/warehouse/table_registry.ts)', () => {
  test('is fresh: regenerating gives identical bytes and no stray files (run npm run gen:schemas)', () => {
    expect(staleSchemaFiles(SCHEMAS_DIR)).toEqual([]);
  });

  test('each native table file is exactly the definition the BigQuery adapter creates the table with', () => {
    for (const spec of TABLE_SPECS) {
      const file = JSON.parse(readFileSync(join(SCHEMAS_DIR, `${spec.dataset}.${spec.name}.json`), 'utf8')) as unknown;
      expect(file).toEqual(tableDefinition(spec));
    }
    expect([...renderTableSchemas().keys()]).toHaveLength(TABLE_SPECS.length + 1);
  });

  test('the external table file becomes the adapter definition once terraform substitutes the raw URI', () => {
    const text = readFileSync(join(SCHEMAS_DIR, `${RAW_EXTERNAL_TABLE.dataset}.${RAW_EXTERNAL_TABLE.name}.json`), 'utf8');
    const substituted = JSON.parse(text.split(RAW_URI_PREFIX_TOKEN).join('gs://bucket/prefix/raw')) as { externalDataConfiguration: { schema: { fields: unknown[] }; sourceUris: string[] } };
    expect(substituted).toEqual(rawExternalTableDefinition('gs://bucket/prefix/raw'));
    expect(substituted.externalDataConfiguration.sourceUris).toEqual(['gs://bucket/prefix/raw/*']);
    expect(substituted.externalDataConfiguration.schema.fields).toHaveLength(RAW_COLUMNS.length);
  });

  test('a stale, missing or stray file is named, and writing repairs all three', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    try {
      const rendered = renderTableSchemas();
      writeTableSchemas(dir);
      expect(staleSchemaFiles(dir, rendered)).toEqual([]);
      writeFileSync(join(dir, 'dex_ops.ingestion_log.json'), '{}\n');
      rmSync(join(dir, 'dex_ops.dead_letters.json'));
      writeFileSync(join(dir, 'dex_old.gone.json'), '{}\n');
      expect(staleSchemaFiles(dir, rendered).sort()).toEqual([
        'dex_old.gone.json has no table spec in shared/warehouse/table_registry.ts',
        'dex_ops.dead_letters.json is missing',
        'dex_ops.ingestion_log.json differs from its table spec',
      ]);
      writeTableSchemas(dir);
      expect(staleSchemaFiles(dir, rendered)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
