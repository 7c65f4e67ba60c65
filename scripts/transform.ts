/**
 * npm run transform [-- --store <folder> --db <file> --freshness-reference <ISO hour>]
 *
 * Compiles the Dataform project (dataform/) and runs it on embedded DuckDB over the local raw
 * folder: staging, the feature mart, then every assertion. Exits 1 if an assertion fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseCliArgs } from './cli_args';
import { loadAllManifests } from '../shared/load/load_all_manifests';
import { silentLogger } from '../shared/logging';
import { LocalFolderStore } from '../shared/storage/local_folder_store';
import { ensureLocalRawView } from '../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject } from '../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../shared/warehouse/duckdb_warehouse';

const argsSchema = z.object({
  store: z.string().default(process.env.DATA_STORE_URL ?? 'data/lake'),
  db: z.string().optional(),
  'freshness-reference': z.string().optional(),
});

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema);
  const root = resolve(a.store);
  mkdirSync(root, { recursive: true });
  const dbPath = a.db ?? join(root, 'warehouse.duckdb');
  const warehouse = await DuckDbWarehouse.open(dbPath);
  try {
    await ensureLocalRawView(warehouse, root, existsSync(join(root, 'raw')));
    // Staging reads only the hours load verified: record any hour not loaded yet (a corrupt one is marked for repair).
    const loaded = await loadAllManifests({ store: new LocalFolderStore(root), warehouse, ensureRawTable: () => Promise.resolve(), now: () => new Date(), logger: silentLogger });
    if (loaded.refused.length > 0) console.error(JSON.stringify({ severity: 'WARNING', message: `${loaded.refused.length} hours refused as corrupt and marked for repair`, refused: loaded.refused }));
    const compiled = compileDataform(resolve(__dirname, '..', 'dataform'), a['freshness-reference'] ? { freshness_reference: a['freshness-reference'] } : {});
    const result = await runCompiledProject(warehouse, compiled);
    console.log(JSON.stringify({ severity: result.failedAssertions.length > 0 ? 'ERROR' : 'INFO', message: 'transform finished', db: dbPath, ...result }));
    if (result.failedAssertions.length > 0) process.exitCode = 1;
  } finally {
    await warehouse.close();
  }
}

void main().catch((err: unknown) => {
  console.error(JSON.stringify({ severity: 'ERROR', message: (err as Error).message }));
  process.exit(1);
});
