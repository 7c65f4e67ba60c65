import { InvalidInputError } from '../errors';
import { iso } from '../hours';
import type { HourProblem } from './verify_hour';

/**
 * An hour whose stored objects cannot be trusted (manifest missing or invalid, an object missing,
 * corrupt, or not the one the manifest names). No retry of the same event can cure it, so it is
 * not retryable; the hour is marked for repair, and the next fetch run or backfill refetches it.
 */
export class CorruptHourError extends InvalidInputError {
  constructor(
    readonly sourceId: string,
    readonly hourStart: number,
    readonly problem: HourProblem,
    detail: string,
  ) {
    super(`hour ${iso(hourStart)} of '${sourceId}' cannot be loaded (${problem}): ${detail}; marked for repair, the next fetch run or backfill refetches it`);
  }
}
