import type { CloudEvent } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { jsonLogger, type Logger } from '../logging';
import { openObjectStore } from '../storage/open_store';
import { ensureLocalRawView } from '../transform/local_raw_view';
import { BigQueryWarehouse } from '../warehouse/bigquery_warehouse';
import type { Warehouse } from '../warehouse/warehouse';
import { loadManifest, type LoadResult } from './load_manifest';

const envSchema = z.object({
  DATA_STORE_URL: z.string().min(1).default('data/lake'),
  /** 'bigquery', or 'duckdb:<database file>' for local runs. */
  WAREHOUSE: z.string().regex(/^(bigquery|duckdb:.+)$/, "must be 'bigquery' or 'duckdb:<file>'").default('duckdb:data/lake/warehouse.duckdb'),
  GOOGLE_CLOUD_PROJECT: z.string().optional(),
  BIGQUERY_LOCATION: z.string().default('US'),
});

/** The GCS finalize event's payload (Eventarc, google.cloud.storage.object.v1.finalized). */
const storageObjectSchema = z.object({ bucket: z.string().optional(), name: z.string().min(1) });

/**
 * The load function's CloudEvent handler: the event names an object just written; manifests are
 * loaded, anything else is ignored. Errors propagate, so Eventarc redelivers retryable failures.
 */
export function createLoadHandler(env: Readonly<Record<string, string | undefined>>, overrides: { logger?: Logger; now?: () => Date } = {}): (event: CloudEvent<unknown>) => Promise<LoadResult> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const store = openObjectStore(e.DATA_STORE_URL);
  const prefix = e.DATA_STORE_URL.startsWith('gs://') ? e.DATA_STORE_URL.replace(/^gs:\/\/[^/]+\/?/, '').replace(/\/?$/, '/') : '';
  const logger = overrides.logger ?? jsonLogger(undefined, { component: 'load' });
  let warehouse: Promise<{ wh: Warehouse; ensureRaw: () => Promise<unknown> }> | undefined;
  const open = () =>
    (warehouse ??= (async () => {
      if (e.WAREHOUSE === 'bigquery') {
        if (!e.GOOGLE_CLOUD_PROJECT) throw new ConfigError('invalid configuration GOOGLE_CLOUD_PROJECT: required when WAREHOUSE=bigquery');
        const bq = new BigQueryWarehouse(e.GOOGLE_CLOUD_PROJECT, e.BIGQUERY_LOCATION);
        return { wh: bq, ensureRaw: () => bq.ensureRawExternalTable('dex_raw', 'raw_pool_hour', `${store.url}/raw`) };
      }
      // Loaded only when asked for: a BigQuery deployment never touches the native DuckDB addon.
      const { DuckDbWarehouse } = await import('../warehouse/duckdb_warehouse');
      const duck = await DuckDbWarehouse.open(e.WAREHOUSE.slice('duckdb:'.length));
      return { wh: duck, ensureRaw: () => ensureLocalRawView(duck, store.url, true) };
    })());
  return async (event) => {
    const object = storageObjectSchema.parse(event.data);
    const key = prefix && object.name.startsWith(prefix) ? object.name.slice(prefix.length) : object.name;
    const { wh, ensureRaw } = await open();
    return loadManifest({ store, warehouse: wh, ensureRawTable: ensureRaw, now: overrides.now ?? (() => new Date()), logger }, key);
  };
}
