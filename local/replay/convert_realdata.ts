/**
 * The recorded real responses of ../shared/fixtures/thegraph-realdata turned into the replay
 * format. Only the hourly recording can be replayed hour by hour: pool 0x9b08...'s PoolHourData
 * (pandas CSV of periodStartUnix, liquidity, high, low, close, fee growth and the pool as a Python
 * dict). Fields the recording lacks are written as "0" and listed in `missingFields`, so the
 * converted data never looks richer than the recording. Pure: text in, lines out.
 */
import { replayPoolHourSchema, type ReplayPoolHour } from './replay_format';

/** The hourly recording, relative to the realdata folder. */
export const REALDATA_HOURLY_FILE = 'uniswap-v3/yinkiatho_pool_hour_data_0x9b08288c.csv';

/** PoolHourData fields of the fetch query that the recording does not have. */
export const REALDATA_MISSING_FIELDS = ['sqrtPrice', 'token1Price', 'tick', 'tvlUSD', 'volumeToken0', 'volumeToken1', 'volumeUSD', 'feesUSD', 'txCount', 'pool.feeTier', 'token symbols and addresses'] as const;

/** Quoted CSV (separators inside quotes stay in the cell). */
export function splitCsvLine(line: string, separator: string): string[] {
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

/** Placeholder token of unknown identity: its symbol as a 20-byte hex id, so the two tokens differ. */
function placeholderToken(symbol: string, decimals: string): ReplayPoolHour['pool']['token0'] {
  return { id: `0x${Buffer.from(symbol.padEnd(20, '\0')).toString('hex')}`, symbol, decimals };
}

/**
 * The pandas export of poolHourDatas as replay rows, oldest first. `open` is the previous hour's
 * close (the recording has no open); `token0Price` is the close, as the subgraph defines it.
 */
export function convertHourlyCsv(text: string): ReplayPoolHour[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = splitCsvLine(header!, ',');
  const rows: ReplayPoolHour[] = [];
  for (const [i, line] of lines.entries()) {
    const cells = splitCsvLine(line, ',');
    const get = (name: string) => {
      const at = names.indexOf(name);
      if (at === -1 || cells[at] === undefined) throw new Error(`${REALDATA_HOURLY_FILE} line ${String(i + 2)}: no column '${name}'`);
      return cells[at].trim();
    };
    const poolDict = get('pool');
    const pool = /'id': '(0x[0-9a-f]{40})'/.exec(poolDict)?.[1];
    if (!pool) throw new Error(`${REALDATA_HOURLY_FILE} line ${String(i + 2)}: no pool id in the pool column`);
    const decimals = [...poolDict.matchAll(/'decimals': '(\d+)'/g)].map((m) => m[1]!);
    const periodStartUnix = Number(get('periodStartUnix'));
    const close = get('close');
    const previous = rows.at(-1);
    const row = {
      id: `${pool}-${String(periodStartUnix / 3600)}`,
      periodStartUnix,
      pool: { id: pool, feeTier: '0', token0: placeholderToken('TOKEN0', decimals[0] ?? '18'), token1: placeholderToken('TOKEN1', decimals[1] ?? '18') },
      liquidity: get('liquidity'),
      sqrtPrice: '0',
      token0Price: close,
      token1Price: '0',
      tick: null,
      tvlUSD: '0',
      volumeToken0: '0',
      volumeToken1: '0',
      volumeUSD: '0',
      feesUSD: '0',
      txCount: '0',
      open: previous?.pool.id === pool ? previous.close : close,
      high: get('high'),
      low: get('low'),
      close,
    };
    // The converter's own output must be valid replay input.
    rows.push(replayPoolHourSchema.parse(row));
  }
  return rows.sort((a, b) => a.periodStartUnix - b.periodStartUnix);
}
