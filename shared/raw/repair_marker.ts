import { PreconditionFailedError } from '../errors';
import type { ObjectStore } from '../storage/object_store';
import { parseRepairMarkerKey, REPAIR_PREFIX, repairMarkerKey } from './raw_layout';

export interface RepairMarker {
  readonly source: string;
  readonly hour_start_unix: number;
  readonly reason: string;
  readonly marked_at: string;
}

/**
 * Asks the next fetch run or backfill to refetch an hour whose stored objects cannot be trusted
 * (written by load on a permanent failure, or by fetch when it could not settle an hour). The hour
 * heals without anyone acting; the marker says why it was needed.
 */
export async function markHourForRepair(store: ObjectStore, sourceId: string, hourStart: number, reason: string, now: Date): Promise<void> {
  const marker: RepairMarker = { source: sourceId, hour_start_unix: hourStart, reason, marked_at: now.toISOString() };
  await store.write(repairMarkerKey(sourceId, hourStart), Buffer.from(JSON.stringify(marker)), { contentType: 'application/json' });
}

/** Hours of a source marked for repair, oldest first, with each marker's generation. */
export async function hoursMarkedForRepair(store: ObjectStore, sourceId: string): Promise<{ hourStart: number; generation: string }[]> {
  const listed = await store.list(`${REPAIR_PREFIX}/source=${sourceId}/`);
  return listed
    .map((o) => ({ parsed: parseRepairMarkerKey(o.key), generation: o.generation }))
    .filter((o): o is { parsed: { sourceId: string; hourStart: number }; generation: string } => o.parsed?.sourceId === sourceId)
    .map((o) => ({ hourStart: o.parsed.hourStart, generation: o.generation }))
    .sort((a, b) => a.hourStart - b.hourStart);
}

/** Removes a marker once its hour is rewritten; a marker set again since (newer generation) stays. */
export async function clearRepairMarker(store: ObjectStore, sourceId: string, hourStart: number, generation?: string): Promise<void> {
  try {
    await store.delete(repairMarkerKey(sourceId, hourStart), generation === undefined ? {} : { ifGenerationMatch: generation });
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
  }
}

/** The generation of an hour's marker, or undefined when the hour is not marked. */
export async function repairMarkerGeneration(store: ObjectStore, sourceId: string, hourStart: number): Promise<string | undefined> {
  return (await store.read(repairMarkerKey(sourceId, hourStart)))?.generation;
}
