import * as z from 'zod';
import type { Source } from '../config/sources';
import type { RawPoolHour } from '../raw/raw_record';

/** graph-node serialises BigDecimal as plain decimal text (an exponent is tolerated, never a word). */
const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const INTEGER = /^-?\d+$/;
export const bigDecimal = z.string().regex(DECIMAL, 'must be a decimal number string');
export const bigInt = z.string().regex(INTEGER, 'must be an integer string');

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A BigDecimal the warehouse reads as FLOAT64: it must stay a finite double ('1e400' would become
 * Infinity) and a non-zero value must not round to 0 ('1e-400'), so no number changes meaning.
 */
export const float64Decimal = bigDecimal.superRefine((text, ctx) => {
  if (!DECIMAL.test(text)) return;
  const value = Number(text);
  if (!Number.isFinite(value)) ctx.addIssue({ code: 'custom', message: `${text} is beyond the FLOAT64 range (it would become ${value})` });
  else if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) ctx.addIssue({ code: 'custom', message: `${text} is non-zero but rounds to 0 as FLOAT64` });
});

/** A BigInt the warehouse reads as INT64: a value outside the signed 64-bit range would become NULL. */
export const int64Integer = bigInt.superRefine((text, ctx) => {
  if (!INTEGER.test(text)) return;
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) ctx.addIssue({ code: 'custom', message: `${text} does not fit INT64` });
});

const hexId = z.string().regex(/^0x[0-9a-fA-F]*$/, 'must be 0x-prefixed hex');
const token = z.object({ id: hexId, symbol: z.string(), decimals: bigInt });

export const poolHourRowSchema = z.object({
  id: z.string().min(1),
  periodStartUnix: z.number().int(),
  pool: z.object({ id: hexId, feeTier: int64Integer, token0: token, token1: token }),
  // liquidity and sqrtPrice are uint128/uint160: kept as exact strings, never cast.
  liquidity: bigInt,
  sqrtPrice: bigInt,
  token0Price: float64Decimal,
  token1Price: float64Decimal,
  tick: bigInt.nullable(),
  tvlUSD: float64Decimal,
  volumeToken0: float64Decimal,
  volumeToken1: float64Decimal,
  volumeUSD: float64Decimal,
  feesUSD: float64Decimal,
  txCount: int64Integer,
  open: float64Decimal,
  high: float64Decimal,
  low: float64Decimal,
  close: float64Decimal,
});

export const pairHourRowSchema = z.object({
  id: hexId,
  hourStartUnix: z.number().int(),
  pair: z.object({ id: hexId, token0: token, token1: token }),
  reserve0: float64Decimal,
  reserve1: float64Decimal,
  totalSupply: float64Decimal.nullable(),
  reserveUSD: float64Decimal,
  hourlyVolumeToken0: float64Decimal,
  hourlyVolumeToken1: float64Decimal,
  hourlyVolumeUSD: float64Decimal,
  hourlyTxns: int64Integer,
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
