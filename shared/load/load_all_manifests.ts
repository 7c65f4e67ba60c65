import { CorruptHourError } from '../raw/corrupt_hour_error';
import { MANIFEST_PREFIX } from '../raw/raw_layout';
import { INGESTION_LOG } from './ingestion_log';
import { loadManifest, type LoadDeps } from './load_manifest';

export interface LoadAllResult {
  readonly loaded: number;
  readonly superseded: number;
  /** Hours refused as corrupt (each marked for repair), with why. */
  readonly refused: { readonly key: string; readonly message: string }[];
}

/**
 * Loads every manifest in the store (local runs and tests; in the cloud each manifest's own event
 * does this). A corrupt hour is recorded and skipped, so it does not stop the other hours.
 */
export async function loadAllManifests(deps: LoadDeps, onDone?: (key: string) => void): Promise<LoadAllResult> {
  let loaded = 0;
  let superseded = 0;
  const refused: { key: string; message: string }[] = [];
  // Even with nothing to load, staging reads the log: an empty store stages nothing instead of failing.
  await deps.warehouse.ensureTable(INGESTION_LOG);
  for (const { key } of await deps.store.list(`${MANIFEST_PREFIX}/`)) {
    try {
      const result = await loadManifest(deps, key);
      if (result.status === 'loaded') loaded++;
      else if (result.status === 'superseded') superseded++;
    } catch (err) {
      if (!(err instanceof CorruptHourError)) throw err;
      refused.push({ key, message: err.message });
    }
    onDone?.(key);
  }
  return { loaded, superseded, refused };
}
