import { z } from 'zod';
import type { Source } from '../config/sources';
import type { RawPoolHour } from '../raw/raw_record';

/** graph-node serialises BigDecimal as plain decimal text (an exponent is tolerated, never a word). */
export const bigDecimal = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a decimal number string');
export const bigInt = z.string().regex(/^-?\d+$/, 'must be an integer string');
const hexId = z.string().regex(/^0x[0-9a-fA-F]*$/, 'must be 0x-prefixed hex');
const token = z.object({ id: hexId, symbol: z.string(), decimals: bigInt });

export const poolHourRowSchema = z.object({
  id: z.string().min(1),
  periodStartUnix: z.number().int(),
  pool: z.object({ id: hexId, feeTier: bigInt, token0: token, token1: token }),
  liquidity: bigInt,
  sqrtPrice: bigInt,
  token0Price: bigDecimal,
  token1Price: bigDecimal,
  tick: bigInt.nullable(),
  tvlUSD: bigDecimal,
  volumeToken0: bigDecimal,
  volumeToken1: bigDecimal,
  volumeUSD: bigDecimal,
  feesUSD: bigDecimal,
  txCount: bigInt,
  open: bigDecimal,
  high: bigDecimal,
  low: bigDecimal,
  close: bigDecimal,
});

export const pairHourRowSchema = z.object({
  id: hexId,
  hourStartUnix: z.number().int(),
  pair: z.object({ id: hexId, token0: token, token1: token }),
  reserve0: bigDecimal,
  reserve1: bigDecimal,
  totalSupply: bigDecimal.nullable(),
  reserveUSD: bigDecimal,
  hourlyVolumeToken0: bigDecimal,
  hourlyVolumeToken1: bigDecimal,
  hourlyVolumeUSD: bigDecimal,
  hourlyTxns: bigInt,
});

export interface BlockRef {
  readonly number: number;
  readonly timestamp: number;
}

export type RowResult = { ok: true; record: RawPoolHour } | { ok: false; reason: string };

/**
 * Validates one subgraph row and maps it to the raw record. The hour comes from the row's
 * periodStartUnix / hourStartUnix, never from its id (Sushi V2 ids are raw bytes).
 */
export function toRawRecord(source: Source, row: unknown, block: BlockRef): RowResult {
  const context = { dex: source.dex, chain: source.chain, kind: source.kind, block_number: block.number, block_timestamp: block.timestamp };
  if (source.kind === 'sushiswap-v2') {
    const parsed = pairHourRowSchema.safeParse(row);
    if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
    const r = parsed.data;
    return {
      ok: true,
      record: {
        entity_id: r.id.toLowerCase(),
        pool_id: r.pair.id.toLowerCase(),
        hour_start_unix: r.hourStartUnix,
        ...context,
        ...tokens(r.pair.token0, r.pair.token1),
        fee_tier: '3000',
        tvl_usd: r.reserveUSD,
        volume_usd: r.hourlyVolumeUSD,
        fees_usd: null,
        volume_token0: r.hourlyVolumeToken0,
        volume_token1: r.hourlyVolumeToken1,
        tx_count: r.hourlyTxns,
        token0_price: null,
        token1_price: null,
        open: null,
        high: null,
        low: null,
        close: null,
        liquidity: r.totalSupply,
        reserve0: r.reserve0,
        reserve1: r.reserve1,
      },
    };
  }
  const parsed = poolHourRowSchema.safeParse(row);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
  const r = parsed.data;
  return {
    ok: true,
    record: {
      entity_id: r.id.toLowerCase(),
      pool_id: r.pool.id.toLowerCase(),
      hour_start_unix: r.periodStartUnix,
      ...context,
      ...tokens(r.pool.token0, r.pool.token1),
      fee_tier: r.pool.feeTier,
      tvl_usd: r.tvlUSD,
      volume_usd: r.volumeUSD,
      fees_usd: r.feesUSD,
      volume_token0: r.volumeToken0,
      volume_token1: r.volumeToken1,
      tx_count: r.txCount,
      token0_price: r.token0Price,
      token1_price: r.token1Price,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      liquidity: r.liquidity,
      reserve0: null,
      reserve1: null,
    },
  };
}

function tokens(t0: z.infer<typeof token>, t1: z.infer<typeof token>) {
  return {
    token0_id: t0.id.toLowerCase(),
    token0_symbol: t0.symbol,
    token0_decimals: t0.decimals,
    token1_id: t1.id.toLowerCase(),
    token1_symbol: t1.symbol,
    token1_decimals: t1.decimals,
  };
}

/** "field 'volumeUSD': must be a decimal number string; field 'tvlUSD': Invalid input: expected string, received undefined" */
export function describe(error: z.ZodError): string {
  return error.issues.map((i) => `field '${i.path.join('.') || '(row)'}': ${i.message}`).join('; ');
}
