import * as z from 'zod';
import { PreconditionFailedError } from '../errors';
import type { ObjectStore } from '../storage/object_store';
import { HOUR_SECONDS } from '../hours';
import { manifestKey, watermarkKey } from './raw_layout';

const watermarkSchema = z.object({ source: z.string(), last_complete_hour_unix: z.number().int(), updated_at: z.iso.datetime() }).strict();
export type Watermark = z.infer<typeof watermarkSchema>;

/** The newest hour up to which every hour of a source is written, or null before the first. */
export async function readWatermark(store: ObjectStore, sourceId: string): Promise<{ watermark: Watermark | null; generation: string }> {
  const stored = await store.read(watermarkKey(sourceId));
  if (!stored) return { watermark: null, generation: '0' };
  return { watermark: watermarkSchema.parse(JSON.parse(stored.data.toString('utf8'))), generation: stored.generation };
}

/**
 * Moves the watermark forward to `hourStart` (never back), with a generation precondition so two
 * overlapping runs cannot move it backwards: on a lost race it re-reads and keeps the later hour.
 */
export async function advanceWatermark(store: ObjectStore, sourceId: string, hourStart: number, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { watermark, generation } = await readWatermark(store, sourceId);
    if (watermark && watermark.last_complete_hour_unix >= hourStart) return;
    const next: Watermark = { source: sourceId, last_complete_hour_unix: hourStart, updated_at: now.toISOString() };
    try {
      await store.write(watermarkKey(sourceId), Buffer.from(JSON.stringify(next)), { ifGenerationMatch: generation, contentType: 'application/json' });
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  throw new PreconditionFailedError(`watermark of '${sourceId}' kept changing; gave up after 5 tries`);
}

/**
 * Moves the watermark over every hour that already has a manifest, contiguously from the hour
 * after it (or from `firstHour` when the source has none) up to `upTo`: after a backfill the
 * hourly run neither refetches the backfilled hours nor skips a hole before them.
 */
export async function extendWatermark(store: ObjectStore, sourceId: string, firstHour: number, upTo: number, now: Date): Promise<number | null> {
  const { watermark } = await readWatermark(store, sourceId);
  const from = watermark ? watermark.last_complete_hour_unix + HOUR_SECONDS : firstHour;
  let hour = from;
  while (hour <= upTo && (await store.read(manifestKey(sourceId, hour)))) hour += HOUR_SECONDS;
  if (hour === from) return watermark?.last_complete_hour_unix ?? null;
  await advanceWatermark(store, sourceId, hour - HOUR_SECONDS, now);
  return hour - HOUR_SECONDS;
}
