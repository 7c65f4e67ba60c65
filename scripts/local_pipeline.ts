/**
 * npm run local [-- --pools 200 --days 7 --seed 1 --store data/lake]
 *
 * The pipeline on embedded defaults, no cloud and no internet: simulates a market and serves it as
 * the three subgraphs (in-process, on a free port), fetches every hour of the window into the
 * local raw folder, loads each hour's manifest into DuckDB, and builds the feature mart, through
 * the same use-cases the functions call. The injected anomalies are written to <store>/truth.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { simulateMarket } from '../local/market/simulate_market';
import { startLocalSubgraph } from '../local/subgraph/local_subgraph_server';
import { parseFetchConfig } from '../shared/fetch/fetch_config';
import { HOUR_SECONDS, lastFullHour } from '../shared/fetch/plan_hours';
import { jsonLogger, silentLogger } from '../shared/logging';
import { fetchSources } from '../shared/pipeline/fetch_sources';
import { loadAllManifests } from '../shared/pipeline/load_objects';
import { transformLocally } from '../shared/pipeline/transform';
import { realRetryDeps } from '../shared/retry';
import { envSecrets } from '../shared/secrets/secrets';
import { openObjectStore } from '../shared/storage/open_store';
import { parseStoreUrl } from '../shared/storage/store_url';
import { DuckDbWarehouse } from '../shared/warehouse/duckdb_warehouse';
import { parseCliArgs, runCli } from './cli_args';
import { LOCAL_DEFAULTS } from './local_defaults';

const argsSchema = z.object({
  pools: z.coerce.number().int().min(1).max(5000).default(200).describe('simulated pools per subgraph'),
  days: z.coerce.number().int().min(1).max(60).default(7).describe('days of hourly history'),
  seed: z.coerce.number().int().min(0).default(1).describe('simulation seed'),
  store: z.string().default(process.env.DATA_STORE_URL ?? LOCAL_DEFAULTS.DATA_STORE_URL).describe('local folder for raw data, the warehouse and truth.json'),
});

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run local -- [--pools 200] [--days 7] [--seed 1] [--store data/lake]',
    summary: 'Simulate -> local subgraph -> fetch -> load -> feature mart, on embedded defaults (no cloud, no network).',
  });
  const location = parseStoreUrl(a.store);
  if (location.kind !== 'folder') throw new Error(`--store: the local pipeline writes a local folder, not '${a.store}'`);
  const root = location.path;
  mkdirSync(root, { recursive: true });
  const logger = jsonLogger(undefined, { component: 'local' });
  const now = new Date();
  const end = lastFullHour(now);
  const market = simulateMarket({ seed: a.seed, pools: a.pools, days: a.days, endHour: end });
  writeFileSync(join(root, 'truth.json'), JSON.stringify({ seed: a.seed, anomalies: market.truth }, null, 2));
  const subgraph = await startLocalSubgraph({ market });
  const store = openObjectStore(root);
  const warehouse = await DuckDbWarehouse.open(join(root, 'warehouse.duckdb'));
  try {
    const config = parseFetchConfig({ DATA_STORE_URL: root, LOCAL_SUBGRAPH_URL: `http://127.0.0.1:${subgraph.port}` });
    const started = Date.now();
    const fetched = await fetchSources(
      config,
      { store, secrets: envSecrets({}), logger: silentLogger, retryDeps: realRetryDeps, now: () => now },
      { maxHoursPerSource: a.days * 24, startHour: end - (a.days * 24 - 1) * HOUR_SECONDS },
    );
    const hours = fetched.sources.reduce((n, s) => n + s.fetched.length, 0);
    const rows = fetched.sources.reduce((n, s) => n + s.fetched.reduce((m, h) => m + h.rows, 0), 0);
    logger.log(fetched.ok ? 'INFO' : 'ERROR', 'fetch done', { hours, rows, seconds: Math.round((Date.now() - started) / 100) / 10 });
    if (!fetched.ok) throw new Error(`fetch failed: ${JSON.stringify(fetched.sources.filter((s) => s.error))}`);

    const loaded = await loadAllManifests({ store, storeUrl: root, warehouse, logger: silentLogger, now: () => new Date() });
    logger.log('INFO', 'load done', { manifests: loaded.loaded });

    const transform = await transformLocally(warehouse, root, resolve(__dirname, '..', 'dataform'), { freshness_reference: new Date((end + HOUR_SECONDS) * 1000).toISOString() });
    const [summary] = await warehouse.query('SELECT COUNT(*) AS row_count, COUNTIF(y) AS labelled_high_volume, COUNTIF(dq_mispriced_spike) AS suspected_mispricing FROM `dex_anomaly.mart_pool_features_labeled`');
    logger.log(transform.failedAssertions.length === 0 ? 'INFO' : 'ERROR', 'transform done', { tables: transform.tables, failedAssertions: transform.failedAssertions, mart: summary });
    logger.log('INFO', `local pipeline finished: data in ${root} (DuckDB: warehouse.duckdb), injected anomalies in truth.json`, { injectedAnomalies: market.truth.length });
    if (transform.failedAssertions.length > 0) process.exitCode = 1;
  } finally {
    await warehouse.close();
    await subgraph.close();
  }
}

void runCli(main);
