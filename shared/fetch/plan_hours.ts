import { HOUR_SECONDS } from '../hours';

export { HOUR_SECONDS, lastFullHour } from '../hours';

/**
 * Hours still to fetch for a source, oldest first: from the hour after its watermark (or
 * `startHour` for a new source) to the last full hour, at most `cap` of them. A missed run
 * leaves a longer list for the next one, so gaps heal by themselves.
 */
export function plannedHours(watermark: number | null, startHour: number, lastFull: number, cap: number): { hours: number[]; remaining: number } {
  const first = watermark === null ? startHour : Math.max(watermark + HOUR_SECONDS, startHour);
  if (first > lastFull) return { hours: [], remaining: 0 };
  const total = (lastFull - first) / HOUR_SECONDS + 1;
  const count = Math.min(total, cap);
  return { hours: Array.from({ length: count }, (_, i) => first + i * HOUR_SECONDS), remaining: total - count };
}
