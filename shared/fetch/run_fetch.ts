import type { Source } from '../config/sources';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { advanceWatermark, readWatermark } from '../raw/watermark';
import { writeHour } from '../raw/write_hour';
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
}

export interface HourSummary {
  readonly hour: string;
  readonly rows: number;
  readonly quarantined: number;
  readonly duplicates: number;
  readonly block: number;
  readonly pages: number;
  readonly indexingErrors: boolean;
}

export interface SourceSummary {
  readonly source: string;
  readonly status: 'ok' | 'failed';
  readonly fetched: HourSummary[];
  /** Hours still missing after this run (beyond the cap, or after a failure). */
  readonly pending: number;
  readonly error?: { readonly message: string; readonly retryable: boolean; readonly hour?: string };
}

export interface FetchRunSummary {
  readonly ok: boolean;
  readonly lastFullHour: string;
  readonly sources: SourceSummary[];
  /** The first failure, to map to the HTTP status. */
  readonly firstError?: unknown;
}

/**
 * Fetches, for every source, each missing complete hour up to the last full hour (oldest first,
 * capped), writes it to the raw layer and moves the source's watermark. A failing hour stops that
 * source (so the watermark never skips a hole) but not the others.
 */
export async function runFetch(sources: readonly Source[], deps: FetchRunDeps, options: FetchRunOptions): Promise<FetchRunSummary> {
  const lastFull = lastFullHour(deps.now());
  let firstError: unknown;
  const summaries = await Promise.all(
    sources.map(async (source): Promise<SourceSummary> => {
      const log = deps.logger.child({ source: source.id });
      const fetched: HourSummary[] = [];
      let hours: number[] = [];
      let remaining = 0;
      try {
        const { watermark } = await readWatermark(deps.store, source.id);
        ({ hours, remaining } = plannedHours(watermark?.last_complete_hour_unix ?? null, options.startHour, lastFull, options.maxHoursPerSource));
        const client = await deps.clientFor(source);
        for (const hour of hours) {
          const result = await withRetries(() => fetchHour(client, source, hour, options.pageSize), deps.retryPolicy, {
            ...deps.retryDeps,
            onRetry: (err, attempt, delayMs) => {
              log.log('WARNING', `retrying hour ${iso(hour)} in ${delayMs} ms`, { attempt, error: (err as Error).message });
            },
          }).catch((err: unknown) => {
            throw Object.assign(err as Error, { hour: iso(hour) });
          });
          const manifest = await writeHour(deps.store, source, result, deps.now());
          await advanceWatermark(deps.store, source.id, hour, deps.now());
          fetched.push({ hour: manifest.hour_start, rows: manifest.rows, quarantined: manifest.quarantined_rows, duplicates: manifest.duplicate_rows, block: manifest.block_number, pages: manifest.pages, indexingErrors: manifest.has_indexing_errors });
          log.log(manifest.quarantined_rows > 0 || manifest.has_indexing_errors ? 'WARNING' : 'INFO', `fetched hour ${manifest.hour_start}`, { rows: manifest.rows, quarantined: manifest.quarantined_rows, block: manifest.block_number });
        }
        return { source: source.id, status: 'ok', fetched, pending: remaining };
      } catch (err) {
        firstError ??= err;
        const retryable = err instanceof AppError ? err.retryable : false;
        const hour = (err as { hour?: string }).hour;
        log.log('ERROR', `fetch failed: ${(err as Error).message}`, { retryable, hour });
        return { source: source.id, status: 'failed', fetched, pending: hours.length - fetched.length + remaining, error: { message: (err as Error).message, retryable, ...(hour ? { hour } : {}) } };
      }
    }),
  );
  return { ok: summaries.every((s) => s.status === 'ok'), lastFullHour: iso(lastFull), sources: summaries, firstError };
}
