import { createHash } from 'node:crypto';
import { InvalidInputError, NotReadyError } from '../errors';
import type { Logger } from '../logging';
import { hourManifestSchema, type HourManifest } from '../raw/hour_manifest';
import { parseManifestKey } from '../raw/raw_layout';
import type { ObjectStore } from '../storage/object_store';
import type { Warehouse } from '../warehouse/warehouse';
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

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Loads one hour after its manifest was written: checks every object the manifest lists (present,
 * same SHA-256), makes sure raw/ is queryable, and records the ingestion keyed by the manifest's
 * hash, so a redelivered event changes nothing. A manifest already replaced by a newer fetch is
 * skipped (that fetch's own event loads it); objects that do not match yet are retryable.
 */
export async function loadManifest(deps: LoadDeps, key: string): Promise<LoadResult> {
  const parsedKey = parseManifestKey(key);
  if (!parsedKey) return { status: 'ignored', key };
  const stored = await deps.store.read(key);
  if (!stored) throw new NotReadyError(`manifest ${key} is not readable yet`);
  const manifestSha256 = sha256(stored.data);
  let manifest: HourManifest;
  try {
    manifest = hourManifestSchema.parse(JSON.parse(stored.data.toString('utf8')));
  } catch (err) {
    throw new InvalidInputError(`manifest ${key} is invalid: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  for (const object of manifest.objects) {
    const current = await deps.store.read(object.key);
    if (current && sha256(current.data) === object.sha256) continue;
    const latest = await deps.store.read(key);
    if (latest && sha256(latest.data) !== manifestSha256) return { status: 'superseded', key };
    throw new NotReadyError(`${object.key} ${current ? 'does not match' : 'is missing for'} manifest ${key}`);
  }
  await deps.ensureRawTable();
  await deps.warehouse.ensureTable(INGESTION_LOG);
  const hourTs = new Date(manifest.hour_start_unix * 1000);
  await deps.warehouse.replaceRows(INGESTION_LOG, { source: manifest.source, hour_ts: hourTs, manifest_sha256: manifestSha256 }, [
    {
      source: manifest.source,
      hour_ts: hourTs.toISOString(),
      manifest_sha256: manifestSha256,
      rows: manifest.rows,
      quarantined_rows: manifest.quarantined_rows,
      duplicate_rows: manifest.duplicate_rows,
      block_number: manifest.block_number,
      block_timestamp: manifest.block_timestamp,
      has_indexing_errors: manifest.has_indexing_errors,
      objects: JSON.stringify(manifest.objects.map((o) => ({ key: o.key, rows: o.rows, generation: o.generation }))),
      fetched_at: manifest.fetched_at,
      loaded_at: deps.now().toISOString(),
    },
  ]);
  deps.logger.log('INFO', `loaded ${manifest.source} ${manifest.hour_start}`, { rows: manifest.rows, quarantined: manifest.quarantined_rows });
  return { status: 'loaded', source: manifest.source, hour: manifest.hour_start, rows: manifest.rows, manifestSha256 };
}
