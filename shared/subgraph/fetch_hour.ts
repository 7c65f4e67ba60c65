import type { Source } from '../config/sources';
import { HOUR_SECONDS, iso } from '../hours';
import { NotReadyError, UpstreamError } from '../errors';
import type { QuarantinedRow, RawPoolHour } from '../raw/raw_record';
import { graphErrorToAppError } from './graph_errors';
import { loadQuery } from './queries';
import { toRawRecord, type BlockRef } from './row_schemas';
import type { SubgraphClient } from './subgraph_client';

export const PAGE_SIZE = 1000;

export interface HourFetch {
  readonly hourStart: number;
  readonly rows: RawPoolHour[];
  readonly quarantined: QuarantinedRow[];
  readonly block: BlockRef & { readonly hash: string };
  readonly pages: number;
  /** Rows a page repeated from an earlier page (kept once). */
  readonly duplicateRows: number;
  readonly hasIndexingErrors: boolean;
}

interface PageData {
  _meta?: { block?: { number?: number; timestamp?: number | null; hash?: string | null }; hasIndexingErrors?: boolean };
  rows?: unknown[];
}

/**
 * Every hourly entity of one hour as one consistent snapshot: the first page runs at the head and
 * its `_meta` names the block, every later page is pinned to that block, pages follow an `id_gt`
 * cursor (never `skip`). An hour the subgraph has not finished indexing is a NotReadyError; a
 * row that fails validation is quarantined with the reason; a repeated row is kept once.
 */
export async function fetchHour(client: SubgraphClient, source: Source, hourStart: number, pageSize = PAGE_SIZE): Promise<HourFetch> {
  if (hourStart % HOUR_SECONDS !== 0) throw new RangeError(`hour start ${hourStart} is not a whole hour`);
  const v2 = source.kind === 'sushiswap-v2';
  const query = loadQuery(v2 ? 'pair_hour_page.graphql' : 'pool_hour_page.graphql');
  const timeField = v2 ? 'hourStartUnix' : 'periodStartUnix';
  const tvlFilter = source.minTvlUsd > 0 ? (v2 ? { pair_: { reserveUSD_gte: String(source.minTvlUsd) } } : { pool_: { totalValueLockedUSD_gte: String(source.minTvlUsd) } }) : {};
  const rows: RawPoolHour[] = [];
  const quarantined: QuarantinedRow[] = [];
  const seen = new Set<string>();
  // A malformed row that is re-served (it ended a page, so the next page starts with it) is kept once.
  const seenQuarantined = new Set<string>();
  let duplicateRows = 0;
  let cursor = v2 ? '0x' : '';
  let block: (BlockRef & { hash: string }) | undefined;
  let hasIndexingErrors = false;
  let pages = 0;
  for (;;) {
    const variables = { first: pageSize, block: block ? { number: block.number } : null, where: { [timeField]: hourStart, id_gt: cursor, ...tvlFilter } };
    const result = await client.request(query, variables);
    pages++;
    const indexingError = result.errors.includes('indexing_error');
    const others = result.errors.filter((e) => e !== 'indexing_error');
    if (others.length > 0) throw graphErrorToAppError(source.id, others[0]!);
    const data = result.data as PageData | undefined;
    const meta = data?._meta?.block;
    if (!data || !Array.isArray(data.rows) || typeof meta?.number !== 'number' || typeof meta.timestamp !== 'number') {
      if (indexingError) throw new UpstreamError(`subgraph '${source.id}': indexing_error with no data (query not sent with subgraphError: allow?)`, true);
      throw new UpstreamError(`subgraph '${source.id}': answer without _meta.block or rows`, true);
    }
    if (data._meta?.hasIndexingErrors || indexingError) {
      hasIndexingErrors = true;
      if (source.onIndexingErrors === 'fail') {
        throw new UpstreamError(`subgraph '${source.id}' reports indexing errors at block ${meta.number}; hour ${iso(hourStart)} not written (source policy: fail)`, true);
      }
    }
    if (!block) {
      if (meta.timestamp < hourStart + HOUR_SECONDS) {
        throw new NotReadyError(`subgraph '${source.id}' has indexed up to ${iso(meta.timestamp)} (block ${meta.number}); hour ${iso(hourStart)} is not complete there yet`);
      }
      block = { number: meta.number, timestamp: meta.timestamp, hash: meta.hash ?? '' };
    } else if (meta.number !== block.number) {
      throw new UpstreamError(`subgraph '${source.id}': page pinned to block ${block.number} was answered at block ${meta.number}`, true);
    }
    const quarantine = (reason: string, row: unknown) => {
      const text = JSON.stringify(row);
      if (seenQuarantined.has(text)) duplicateRows++;
      else {
        seenQuarantined.add(text);
        quarantined.push({ reason, row });
      }
    };
    for (const row of data.rows) {
      const mapped = toRawRecord(source, row, block);
      if (!mapped.ok) {
        quarantine(mapped.reason, row);
        continue;
      }
      if (mapped.record.hour_start_unix !== hourStart) {
        quarantine(`field '${timeField}': ${mapped.record.hour_start_unix} is not the hour fetched (${hourStart})`, row);
        continue;
      }
      if (seen.has(mapped.record.entity_id)) {
        duplicateRows++;
        continue;
      }
      seen.add(mapped.record.entity_id);
      rows.push(mapped.record);
    }
    if (data.rows.length < pageSize) break;
    const next = lastAdvancingId(data.rows, cursor);
    if (next === undefined) throw new UpstreamError(`subgraph '${source.id}': a full page of ${data.rows.length} rows has no id after '${cursor}'; cannot page further`, true);
    cursor = next;
  }
  return { hourStart, rows, quarantined, block, pages, duplicateRows, hasIndexingErrors };
}

/**
 * The cursor for the next page: the last id on the page that is a string after the current cursor,
 * valid row or not, so a malformed row (even the last one, even without an id) cannot stall
 * paging. Rows come ordered by id, so nothing between two ids is skipped.
 */
export function lastAdvancingId(rows: readonly unknown[], cursor: string): string | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const id = (rows[i] as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id > cursor) return id;
  }
  return undefined;
}
