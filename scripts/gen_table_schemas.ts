/**
 * npm run gen:schemas: writes terraform/schemas/<dataset>.<table>.json from the table specs in
 * shared/warehouse/table_registry.ts, so terraform applies the tables the code writes with, never
 * a hand-written copy. Each file is the definition the BigQuery adapter sends to tables.insert
 * (schema, time partitioning, clustering); the external table's file names its source as
 * RAW_URI_PREFIX_TOKEN, which terraform replaces with the raw bucket's URI. `--check` only
 * compares (CI), exit 1 on a stale or stray file.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { rawExternalTableDefinition, tableDefinition } from '../shared/warehouse/bigquery_sql';
import { RAW_EXTERNAL_TABLE, TABLE_SPECS } from '../shared/warehouse/table_registry';
import { parseCliArgs, runCli } from './cli_args';

export const SCHEMAS_DIR = resolve(__dirname, '..', 'terraform', 'schemas');

/** Stands for gs://<raw bucket>[/<prefix>]/raw in the external table's file; terraform substitutes it. */
export const RAW_URI_PREFIX_TOKEN = '@RAW_URI_PREFIX@';

/** File name -> content of every schema file, in a stable order with a final newline. */
export function renderTableSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  const seen = new Set<string>();
  for (const spec of TABLE_SPECS) {
    const file = `${spec.dataset}.${spec.name}.json`;
    if (seen.has(file)) throw new Error(`table ${spec.dataset}.${spec.name} is listed twice in the table registry`);
    seen.add(file);
    files.set(file, `${JSON.stringify(tableDefinition(spec), null, 2)}\n`);
  }
  files.set(`${RAW_EXTERNAL_TABLE.dataset}.${RAW_EXTERNAL_TABLE.name}.json`, `${JSON.stringify(rawExternalTableDefinition(RAW_URI_PREFIX_TOKEN), null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Differences between the folder and what the registry renders, in words; [] when fresh. */
export function staleSchemaFiles(dir: string, rendered: Map<string, string> = renderTableSchemas()): string[] {
  const problems: string[] = [];
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const [file, text] of rendered) {
    if (!present.includes(file)) problems.push(`${file} is missing`);
    else if (readFileSync(join(dir, file), 'utf8') !== text) problems.push(`${file} differs from its table spec`);
  }
  for (const file of present) if (!rendered.has(file)) problems.push(`${file} has no table spec in shared/warehouse/table_registry.ts`);
  return problems;
}

/** Writes every file and removes files of tables no longer in the registry. */
export function writeTableSchemas(dir: string): string[] {
  const rendered = renderTableSchemas();
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) if (file.endsWith('.json') && !rendered.has(file)) rmSync(join(dir, file));
  for (const [file, text] of rendered) writeFileSync(join(dir, file), text);
  return [...rendered.keys()];
}

const argsSchema = z.object({
  check: z.boolean().default(false).describe('only compare the files with the table specs; exit 1 when stale'),
});

function main(): Promise<void> {
  return Promise.resolve().then(run);
}

function run(): void {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run gen:schemas [-- --check]',
    summary: 'Writes terraform/schemas/<dataset>.<table>.json from the table specs in shared/warehouse/table_registry.ts.',
  });
  if (a.check) {
    const problems = staleSchemaFiles(SCHEMAS_DIR);
    if (problems.length > 0) {
      console.error(`terraform/schemas is stale (run npm run gen:schemas): ${problems.join('; ')}`);
      process.exitCode = 1;
      return;
    }
    console.log('terraform/schemas is fresh');
    return;
  }
  const written = writeTableSchemas(SCHEMAS_DIR);
  console.log(`wrote ${written.length} schema files to terraform/schemas: ${written.join(', ')}`);
}

if (require.main === module) void runCli(main);
