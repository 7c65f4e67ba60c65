import { loadManifest, type LoadResult } from '../load/load_manifest';
import type { Logger } from '../logging';
import type { ObjectStore } from '../storage/object_store';
import { parseStoreUrl } from '../storage/store_url';
import type { Warehouse } from '../warehouse/warehouse';

export interface LoadPorts {
  readonly store: ObjectStore;
  /** The store's URL as configured (the warehouse reads the raw layer from it). */
  readonly storeUrl: string;
  readonly warehouse: Warehouse;
  readonly logger: Logger;
  now(): Date;
}

/**
 * The load use-case for one stored object, named as the storage event names it (a bucket-relative
 * name, which under a gs://bucket/prefix store includes the prefix). Manifests are loaded; any
 * other object is ignored.
 */
export function createObjectLoader(ports: LoadPorts): (objectName: string, logger?: Logger) => Promise<LoadResult> {
  const location = parseStoreUrl(ports.storeUrl);
  const prefix = location.kind === 'gcs' && location.prefix ? `${location.prefix}/` : '';
  let rawLayer: Promise<void> | undefined;
  // Once per instance: the external table (or view) is checked on the first load, not every event.
  const ensureRawTable = () => (rawLayer ??= ports.warehouse.exposeRawLayer(ports.storeUrl).catch((err: unknown) => {
    rawLayer = undefined;
    throw err;
  }));
  return (objectName, logger = ports.logger) => {
    if (prefix && !objectName.startsWith(prefix)) return Promise.resolve({ status: 'ignored', key: objectName });
    const key = objectName.slice(prefix.length);
    return loadManifest({ store: ports.store, warehouse: ports.warehouse, ensureRawTable, now: () => ports.now(), logger }, key);
  };
}

/** Loads every manifest in the store (local runs and catch-up), `concurrency` at a time. */
export async function loadAllManifests(ports: LoadPorts, options: { concurrency?: number; onLoaded?: (result: LoadResult) => void } = {}): Promise<{ loaded: number; ignored: number; superseded: number }> {
  const load = createObjectLoader({ ...ports, storeUrl: ports.storeUrl });
  const location = parseStoreUrl(ports.storeUrl);
  const prefix = location.kind === 'gcs' && location.prefix ? `${location.prefix}/` : '';
  const keys = (await ports.store.list('manifests/')).map((o) => `${prefix}${o.key}`);
  const counts = { loaded: 0, ignored: 0, superseded: 0 };
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const result = await load(keys[next++]!);
      counts[result.status]++;
      options.onLoaded?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return counts;
}
