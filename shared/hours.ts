/** Hour arithmetic the pipeline keys everything by (unix seconds of an hour's start). */
export const HOUR_SECONDS = 3600;

/** The newest hour that has fully ended at `now`. */
export function lastFullHour(now: Date): number {
  return Math.floor(now.getTime() / 1000 / HOUR_SECONDS) * HOUR_SECONDS - HOUR_SECONDS;
}

/** An hour (or any unix time) as ISO text without milliseconds, for messages. */
export function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
