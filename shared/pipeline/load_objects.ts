import { loadAllManifests as loadAllInStore, type LoadAllResult } from '../load/load_all_manifests';
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

/**
 * Loads every manifest in the store (local runs and catch-up; in the cloud each manifest's own
 * event does this). A corrupt hour is marked for repair and skipped, not a stop for the others.
 */
export async function loadAllManifests(ports: LoadPorts, options: { onLoaded?: (key: string) => void } = {}): Promise<LoadAllResult> {
  let rawLayer: Promise<void> | undefined;
  const ensureRawTable = () => (rawLayer ??= ports.warehouse.exposeRawLayer(ports.storeUrl));
  return loadAllInStore({ store: ports.store, warehouse: ports.warehouse, ensureRawTable, now: () => ports.now(), logger: ports.logger }, options.onLoaded);
}
