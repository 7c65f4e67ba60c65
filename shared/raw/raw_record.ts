import * as z from 'zod';

/**
 * One pool-hour as stored in the raw layer, the same shape for Uniswap V3, Sushi V3 and Sushi V2.
 * Big numbers stay exact strings; a field a DEX kind does not report is null (Sushi V2 has no
 * OHLC or fees per hour). The hive path carries source, dt and hour, so they are not repeated here.
 */
export const rawPoolHourSchema = z
  .object({
    entity_id: z.string(),
    pool_id: z.string(),
    hour_start_unix: z.number().int(),
    dex: z.string(),
    chain: z.string(),
    kind: z.string(),
    token0_id: z.string(),
    token0_symbol: z.string(),
    token0_decimals: z.string(),
    token1_id: z.string(),
    token1_symbol: z.string(),
    token1_decimals: z.string(),
    fee_tier: z.string().nullable(),
    tvl_usd: z.string(),
    volume_usd: z.string(),
    fees_usd: z.string().nullable(),
    volume_token0: z.string(),
    volume_token1: z.string(),
    tx_count: z.string(),
    token0_price: z.string().nullable(),
    token1_price: z.string().nullable(),
    open: z.string().nullable(),
    high: z.string().nullable(),
    low: z.string().nullable(),
    close: z.string().nullable(),
    liquidity: z.string().nullable(),
    reserve0: z.string().nullable(),
    reserve1: z.string().nullable(),
    block_number: z.number().int(),
    block_timestamp: z.number().int(),
  })
  .strict();

export type RawPoolHour = z.infer<typeof rawPoolHourSchema>;

/** A row that failed validation, kept with why, so nothing is dropped silently. */
export interface QuarantinedRow {
  readonly reason: string;
  readonly row: unknown;
}
