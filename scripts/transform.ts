/**
 * npm run transform [-- --store <folder> --db <file> --freshness-reference <ISO hour> --full-refresh]
 *
 * Compiles the Dataform project (dataform/) and runs it on embedded DuckDB over the local raw
 * folder: staging, the feature mart, then every assertion. Staging and the mart are incremental
 * (only the hours loaded since the last run, plus their trailing window); --full-refresh rebuilds
 * them from every verified hour. Exits 1 if an assertion fails.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { CliUsageError, parseCliArgs, runCli } from './cli_args';
import { readStoreIdentity } from '../shared/local_store/store_identity';
import { LOCAL_DEFAULTS } from './local_defaults';
import { isoHourVar } from '../shared/config/env';
import { silentLogger } from '../shared/logging';
import { loadAllManifests } from '../shared/pipeline/load_objects';
import { transformLocally } from '../shared/pipeline/transform';
import { openObjectStore } from '../shared/storage/open_store';
import { parseStoreUrl } from '../shared/storage/store_url';
import { DuckDbWarehouse } from '../shared/warehouse/duckdb_warehouse';

const argsSchema = z.object({
  store: z.string().default(process.env.DATA_STORE_URL ?? LOCAL_DEFAULTS.DATA_STORE_URL).describe('local raw folder (store URL)'),
  db: z.string().optional().describe('DuckDB file (default: <store>/warehouse.duckdb)'),
  'freshness-reference': isoHourVar.optional().describe("time the freshness assertion measures against (default: the hour after a simulated store's last hour, else now)"),
  'full-refresh': z.boolean().default(false).describe('rebuild the incremental tables from every verified hour'),
});

const HOUR_MS = 3_600_000;

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run transform -- [--store data/lake] [--db <file>] [--freshness-reference <ISO hour>] [--full-refresh]',
    summary: 'Runs the Dataform project (staging, feature mart, assertions) on embedded DuckDB over the local raw folder.',
  });
  const store = parseStoreUrl(a.store);
  if (store.kind !== 'folder') throw new Error(`--store: the local transform reads a local folder, not '${a.store}'`);
  if (!existsSync(store.path)) throw new CliUsageError(`--store: ${store.path} does not exist (fill it first: npm run pipeline -- --out <folder>, whose store is <folder>/lake, or npm run backfill)`);
  // A simulated store ends at its simulation's last hour, not now: measured against now, its freshness always fails.
  const identity = readStoreIdentity(store.path);
  const freshnessReference = a['freshness-reference'] ?? (identity ? new Date(Date.parse(identity.endHour) + HOUR_MS).toISOString() : undefined);
  const dbPath = a.db ?? join(store.path, 'warehouse.duckdb');
  const warehouse = await DuckDbWarehouse.open(dbPath);
  try {
    // Staging reads only the hours load verified: record any hour not loaded yet (a corrupt one is marked for repair).
    const loaded = await loadAllManifests({ store: openObjectStore(store.path), storeUrl: store.path, warehouse, logger: silentLogger, now: () => new Date() });
    if (loaded.refused.length > 0) console.error(JSON.stringify({ severity: 'WARNING', message: `${loaded.refused.length} hours refused as corrupt and marked for repair`, refused: loaded.refused }));
    const result = await transformLocally(warehouse, store.path, resolve(__dirname, '..', 'dataform'), freshnessReference ? { freshness_reference: freshnessReference } : {}, { fullRefresh: a['full-refresh'] });
    console.log(JSON.stringify({ severity: result.failedAssertions.length > 0 ? 'ERROR' : 'INFO', message: 'transform finished', db: dbPath, freshness_reference: freshnessReference ?? 'now', ...result }));
    if (result.failedAssertions.length > 0) process.exitCode = 1;
  } finally {
    await warehouse.close();
  }
}

void runCli(main);
