import type { Source } from '../config/sources';
import { mapConcurrent } from '../concurrency';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { advanceWatermark, readWatermark } from '../raw/watermark';
import { clearRepairMarker, hoursMarkedForRepair } from '../raw/repair_marker';
import { commitHour, type HourWriteOutcome } from '../raw/write_hour';
import { withRetries, type RetryDeps, type RetryPolicy } from '../retry';
import type { ObjectStore } from '../storage/object_store';
import { iso } from '../hours';
import { fetchHour } from '../subgraph/fetch_hour';
import type { SubgraphClient } from '../subgraph/subgraph_client';
import { lastFullHour, plannedHours } from './plan_hours';

export interface FetchRunDeps {
  readonly store: ObjectStore;
  clientFor(source: Source): Promise<SubgraphClient>;
  now(): Date;
  readonly logger: Logger;
  readonly retryPolicy: RetryPolicy;
  readonly retryDeps: RetryDeps;
}

export interface FetchRunOptions {
  /** Hours fetched per source per run at most (oldest first). */
  readonly maxHoursPerSource: number;
  /** First hour for a source that has no watermark yet (unix seconds). */
  readonly startHour: number;
  readonly pageSize?: number;
  /**
   * Hours of one source fetched and written at once (default 1). The watermark still moves only
   * over hours written without a gap, so a failure never lets it skip one.
   */
  readonly hoursInFlight?: number;
}

export interface HourSummary {
  readonly hour: string;
  readonly rows: number;
  readonly quarantined: number;
  readonly duplicates: number;
  readonly block: number;
  readonly pages: number;
  readonly indexingErrors: boolean;
  /** `lost`: a concurrent run's write of the hour stayed; `unchanged`: the data was already there. */
  readonly write: HourWriteOutcome;
  /** The hour was refetched because it was marked for repair. */
  readonly repair: boolean;
}

export interface SourceSummary {
  readonly source: string;
  readonly status: 'ok' | 'failed';
  readonly fetched: HourSummary[];
  /** Hours still missing after this run (beyond the cap, or after a failure). */
  readonly pending: number;
  readonly error?: { readonly message: string; readonly retryable: boolean; readonly hour?: string };
  /** Hours marked for repair whose refetch failed this run (they stay marked). */
  readonly repairsFailed?: { readonly hour: string; readonly message: string }[];
}

export interface FetchRunSummary {
  readonly ok: boolean;
  /** ISO with milliseconds, like every hour in the summary (the manifests' hour_start). */
  readonly lastFullHour: string;
  readonly sources: SourceSummary[];
  /** The first failure, to map to the HTTP status. */
  readonly firstError?: unknown;
}

/**
 * Fetches, for every source, the hours marked for repair first, then each missing complete hour
 * up to the last full hour (oldest first, both within the cap), writes them to the raw layer and
 * moves the source's watermark. A failing new hour stops that source (so the watermark never
 * skips a hole) but not the others; a failing repair stays marked and does not block new hours.
 */
export async function runFetch(sources: readonly Source[], deps: FetchRunDeps, options: FetchRunOptions): Promise<FetchRunSummary> {
  const lastFull = lastFullHour(deps.now());
  let firstError: unknown;
  const summaries = await Promise.all(
    sources.map(async (source): Promise<SourceSummary> => {
      const log = deps.logger.child({ source: source.id });
      const fetched: HourSummary[] = [];
      const repairsFailed: { hour: string; message: string }[] = [];
      let hours: number[] = [];
      let remaining = 0;
      try {
        const { watermark } = await readWatermark(deps.store, source.id);
        ({ hours, remaining } = plannedHours(watermark?.last_complete_hour_unix ?? null, options.startHour, lastFull, options.maxHoursPerSource));
        const markers = new Map((await hoursMarkedForRepair(deps.store, source.id)).map((m) => [m.hourStart, m.generation]));
        const repairs = [...markers.keys()].filter((h) => h <= lastFull && !hours.includes(h)).slice(0, options.maxHoursPerSource);
        const kept = Math.max(0, options.maxHoursPerSource - repairs.length);
        remaining += Math.max(0, hours.length - kept);
        hours = hours.slice(0, kept);
        const client = await deps.clientFor(source);
        const fetchAndWrite = async (hour: number, repair: boolean) => {
          const result = await withRetries(() => fetchHour(client, source, hour, options.pageSize), deps.retryPolicy, {
            ...deps.retryDeps,
            onRetry: (err, attempt, delayMs) => {
              log.log('WARNING', `retrying hour ${iso(hour)} in ${delayMs} ms`, { attempt, error: (err as Error).message });
            },
          }).catch((err: unknown) => {
            throw Object.assign(err as Error, { hour: iso(hour) });
          });
          const { outcome, manifest } = await commitHour(deps.store, source, result, deps.now());
          if (markers.has(hour)) await clearRepairMarker(deps.store, source.id, hour, markers.get(hour));
          fetched.push({ hour: manifest.hour_start, rows: manifest.rows, quarantined: manifest.quarantined_rows, duplicates: manifest.duplicate_rows, block: manifest.block_number, pages: manifest.pages, indexingErrors: manifest.has_indexing_errors, write: outcome, repair });
          log.log(manifest.quarantined_rows > 0 || manifest.has_indexing_errors ? 'WARNING' : 'INFO', `${repair ? 'repaired' : 'fetched'} hour ${manifest.hour_start}${outcome === 'lost' ? ' (a concurrent run wrote it first)' : ''}`, { rows: manifest.rows, quarantined: manifest.quarantined_rows, block: manifest.block_number, write: outcome });
        };
        const inFlight = options.hoursInFlight ?? 1;
        await mapConcurrent(repairs, inFlight, async (hour) => {
          try {
            await fetchAndWrite(hour, true);
          } catch (err) {
            firstError ??= err;
            repairsFailed.push({ hour: iso(hour), message: (err as Error).message });
            log.log('ERROR', `repair of hour ${iso(hour)} failed: ${(err as Error).message}`, { retryable: err instanceof AppError ? err.retryable : false });
          }
        });
        const written = new Set<number>();
        let contiguous = 0;
        let watermarkMoves: Promise<void> = Promise.resolve();
        try {
          await mapConcurrent(hours, inFlight, async (hour) => {
            await fetchAndWrite(hour, false);
            written.add(hour);
            // Only over the hours written without a gap, in order, one move at a time.
            let upTo: number | undefined;
            while (contiguous < hours.length && written.has(hours[contiguous]!)) upTo = hours[contiguous++];
            if (upTo !== undefined) {
              const to = upTo;
              watermarkMoves = watermarkMoves.then(() => advanceWatermark(deps.store, source.id, to, deps.now()));
            }
            await watermarkMoves;
          });
        } finally {
          fetched.sort((a, b) => Number(b.repair) - Number(a.repair) || (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
        }
        return { source: source.id, status: repairsFailed.length > 0 ? 'failed' : 'ok', fetched, pending: remaining, ...(repairsFailed.length > 0 ? { repairsFailed } : {}) };
      } catch (err) {
        firstError ??= err;
        const retryable = err instanceof AppError ? err.retryable : false;
        const hour = (err as { hour?: string }).hour;
        log.log('ERROR', `fetch failed: ${(err as Error).message}`, { retryable, hour });
        const newHours = fetched.filter((f) => !f.repair).length;
        return { source: source.id, status: 'failed', fetched, pending: hours.length - newHours + remaining, error: { message: (err as Error).message, retryable, ...(hour ? { hour } : {}) }, ...(repairsFailed.length > 0 ? { repairsFailed } : {}) };
      }
    }),
  );
  return { ok: summaries.every((s) => s.status === 'ok'), lastFullHour: new Date(lastFull * 1000).toISOString(), sources: summaries, firstError };
}
