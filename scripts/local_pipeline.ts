/**
 * npm run local [-- --pools 200 --days 7 --seed 1 --store data/lake]
 *
 * The pipeline on embedded defaults, no cloud and no internet: simulates a market and serves it as
 * the three subgraphs (in-process, on a free port), fetches every hour of the window into the
 * local raw folder, loads each hour's manifest into DuckDB, and builds the feature mart. Train and
 * score join this run as their issues land. The injected anomalies are written to <store>/truth.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { simulateMarket } from '../local/market/simulate_market';
import { startLocalSubgraph } from '../local/subgraph/local_subgraph_server';
import { localSources } from '../shared/config/sources';
import { HOUR_SECONDS, lastFullHour } from '../shared/fetch/plan_hours';
import { runFetch } from '../shared/fetch/run_fetch';
import { loadManifest } from '../shared/load/load_manifest';
import { jsonLogger, silentLogger } from '../shared/logging';
import { DEFAULT_RETRY_POLICY, realRetryDeps } from '../shared/retry';
import { LocalFolderStore } from '../shared/storage/local_folder_store';
import { createSubgraphClient } from '../shared/subgraph/subgraph_client';
import { ensureLocalRawView } from '../shared/transform/local_raw_view';
import { compileDataform, runCompiledProject } from '../shared/transform/run_dataform_locally';
import { DuckDbWarehouse } from '../shared/warehouse/duckdb_warehouse';
import { parseCliArgs } from './cli_args';

async function main(): Promise<void> {
  const a = parseCliArgs(
    z.object({
      pools: z.coerce.number().int().min(1).max(5000).default(200),
      days: z.coerce.number().int().min(1).max(60).default(7),
      seed: z.coerce.number().int().min(0).default(1),
      store: z.string().default(process.env.DATA_STORE_URL ?? 'data/lake'),
    }),
  );
  const root = resolve(a.store);
  mkdirSync(root, { recursive: true });
  const logger = jsonLogger(undefined, { component: 'local' });
  const now = new Date();
  const end = lastFullHour(now);
  const market = simulateMarket({ seed: a.seed, pools: a.pools, days: a.days, endHour: end });
  writeFileSync(join(root, 'truth.json'), JSON.stringify({ seed: a.seed, anomalies: market.truth }, null, 2));
  const subgraph = await startLocalSubgraph({ market });
  const store = new LocalFolderStore(root);
  const warehouse = await DuckDbWarehouse.open(join(root, 'warehouse.duckdb'));
  try {
    const sources = localSources(`http://127.0.0.1:${subgraph.port}`);
    const started = Date.now();
    const fetched = await runFetch(
      sources,
      {
        store,
        now: () => now,
        logger: silentLogger,
        retryPolicy: DEFAULT_RETRY_POLICY,
        retryDeps: realRetryDeps,
        clientFor: (s) => Promise.resolve(createSubgraphClient(s.id, 'url' in s.endpoint ? s.endpoint.url : '')),
      },
      { maxHoursPerSource: a.days * 24, startHour: end - (a.days * 24 - 1) * HOUR_SECONDS },
    );
    const hours = fetched.sources.reduce((n, s) => n + s.fetched.length, 0);
    const rows = fetched.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0);
    logger.log(fetched.ok ? 'INFO' : 'ERROR', 'fetch done', { hours, rows, seconds: Math.round((Date.now() - started) / 100) / 10 });
    if (!fetched.ok) throw new Error(`fetch failed: ${JSON.stringify(fetched.sources.filter((s) => s.error))}`);

    let loaded = 0;
    for (const manifest of await store.list('manifests/')) {
      const result = await loadManifest({ store, warehouse, ensureRawTable: () => ensureLocalRawView(warehouse, root, true), now: () => new Date(), logger: silentLogger }, manifest.key);
      if (result.status === 'loaded') loaded++;
    }
    logger.log('INFO', 'load done', { manifests: loaded });

    const transform = await runCompiledProject(warehouse, compileDataform(resolve(__dirname, '..', 'dataform'), { freshness_reference: new Date((end + HOUR_SECONDS) * 1000).toISOString() }));
    const [summary] = await warehouse.query('SELECT COUNT(*) AS row_count, COUNTIF(y) AS labelled_high_volume, COUNTIF(dq_mispriced_spike) AS suspected_mispricing FROM `dex_anomaly.mart_pool_features_labeled`');
    logger.log(transform.failedAssertions.length === 0 ? 'INFO' : 'ERROR', 'transform done', { tables: transform.tables, failedAssertions: transform.failedAssertions, mart: summary });
    logger.log('INFO', `local pipeline finished: data in ${root} (DuckDB: warehouse.duckdb), injected anomalies in truth.json`, { injectedAnomalies: market.truth.length });
    if (transform.failedAssertions.length > 0) process.exitCode = 1;
  } finally {
    await warehouse.close();
    await subgraph.close();
  }
}

void main().catch((err: unknown) => {
  console.error(JSON.stringify({ severity: 'ERROR', message: (err as Error).message }));
  process.exit(1);
});
