import { createHash } from 'node:crypto';
import type { Source } from '../config/sources';
import type { ObjectStore } from '../storage/object_store';
import type { HourFetch } from '../subgraph/fetch_hour';
import type { HourManifest } from './hour_manifest';
import { encodeJsonlGzip } from './jsonl_gzip';
import { manifestKey, quarantineKey, rawDataKey } from './raw_layout';

/**
 * Writes one fetched hour: the data part (always, even empty, so "no rows" is a fact on disk),
 * the quarantine part when rows failed validation (and removes a stale one when none did), then
 * the manifest last. Rerunning an hour overwrites the same objects: nothing doubles, and each
 * object is replaced whole, so a reader never sees half of one.
 */
export async function writeHour(store: ObjectStore, source: Source, fetched: HourFetch, fetchedAt: Date): Promise<HourManifest> {
  const objects: HourManifest['objects'] = [];
  const put = async (role: 'data' | 'quarantine', key: string, rows: readonly unknown[]) => {
    const data = encodeJsonlGzip(rows);
    const { generation } = await store.write(key, data, { contentType: 'application/gzip' });
    objects.push({ role, key, generation, size: data.length, rows: rows.length, sha256: createHash('sha256').update(data).digest('hex') });
  };
  await put('data', rawDataKey(source.id, fetched.hourStart), fetched.rows);
  const qKey = quarantineKey(source.id, fetched.hourStart);
  if (fetched.quarantined.length > 0) {
    await put('quarantine', qKey, fetched.quarantined.map((q) => ({ source: source.id, hour_start_unix: fetched.hourStart, reason: q.reason, row: q.row })));
  } else {
    await store.delete(qKey);
  }
  const manifest: HourManifest = {
    schema_version: 1,
    source: source.id,
    dex: source.dex,
    chain: source.chain,
    kind: source.kind,
    hour_start: new Date(fetched.hourStart * 1000).toISOString(),
    hour_start_unix: fetched.hourStart,
    rows: fetched.rows.length,
    quarantined_rows: fetched.quarantined.length,
    duplicate_rows: fetched.duplicateRows,
    block_number: fetched.block.number,
    block_timestamp: fetched.block.timestamp,
    block_hash: fetched.block.hash,
    has_indexing_errors: fetched.hasIndexingErrors,
    pages: fetched.pages,
    fetched_at: fetchedAt.toISOString(),
    objects,
  };
  await store.write(manifestKey(source.id, fetched.hourStart), Buffer.from(JSON.stringify(manifest, null, 2)), { contentType: 'application/json' });
  return manifest;
}
