import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOUR_SECONDS } from '../market/market';
import type { ServedData } from './local_subgraph_server';
import type { BlockView, Entity, EntitySource } from './market_source';

/**
 * Recorded Uniswap V3 responses (../shared/fixtures/thegraph-realdata/uniswap-v3) served as the
 * uniswap-v3 subgraph: the full daily export of WBTC/WETH as PoolDayData, the DAI/USDC daily
 * volumes and TVL as PoolDayData, and the hourly price and liquidity history of pool 0x9b08...
 * as PoolHourData. Fields the recordings lack are served as "0" (the recordings' own gap; a
 * replay never invents values), and the Sushi subgraphs are empty.
 */
export function loadReplay(dir: string): ServedData {
  const base = join(dir, 'uniswap-v3');
  if (!existsSync(base)) throw new Error(`no recorded Uniswap V3 data in ${base}`);
  const replay = new RecordedRows();
  replay.addDailyExport(readFileSync(join(base, 'yinkiatho_pools_daily_weth_wbtc_0xcbcdf962.csv'), 'utf8'));
  replay.addDayJson(readFileSync(join(base, 'StardustLID_poolDayDatas_DAI-USDC-0.01pct_0x5777d92f.json'), 'utf8'), DAI_USDC_POOL);
  replay.addHourlyCsv(readFileSync(join(base, 'yinkiatho_pool_hour_data_0x9b08288c.csv'), 'utf8'));
  const times = [...replay.dayRows.map((r) => r.date + 86400), ...replay.hourRows.map((r) => r.periodStartUnix + HOUR_SECONDS)];
  const starts = [...replay.dayRows.map((r) => r.date), ...replay.hourRows.map((r) => r.periodStartUnix)];
  const empty: EntitySource = { list: () => [] };
  return {
    startTime: Math.min(...starts),
    endTime: Math.max(...times),
    source: (kind) => (kind === 'uniswap-v3' ? replay : empty),
  };
}

const DAI_USDC_POOL = '0x5777d92f208679db4b9778590fa3cab3ac9e2168';
const TOKENS: Readonly<Record<string, { id: string; decimals: number }>> = {
  WBTC: { id: '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', decimals: 8 },
  WETH: { id: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', decimals: 18 },
  DAI: { id: '0x6b175474e89094c44da98b954eedeac495271d0f', decimals: 18 },
  USDC: { id: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', decimals: 6 },
};

interface DayRow {
  date: number;
  pool: string;
  fields: Record<string, string>;
}

interface HourRow {
  periodStartUnix: number;
  pool: string;
  fields: Record<string, string>;
}

/** Quoted CSV (commas inside quotes stay in the cell). */
function splitCsvLine(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const ZERO_V3_FIELDS = ['liquidity', 'sqrtPrice', 'token0Price', 'token1Price', 'feeGrowthGlobal0X128', 'feeGrowthGlobal1X128', 'tvlUSD', 'volumeToken0', 'volumeToken1', 'volumeUSD', 'feesUSD', 'txCount', 'open', 'high', 'low', 'close'];

class RecordedRows implements EntitySource {
  readonly dayRows: DayRow[] = [];
  readonly hourRows: HourRow[] = [];
  private readonly pools = new Map<string, { tokens: [string, string]; tvlUSD: string }>();

  /** The third-party semicolon export: thousands separators in integers, Unix dates in column 3. */
  addDailyExport(text: string): void {
    const [header, ...lines] = text.trim().split('\n');
    const names = splitCsvLine(header!, ';');
    const column: Record<string, string> = {
      Liquidity: 'liquidity', 'Sqrt Price': 'sqrtPrice', 'Token0 Price': 'token0Price', 'Token1 Price': 'token1Price', Tick: 'tick',
      'Fee Growth Global 0 X128': 'feeGrowthGlobal0X128', 'Fee Growth Global 1 X128': 'feeGrowthGlobal1X128', 'TVL USD': 'tvlUSD',
      'Volume Token 0': 'volumeToken0', 'Volume Token 1': 'volumeToken1', 'Volume USD': 'volumeUSD', 'Fees USD': 'feesUSD', 'TX Count': 'txCount',
      Open: 'open', High: 'high', Low: 'low', Close: 'close',
    };
    for (const line of lines) {
      const cells = splitCsvLine(line, ';');
      const get = (name: string) => cells[names.indexOf(name)]!.trim();
      const pool = get('Pool').toLowerCase();
      const fields: Record<string, string> = {};
      for (const [from, to] of Object.entries(column)) fields[to] = get(from).replaceAll(',', '');
      this.dayRows.push({ date: Number(get('Date (Unix)')), pool, fields });
      const [t0, t1] = get('Pool Tokens').split(' / ') as [string, string];
      this.notePool(pool, [t0, t1], fields.tvlUSD!);
    }
  }

  /** A `{ poolDayDatas: [{ date, volumeUSD, tvlUSD, feesUSD }] }` response of one pool. */
  addDayJson(text: string, pool: string): void {
    const rows = (JSON.parse(text) as { poolDayDatas: { date: number; volumeUSD: string; tvlUSD: string; feesUSD: string }[] }).poolDayDatas;
    for (const r of rows) this.dayRows.push({ date: r.date, pool, fields: { volumeUSD: r.volumeUSD, tvlUSD: r.tvlUSD, feesUSD: r.feesUSD } });
    this.notePool(pool, ['DAI', 'USDC'], rows[rows.length - 1]!.tvlUSD);
  }

  /** pandas export of poolHourDatas: periodStartUnix, liquidity, high, low, close, fee growth. */
  addHourlyCsv(text: string): void {
    const [header, ...lines] = text.trim().split('\n');
    const names = splitCsvLine(header!, ',');
    for (const line of lines) {
      const cells = splitCsvLine(line, ',');
      const get = (name: string) => cells[names.indexOf(name)]!.trim();
      const poolDict = get('pool');
      const pool = /'id': '(0x[0-9a-f]{40})'/.exec(poolDict)![1]!;
      const tvl = /'totalValueLockedUSD': '([0-9.]+)'/.exec(poolDict)?.[1] ?? '0';
      const fields: Record<string, string> = { liquidity: get('liquidity'), high: get('high'), low: get('low'), close: get('close'), token0Price: get('close'), feeGrowthGlobal0X128: get('feeGrowthGlobal0X128'), feeGrowthGlobal1X128: get('feeGrowthGlobal1X128') };
      const previous = this.hourRows.at(-1);
      fields.open = previous?.pool === pool ? previous.fields.close! : fields.close!;
      this.hourRows.push({ periodStartUnix: Number(get('periodStartUnix')), pool, fields });
      this.notePool(pool, ['TOKEN0', 'TOKEN1'], tvl);
    }
  }

  private notePool(pool: string, tokens: [string, string], tvlUSD: string): void {
    if (!this.pools.has(pool)) this.pools.set(pool, { tokens, tvlUSD });
  }

  private token(symbol: string): Entity {
    const known = TOKENS[symbol];
    const id = known?.id ?? `0x${Buffer.from(symbol.padEnd(20, '\0')).toString('hex')}`;
    return { id, symbol, name: symbol, decimals: String(known?.decimals ?? 18), totalSupply: '0', volume: '0', volumeUSD: '0', untrackedVolumeUSD: '0', feesUSD: '0', txCount: '0', poolCount: '1', totalValueLocked: '0', totalValueLockedUSD: '0', totalValueLockedUSDUntracked: '0', derivedETH: '0' };
  }

  private poolEntity(id: string): Entity {
    const p = this.pools.get(id)!;
    const zeros = Object.fromEntries(['createdAtTimestamp', 'createdAtBlockNumber', 'feeTier', 'liquidity', 'sqrtPrice', 'feeGrowthGlobal0X128', 'feeGrowthGlobal1X128', 'token0Price', 'token1Price', 'observationIndex', 'volumeToken0', 'volumeToken1', 'volumeUSD', 'untrackedVolumeUSD', 'feesUSD', 'txCount', 'collectedFeesToken0', 'collectedFeesToken1', 'collectedFeesUSD', 'totalValueLockedToken0', 'totalValueLockedToken1', 'totalValueLockedETH', 'totalValueLockedUSDUntracked', 'liquidityProviderCount'].map((f) => [f, '0']));
    return { ...zeros, id, token0: this.token(p.tokens[0]), token1: this.token(p.tokens[1]), totalValueLockedUSD: p.tvlUSD, tick: null, isProtocolFeeEnabled: false };
  }

  list(type: string, at: BlockView): Entity[] {
    const zeros = Object.fromEntries(ZERO_V3_FIELDS.map((f) => [f, '0']));
    switch (type) {
      case 'Pool':
        return [...this.pools.keys()].map((id) => this.poolEntity(id));
      case 'Token':
        return [...new Set([...this.pools.values()].flatMap((p) => p.tokens))].map((s) => this.token(s));
      case 'Bundle':
        return [{ id: '1', ethPriceUSD: '0' }];
      case 'PoolDayData':
        return this.dayRows
          .filter((r) => r.date <= at.time)
          .map((r) => ({ ...zeros, tick: null, ...r.fields, id: `${r.pool}-${r.date / 86400}`, date: r.date, pool: this.poolEntity(r.pool) }));
      case 'PoolHourData':
        return this.hourRows
          .filter((r) => r.periodStartUnix <= at.time)
          .map((r) => ({ ...zeros, tick: null, ...r.fields, id: `${r.pool}-${r.periodStartUnix / HOUR_SECONDS}`, periodStartUnix: r.periodStartUnix, pool: this.poolEntity(r.pool) }));
      default:
        return [];
    }
  }
}
