import type { Logger } from '../logging';
import { CorruptHourError } from '../raw/corrupt_hour_error';
import type { HourManifest } from '../raw/hour_manifest';
import { parseManifestKey } from '../raw/raw_layout';
import { markHourForRepair } from '../raw/repair_marker';
import { sha256Hex, verifyHour, type HourCheck } from '../raw/verify_hour';
import type { ObjectStore } from '../storage/object_store';
import type { Row, Warehouse } from '../warehouse/warehouse';
import { INGESTION_LOG } from './ingestion_log';

export interface LoadDeps {
  readonly store: ObjectStore;
  readonly warehouse: Warehouse;
  /** Makes raw/ queryable: the BigQuery external table, or the local DuckDB view. */
  ensureRawTable(): Promise<unknown>;
  now(): Date;
  readonly logger: Logger;
}

export type LoadResult =
  | { readonly status: 'ignored'; readonly key: string }
  | { readonly status: 'superseded'; readonly key: string }
  | { readonly status: 'loaded'; readonly source: string; readonly hour: string; readonly rows: number; readonly manifestSha256: string };

/** Where an object that is not gzip JSON lines is moved, out of raw/, so queries over raw/ keep working. */
export const CORRUPT_PREFIX = 'corrupt';

/** Loads that found the manifest replaced while they ran, before giving the hour to the newer event. */
const MAX_LOAD_ROUNDS = 3;

/**
 * Loads one hour after its manifest was written: checks every object the manifest lists (present,
 * same SHA-256, gzip JSON lines with the listed row count), makes sure raw/ is queryable, and
 * records the hour in the ingestion log, one row per source and hour naming its current manifest
 * (a redelivered event, or a refetch that changed nothing, leaves the row as it is).
 *
 * A manifest replaced while loading is `superseded` (the newer manifest's own event loads it).
 * Anything a retry cannot cure (invalid or missing manifest, a missing, corrupt or mismatched
 * object) throws a non-retryable CorruptHourError after marking the hour for repair, so the next
 * fetch run or backfill refetches it; an object that is not gzip JSON lines is first moved to
 * corrupt/, so it cannot break queries over raw/ for the other hours.
 */
export async function loadManifest(deps: LoadDeps, key: string): Promise<LoadResult> {
  const parsedKey = parseManifestKey(key);
  if (!parsedKey) return { status: 'ignored', key };
  const { sourceId, hourStart } = parsedKey;
  for (let round = 0; round < MAX_LOAD_ROUNDS; round++) {
    const check = await verifyHour(deps.store, sourceId, hourStart, { decode: true });
    if (!check.ok) {
      if (await manifestChanged(deps.store, key, check.manifestSha256)) return { status: 'superseded', key };
      await refuseHour(deps, sourceId, hourStart, check);
    }
    const manifest = (check as Extract<HourCheck, { ok: true }>).manifest;
    const manifestSha256 = (check as Extract<HourCheck, { ok: true }>).manifestSha256;
    if (manifest.source !== sourceId || manifest.hour_start_unix !== hourStart) {
      const detail = `manifest ${key} describes '${manifest.source}' ${manifest.hour_start}, not the source and hour of its key`;
      await markHourForRepair(deps.store, sourceId, hourStart, detail, deps.now());
      throw new CorruptHourError(sourceId, hourStart, 'manifest-invalid', detail);
    }
    await deps.ensureRawTable();
    await recordIngestion(deps, manifest, manifestSha256);
    // A newer manifest written meanwhile may have been logged before this one: log it again.
    if (await manifestChanged(deps.store, key, manifestSha256)) continue;
    deps.logger.log('INFO', `loaded ${manifest.source} ${manifest.hour_start}`, { rows: manifest.rows, quarantined: manifest.quarantined_rows });
    return { status: 'loaded', source: manifest.source, hour: manifest.hour_start, rows: manifest.rows, manifestSha256 };
  }
  return { status: 'superseded', key };
}

/** Whether the manifest at `key` is no longer the one whose SHA-256 is `sha256` (a newer fetch replaced it). */
export async function manifestChanged(store: ObjectStore, key: string, sha256: string | undefined): Promise<boolean> {
  const latest = await store.read(key);
  return latest !== null && sha256 !== undefined && sha256Hex(latest.data) !== sha256;
}

/** Marks the hour for repair, moves an undecodable object out of raw/, and throws the permanent error. */
async function refuseHour(deps: LoadDeps, sourceId: string, hourStart: number, check: Extract<HourCheck, { ok: false }>): Promise<never> {
  if (check.undecodable) {
    const { key, generation } = check.undecodable;
    const bad = await deps.store.read(key);
    if (bad?.generation === generation) {
      await deps.store.write(`${CORRUPT_PREFIX}/${key}`, bad.data, { contentType: 'application/octet-stream' });
      // Only that generation: a fetch that rewrote the object meanwhile keeps its good one.
      await deps.store.delete(key, { ifGenerationMatch: generation }).catch(() => undefined);
    }
  }
  await markHourForRepair(deps.store, sourceId, hourStart, `${check.problem}: ${check.detail}`, deps.now());
  const error = new CorruptHourError(sourceId, hourStart, check.problem, check.detail);
  deps.logger.log('ERROR', error.message, { source: sourceId, problem: check.problem });
  throw error;
}

/** One row per source and hour: replaced when the hour's current manifest changed, else left alone. */
async function recordIngestion(deps: LoadDeps, manifest: HourManifest, manifestSha256: string): Promise<void> {
  await deps.warehouse.ensureTable(INGESTION_LOG);
  const hourTs = new Date(manifest.hour_start_unix * 1000);
  const existing = await deps.warehouse.query('SELECT manifest_sha256 FROM `dex_ops.ingestion_log` WHERE source = @source AND hour_ts = @hour_ts', { source: manifest.source, hour_ts: hourTs });
  if (existing.length === 1 && existing[0]!.manifest_sha256 === manifestSha256) return;
  await deps.warehouse.replaceRows(INGESTION_LOG, { source: manifest.source, hour_ts: hourTs }, [ingestionRow(manifest, manifestSha256, deps.now())]);
}

/** The ingestion_log row of an hour's current manifest. */
export function ingestionRow(manifest: HourManifest, manifestSha256: string, loadedAt: Date): Row {
  return {
    source: manifest.source,
    hour_ts: new Date(manifest.hour_start_unix * 1000).toISOString(),
    manifest_sha256: manifestSha256,
    rows: manifest.rows,
    quarantined_rows: manifest.quarantined_rows,
    duplicate_rows: manifest.duplicate_rows,
    block_number: manifest.block_number,
    block_timestamp: manifest.block_timestamp,
    has_indexing_errors: manifest.has_indexing_errors,
    objects: JSON.stringify(manifest.objects.map((o) => ({ key: o.key, rows: o.rows, generation: o.generation }))),
    fetched_at: manifest.fetched_at,
    loaded_at: loadedAt.toISOString(),
  };
}
