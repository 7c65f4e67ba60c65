import { mapConcurrent } from '../concurrency';
import { CorruptHourError } from '../raw/corrupt_hour_error';
import type { HourManifest } from '../raw/hour_manifest';
import { MANIFEST_PREFIX, parseManifestKey } from '../raw/raw_layout';
import { verifyHour } from '../raw/verify_hour';
import type { Warehouse } from '../warehouse/warehouse';
import { INGESTION_LOG } from './ingestion_log';
import { ingestionRow, loadManifest, manifestChanged, type LoadDeps } from './load_manifest';

export interface LoadAllResult {
  readonly loaded: number;
  readonly superseded: number;
  /** Hours refused as corrupt (each marked for repair), with why. */
  readonly refused: { readonly key: string; readonly message: string }[];
}

export interface LoadAllOptions {
  /** Manifests verified and logged together (one warehouse transaction each). */
  readonly batchSize?: number;
  /** Hours verified at once within a batch (reads overlap; hashing and decoding do not). */
  readonly concurrency?: number;
}

const DEFAULT_BATCH = 120;
const DEFAULT_CONCURRENCY = 8;

interface Verified {
  readonly key: string;
  readonly manifest: HourManifest;
  readonly manifestSha256: string;
}

/**
 * Loads every manifest in the store (local runs and tests; in the cloud each manifest's own event
 * does this). A corrupt hour is recorded and skipped, so it does not stop the other hours.
 *
 * With a warehouse that replaces many keys at once, manifests go in batches: their hours are
 * verified concurrently, as `loadManifest` verifies one, and the batch's changed hours are logged
 * in one transaction. Any hour that does not verify, and any manifest replaced while its batch
 * ran, goes through `loadManifest` on its own, so the outcome per hour is the same either way.
 */
export async function loadAllManifests(deps: LoadDeps, onDone?: (key: string) => void, options: LoadAllOptions = {}): Promise<LoadAllResult> {
  let loaded = 0;
  let superseded = 0;
  const refused: { key: string; message: string }[] = [];
  const loadOne = async (key: string): Promise<void> => {
    try {
      const result = await loadManifest(deps, key);
      if (result.status === 'loaded') loaded++;
      else if (result.status === 'superseded') superseded++;
    } catch (err) {
      if (!(err instanceof CorruptHourError)) throw err;
      refused.push({ key, message: err.message });
    }
  };
  // Even with nothing to load, staging reads the log: an empty store stages nothing instead of failing.
  await deps.warehouse.ensureTable(INGESTION_LOG);
  const keys = (await deps.store.list(`${MANIFEST_PREFIX}/`)).map((o) => o.key);
  const replaceMany = deps.warehouse.replaceRowsByKeys?.bind(deps.warehouse);
  if (!replaceMany) {
    for (const key of keys) {
      await loadOne(key);
      onDone?.(key);
    }
    return { loaded, superseded, refused };
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  for (let start = 0; start < keys.length; start += batchSize) {
    const batch = keys.slice(start, start + batchSize);
    const checks = await mapConcurrent(batch, options.concurrency ?? DEFAULT_CONCURRENCY, async (key): Promise<Verified | { key: string; verified: false }> => {
      const parsed = parseManifestKey(key);
      if (!parsed) return { key, verified: false };
      const check = await verifyHour(deps.store, parsed.sourceId, parsed.hourStart, { decode: true });
      // Anything but a sound manifest of the key's own source and hour takes the one-by-one path.
      if (!check.ok || check.manifest.source !== parsed.sourceId || check.manifest.hour_start_unix !== parsed.hourStart) return { key, verified: false };
      return { key, manifest: check.manifest, manifestSha256: check.manifestSha256 };
    });
    const verified = checks.filter((c): c is Verified => 'manifest' in c);
    const oneByOne = checks.filter((c) => !('manifest' in c)).map((c) => c.key);
    if (verified.length > 0) {
      await deps.ensureRawTable();
      const logged = await loggedManifests(deps.warehouse, verified.map((v) => v.manifest));
      const now = deps.now();
      const changed = verified.filter((v) => logged.get(logKey(v.manifest.source, v.manifest.hour_start_unix)) !== v.manifestSha256);
      if (changed.length > 0) await replaceMany(INGESTION_LOG, ['source', 'hour_ts'], changed.map((v) => ingestionRow(v.manifest, v.manifestSha256, now)));
      // A newer manifest written meanwhile may have been logged before this one: load it again.
      const replaced = await mapConcurrent(verified, options.concurrency ?? DEFAULT_CONCURRENCY, (v) => manifestChanged(deps.store, v.key, v.manifestSha256));
      verified.forEach((v, i) => {
        if (replaced[i]) oneByOne.push(v.key);
        else {
          loaded++;
          deps.logger.log('INFO', `loaded ${v.manifest.source} ${v.manifest.hour_start}`, { rows: v.manifest.rows, quarantined: v.manifest.quarantined_rows });
        }
      });
    }
    for (const key of oneByOne) await loadOne(key);
    for (const key of batch) onDone?.(key);
  }
  return { loaded, superseded, refused };
}

const logKey = (source: string, hourStart: number) => `${source}\u0000${hourStart}`;

/** The manifest SHA-256 the ingestion log names for each source and hour of `manifests`. */
async function loggedManifests(warehouse: Warehouse, manifests: readonly HourManifest[]): Promise<Map<string, string>> {
  const hours = manifests.map((m) => m.hour_start_unix);
  const rows = await warehouse.query('SELECT source, UNIX_SECONDS(hour_ts) AS hour_start, manifest_sha256 FROM `dex_ops.ingestion_log` WHERE hour_ts BETWEEN @from AND @to', {
    from: new Date(Math.min(...hours) * 1000),
    to: new Date(Math.max(...hours) * 1000),
  });
  const logged = new Map<string, string>();
  for (const r of rows) {
    const key = logKey(String(r.source), Number(r.hour_start));
    // Two rows for one hour (a log from before it kept one row per hour) match no manifest: rewritten.
    logged.set(key, logged.has(key) ? '' : String(r.manifest_sha256));
  }
  return logged;
}
