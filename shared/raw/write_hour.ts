import type { Source } from '../config/sources';
import { PreconditionFailedError } from '../errors';
import type { ObjectStore } from '../storage/object_store';
import type { HourFetch } from '../subgraph/fetch_hour';
import type { HourManifest } from './hour_manifest';
import { encodeJsonlGzipAsync } from './jsonl_gzip';
import { manifestKey, quarantineKey, rawDataKey } from './raw_layout';
import { sha256Hex, verifyHour } from './verify_hour';

/**
 * What a write of an hour did: `written` (this run's manifest is current and matches its data),
 * `unchanged` (the stored hour already held exactly these objects: nothing was written), or
 * `lost` (a concurrent run committed a consistent hour meanwhile; `manifest` is that run's).
 */
export type HourWriteOutcome = 'written' | 'unchanged' | 'lost';

export interface HourWrite {
  readonly outcome: HourWriteOutcome;
  /** The hour's current manifest. */
  readonly manifest: HourManifest;
}

/** Reads of the hour before giving up on other writers settling it. */
export const MAX_COMMIT_ROUNDS = 40;
/** Times a run waits for another run whose data is in place to write that data's manifest. */
const MAX_WAITS = 20;

interface Part {
  readonly role: 'data' | 'quarantine';
  readonly key: string;
  readonly data: Buffer;
  readonly rows: number;
  readonly sha256: string;
}

export interface CommitOptions {
  /** A short wait while another run finishes its write (default: 1 to 10 ms). */
  readonly pause?: () => Promise<void>;
}

const shortPause = () => new Promise<void>((resolve) => setTimeout(resolve, 1 + Math.floor(Math.random() * 10)));

/**
 * Writes one fetched hour: the data part (always, even empty, so "no rows" is a fact on disk),
 * the quarantine part when rows failed validation (and removes a stale one when none did), then
 * the manifest, with a generation precondition on the manifest seen before. Then it reads the
 * hour back until it is consistent. When runs race, the run whose data part is in place writes
 * the manifest and the others wait for it, so any number of runs writing one hour leave a
 * manifest that matches its data on any store, and each run learns whether its write stayed.
 */
export async function commitHour(store: ObjectStore, source: Source, fetched: HourFetch, fetchedAt: Date, options: CommitOptions = {}): Promise<HourWrite> {
  const pause = options.pause ?? shortPause;
  const part = async (role: Part['role'], key: string, rows: readonly unknown[]): Promise<Part> => {
    const data = await encodeJsonlGzipAsync(rows);
    return { role, key, data, rows: rows.length, sha256: sha256Hex(data) };
  };
  const parts = [await part('data', rawDataKey(source.id, fetched.hourStart), fetched.rows)];
  if (fetched.quarantined.length > 0) {
    parts.push(await part('quarantine', quarantineKey(source.id, fetched.hourStart), fetched.quarantined.map((q) => ({ source: source.id, hour_start_unix: fetched.hourStart, reason: q.reason, row: q.row }))));
  }
  let startGeneration: string | undefined;
  let ownGeneration: string | undefined;
  let waits = 0;
  for (let round = 0; round < MAX_COMMIT_ROUNDS; round++) {
    const current = await verifyHour(store, source.id, fetched.hourStart);
    startGeneration ??= current.manifestGeneration;
    if (current.ok) {
      if (sameParts(current.manifest, parts)) return { outcome: current.manifestGeneration === ownGeneration ? 'written' : ownGeneration === undefined && round === 0 ? 'unchanged' : 'lost', manifest: current.manifest };
      // Another run committed a consistent hour after this one began: that hour stays.
      if (current.manifestGeneration !== startGeneration) return { outcome: 'lost', manifest: current.manifest };
    } else if (round > 0 && waits < MAX_WAITS) {
      const held = await store.read(parts[0]!.key);
      if (held && sha256Hex(held.data) !== parts[0]!.sha256) {
        // Another run's data is in place: it is between its data and its manifest. Let it finish.
        waits++;
        await pause();
        continue;
      }
    }
    const objects: HourManifest['objects'] = [];
    for (const p of parts) {
      const { generation } = await store.write(p.key, p.data, { contentType: 'application/gzip' });
      objects.push({ role: p.role, key: p.key, generation, size: p.data.length, rows: p.rows, sha256: p.sha256 });
    }
    if (fetched.quarantined.length === 0) await store.delete(quarantineKey(source.id, fetched.hourStart));
    const manifest = buildManifest(source, fetched, fetchedAt, objects);
    try {
      ({ generation: ownGeneration } = await store.write(manifestKey(source.id, fetched.hourStart), Buffer.from(JSON.stringify(manifest, null, 2)), { ifGenerationMatch: current.manifestGeneration, contentType: 'application/json' }));
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  throw new PreconditionFailedError(`hour ${new Date(fetched.hourStart * 1000).toISOString()} of '${source.id}' kept changing under concurrent writers; gave up after ${MAX_COMMIT_ROUNDS} rounds`);
}

/** `commitHour`, answering the hour's current manifest (the tests' and scripts' usual need). */
export async function writeHour(store: ObjectStore, source: Source, fetched: HourFetch, fetchedAt: Date): Promise<HourManifest> {
  return (await commitHour(store, source, fetched, fetchedAt)).manifest;
}

function sameParts(manifest: HourManifest, parts: readonly Part[]): boolean {
  return manifest.objects.length === parts.length && parts.every((p) => manifest.objects.some((o) => o.role === p.role && o.key === p.key && o.sha256 === p.sha256 && o.rows === p.rows));
}

function buildManifest(source: Source, fetched: HourFetch, fetchedAt: Date, objects: HourManifest['objects']): HourManifest {
  return {
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
}
