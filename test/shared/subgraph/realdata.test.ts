import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigDecimal, bigInt } from '../../../shared/subgraph/row_schemas';
import { SHARED_REFERENCE_DIR } from '../../helpers/odds';

// Real subgraph output recorded by third parties: not committed; runs where ../shared exists (CI).
const DIR = join(SHARED_REFERENCE_DIR, 'fixtures', 'thegraph-realdata');
const available = existsSync(DIR);
if (!available) console.warn(`real subgraph data tests skipped: ${DIR} not found`);
const describeReal = available ? describe : describe.skip;

/**
 * Signs that a row's USD values are a pricing error: what the recorded data is checked for here.
 * The system's own data-quality rules are the mart's dq_* flags (dataform), defined once there.
 */
function usdQualityFlags(tvlUsd: string, volumeUsd: string): string[] {
  const tvl = Number(tvlUsd);
  const volume = Number(volumeUsd);
  const flags: string[] = [];
  if (tvl < 0 || volume < 0) flags.push('negative_usd');
  if (tvl > 0 && volume > 100 * tvl) flags.push('volume_over_100x_tvl');
  if (tvl === 0 && volume > 0) flags.push('zero_tvl_with_volume');
  return flags;
}

describeReal('real recorded subgraph data', () => {
  test('every BigDecimal of the DAI/USDC poolDayDatas response is accepted', () => {
    const rows = (JSON.parse(readFileSync(join(DIR, 'uniswap-v3', 'StardustLID_poolDayDatas_DAI-USDC-0.01pct_0x5777d92f.json'), 'utf8')) as { poolDayDatas: Record<string, string | number>[] }).poolDayDatas;
    expect(rows).toHaveLength(208);
    for (const r of rows) for (const f of ['volumeUSD', 'tvlUSD', 'feesUSD']) expect(bigDecimal.safeParse(r[f]).success).toBe(true);
  });

  test('the hourly export: 34-digit decimals and 40-digit fee growth integers are accepted', () => {
    const lines = readFileSync(join(DIR, 'uniswap-v3', 'yinkiatho_pool_hour_data_0x9b08288c.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines).toHaveLength(6476);
    let checked = 0;
    for (const line of lines) {
      const cells = line.split(',');
      const [, , liquidity, high, low] = cells;
      const last = cells.slice(-3);
      expect(bigInt.safeParse(liquidity).success && bigDecimal.safeParse(high).success && bigDecimal.safeParse(low).success).toBe(true);
      expect(bigDecimal.safeParse(last[0]).success && bigInt.safeParse(last[1]).success && bigInt.safeParse(last[2]).success).toBe(true);
      checked++;
    }
    expect(checked).toBe(6476);
  });

  test('a third-party export with thousands separators is refused with a reason, not a crash', () => {
    const [header, first] = readFileSync(join(DIR, 'uniswap-v3', 'yinkiatho_pools_daily_weth_wbtc_0xcbcdf962.csv'), 'utf8').split('\n');
    const cells = first!.split(';');
    const liquidity = cells[header!.split(';').indexOf('Liquidity')]!;
    expect(liquidity).toBe('366,087,338,222,386,370');
    const parsed = bigInt.safeParse(liquidity);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('must be an integer string');
  });

  test('the legacy Sushi pair day data: every value parses, and its 83 mispriced rows are flagged', () => {
    const data = JSON.parse(readFileSync(join(DIR, 'sushiswap-legacy-exchange', 'TechInnovation_sushi_pairDayData_by_chain_2020-12_2022-02.json'), 'utf8')) as Record<string, { data: { dayData: { volumeUSD: string; reserveUSD: string }[] }[] }[]>;
    const days = Object.values(data).flatMap((windows) => windows.flatMap((w) => w.data.flatMap((pair) => pair.dayData)));
    expect(days).toHaveLength(4360);
    for (const d of days) expect(bigDecimal.safeParse(d.volumeUSD).success && bigDecimal.safeParse(d.reserveUSD).success).toBe(true);
    const flagged = days.filter((d) => usdQualityFlags(d.reserveUSD, d.volumeUSD).includes('volume_over_100x_tvl'));
    expect(flagged).toHaveLength(83);
  });
});

test.each([
  [['100', '50'], []],
  [['0.35', '704.9'], ['volume_over_100x_tvl']],
  [['0', '12'], ['zero_tvl_with_volume']],
  [['-5', '1'], ['negative_usd']],
])('USD quality flags of tvl/volume %j: %j', ([tvl, volume], flags) => {
  expect(usdQualityFlags(tvl!, volume!)).toEqual(flags);
});
