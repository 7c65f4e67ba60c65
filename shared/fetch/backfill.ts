import type { Source } from '../config/sources';
import { clearRepairMarker, repairMarkerGeneration } from '../raw/repair_marker';
import { verifyHour } from '../raw/verify_hour';
import { extendWatermark } from '../raw/watermark';
import { commitHour } from '../raw/write_hour';
import { withRetries, type RetryDeps, type RetryPolicy } from '../retry';
import type { ObjectStore } from '../storage/object_store';
import { iso } from '../hours';
import { fetchHour } from '../subgraph/fetch_hour';
import type { SubgraphClient } from '../subgraph/subgraph_client';
import { HOUR_SECONDS } from './plan_hours';

export interface BackfillProgress {
  readonly done: number;
  readonly skipped: number;
  readonly total: number;
  readonly rows: number;
  readonly quarantined: number;
  readonly requests: number;
  readonly elapsedMs: number;
  readonly hour: string;
}

export interface BackfillDeps {
  readonly store: ObjectStore;
  readonly client: SubgraphClient;
  readonly retryPolicy: RetryPolicy;
  readonly retryDeps: RetryDeps;
  now(): Date;
  onProgress?(p: BackfillProgress): void;
  /** Checked between hours; true stops cleanly after the current hour. */
  shouldStop?(): boolean;
  readonly pageSize?: number;
}

/** Every hour from `fromHour` to `toHour` inclusive (unix seconds of hour starts). */
export function hoursBetween(fromHour: number, toHour: number): number[] {
  const out: number[] = [];
  for (let h = fromHour; h <= toHour; h += HOUR_SECONDS) out.push(h);
  return out;
}

/**
 * Fetches a range of hours for one source, oldest first. An hour whose manifest matches its data
 * and that is not marked for repair is done and skipped, so an interrupted backfill resumes where
 * it stopped (an hour cut off before its manifest, or broken since, is fetched again). At the end
 * the watermark moves over the hours now present, so the hourly run continues after them. Only
 * one hour's rows are in memory at a time.
 */
export async function backfill(source: Source, hours: readonly number[], deps: BackfillDeps): Promise<BackfillProgress> {
  const started = Date.now();
  let done = 0;
  let skipped = 0;
  let rows = 0;
  let quarantined = 0;
  let requests = 0;
  let progress: BackfillProgress = { done, skipped, total: hours.length, rows, quarantined, requests, elapsedMs: 0, hour: '' };
  for (const hour of hours) {
    if (deps.shouldStop?.()) break;
    const marker = await repairMarkerGeneration(deps.store, source.id, hour);
    if (marker === undefined && (await verifyHour(deps.store, source.id, hour)).ok) {
      skipped++;
    } else {
      const fetched = await withRetries(() => fetchHour(deps.client, source, hour, deps.pageSize), deps.retryPolicy, deps.retryDeps);
      await commitHour(deps.store, source, fetched, deps.now());
      if (marker !== undefined) await clearRepairMarker(deps.store, source.id, hour, marker);
      rows += fetched.rows.length;
      quarantined += fetched.quarantined.length;
      requests += fetched.pages;
    }
    done++;
    progress = { done, skipped, total: hours.length, rows, quarantined, requests, elapsedMs: Date.now() - started, hour: iso(hour) };
    deps.onProgress?.(progress);
  }
  if (hours.length > 0) await extendWatermark(deps.store, source.id, hours[0]!, hours[hours.length - 1]!, deps.now());
  return progress;
}

/** One progress line: bar, hours, rows, rate and ETA. */
export function formatProgress(p: BackfillProgress, width = 30): string {
  const share = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(share * width);
  const seconds = p.elapsedMs / 1000;
  const fetchedHours = p.done - p.skipped;
  const rate = seconds > 0 ? p.rows / seconds : 0;
  const eta = fetchedHours > 0 ? ((p.total - p.done) * seconds) / fetchedHours : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} hours (${p.skipped} already done)  ${p.rows.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ETA ${formatDuration(eta)}  ${p.hour}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
