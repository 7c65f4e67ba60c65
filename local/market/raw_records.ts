import { INGESTION_LOG } from '../../shared/load/ingestion_log';
import type { Warehouse } from '../../shared/warehouse/warehouse';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Source } from '../../shared/config/sources';
import { rawDataKey } from '../../shared/raw/raw_layout';
import type { RawPoolHour } from '../../shared/raw/raw_record';
import { writeHour } from '../../shared/raw/write_hour';
import type { ObjectStore } from '../../shared/storage/object_store';
import { littleEndianI32Hex } from '../subgraph/market_source';
import { hourValues } from '../subgraph/pool_values';
import { HOUR_SECONDS, type Market, type SubgraphKind } from './market';

/**
 * The raw records the fetcher would write for one subgraph's window hour t: one per pool with an
 * hourly entity, mapped as shared/subgraph/row_schemas.ts maps the served entities (Sushi V2: no
 * fees, OHLC or token prices per hour, reserves instead of liquidity). Lets benchmarks and tests
 * build the raw layer in-process, minutes faster than through HTTP.
 */
export function rawRecordsAt(market: Market, kind: SubgraphKind, source: Pick<Source, 'dex' | 'chain'>, t: number): RawPoolHour[] {
  const { pools, series } = market.subgraphs[kind];
  const hourStart = market.startTime + t * HOUR_SECONDS;
  const hourIndex = hourStart / HOUR_SECONDS;
  const v2 = kind === 'sushiswap-v2';
  const rows: RawPoolHour[] = [];
  for (const p of pools) {
    const s = series[p.index]!;
    if (!s.active[t]) continue;
    const v = hourValues(market, p, s, t);
    const t0 = market.tokens[p.token0]!;
    const t1 = market.tokens[p.token1]!;
    rows.push({
      entity_id: v2 ? `${p.address}${littleEndianI32Hex(hourIndex)}` : `${p.address}-${hourIndex}`,
      pool_id: p.address,
      hour_start_unix: hourStart,
      dex: source.dex,
      chain: source.chain,
      kind,
      token0_id: t0.address, token0_symbol: t0.symbol, token0_decimals: String(t0.decimals),
      token1_id: t1.address, token1_symbol: t1.symbol, token1_decimals: String(t1.decimals),
      fee_tier: v2 ? '3000' : String(p.feeTier),
      tvl_usd: String(v.tvlUSD),
      volume_usd: String(v.volumeUSD),
      fees_usd: v2 ? null : String(v.feesUSD),
      volume_token0: String(v.volumeToken0),
      volume_token1: String(v.volumeToken1),
      tx_count: String(v.txCount),
      token0_price: v2 ? null : String(v.token0Price),
      token1_price: v2 ? null : String(v.token1Price),
      open: v2 ? null : String(v.open),
      high: v2 ? null : String(v.high),
      low: v2 ? null : String(v.low),
      close: v2 ? null : String(v.close),
      liquidity: v2 ? String(v.liquidity) : String(Math.round(v.liquidity)),
      reserve0: v2 ? String(v.amount0) : null,
      reserve1: v2 ? String(v.amount1) : null,
      block_number: hourIndex,
      block_timestamp: hourStart + HOUR_SECONDS + 60,
    });
  }
  return rows;
}

/**
 * Writes the market's raw layer for the given sources (one per subgraph kind) with the fetcher's
 * own writer, hour by hour; `transform` may change or drop each hour's rows (tests use it to
 * rewrite the future). Returns the rows written.
 */
export async function writeMarketRaw(
  market: Market,
  sources: readonly Source[],
  store: ObjectStore,
  transform: (rows: RawPoolHour[], t: number) => RawPoolHour[] = (rows) => rows,
): Promise<number> {
  let total = 0;
  for (const source of sources) {
    for (let t = 0; t < market.hours; t++) {
      const hourStart = market.startTime + t * HOUR_SECONDS;
      const rows = transform(rawRecordsAt(market, source.kind, source, t), t);
      total += rows.length;
      const block = { number: hourStart / HOUR_SECONDS, timestamp: hourStart + HOUR_SECONDS + 60, hash: '' };
      await writeHour(store, source, { hourStart, rows, quarantined: [], block, pages: 1, duplicateRows: 0, hasIndexingErrors: false }, new Date(block.timestamp * 1000));
    }
  }
  return total;
}

/**
 * The same raw records, written fast for benchmarks: one object per source and hour in its own
 * partition (staging prunes raw partitions by dt and hour, so a row must sit in its hour's),
 * gzip level 1, no manifests.
 */
export function writeMarketRawFast(market: Market, sources: readonly Source[], rawRoot: string): number {
  let total = 0;
  for (const source of sources) {
    for (let t = 0; t < market.hours; t++) {
      const lines = rawRecordsAt(market, source.kind, source, t).map((r) => JSON.stringify(r));
      total += lines.length;
      const path = join(rawRoot, rawDataKey(source.id, market.startTime + t * HOUR_SECONDS));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, gzipSync(Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8'), { level: 1 }));
    }
  }
  return total;
}

/**
 * Records the market's hours (all, or the first `hours`) as loaded and verified in
 * dex_ops.ingestion_log, for the fast benchmark path that writes raw objects without manifests
 * (staging reads verified hours only). Each hour is stamped loaded 5 minutes after it ended, as
 * the hourly fetch and load would: the incremental transform takes in hours by `loaded_at`.
 */
export async function recordHoursAsVerified(warehouse: Warehouse, market: Market, sources: readonly Source[], options: { hours?: number } = {}): Promise<void> {
  await warehouse.ensureTable(INGESTION_LOG);
  for (const source of sources) {
    const rows = Array.from({ length: options.hours ?? market.hours }, (_, t) => {
      const start = market.startTime + t * HOUR_SECONDS;
      return { source: source.id, hour_ts: new Date(start * 1000).toISOString(), manifest_sha256: 'benchmark-without-manifest', loaded_at: new Date((start + HOUR_SECONDS + LOAD_DELAY_SECONDS) * 1000).toISOString() };
    });
    await warehouse.replaceRows(INGESTION_LOG, { source: source.id }, rows);
  }
}

/** How long after an hour ends the benchmarks' hours are loaded. */
export const LOAD_DELAY_SECONDS = 300;
