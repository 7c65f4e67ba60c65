import { HOUR_SECONDS } from '../market/market';
import { readReplayDir } from '../replay/read_replay';
import type { ReplayKindRows, ReplayRecording } from '../replay/replay_format';
import type { SubgraphKind } from '../../shared/subgraph/kinds';
import type { ServedData } from './local_subgraph_server';
import type { BlockView, Entity, EntitySource, ListHint } from './market_source';

/**
 * A replay folder (docs/replay-format.md) served as the subgraphs: each kind's recorded hourly
 * entities exactly as recorded, its pools (pairs) and tokens as the entities referenced them; a
 * kind the recording lacks is an empty subgraph. An hour's entity is visible from its start on.
 */
export function loadReplay(dir: string): ServedData {
  return replayData(readReplayDir(dir).recording);
}

export function replayData(recording: ReplayRecording): ServedData {
  const empty: EntitySource = { list: () => [] };
  const sources = new Map<SubgraphKind, EntitySource>(recording.kinds.map((k) => [k.kind, new RecordedHours(k)]));
  return {
    startTime: recording.firstHour,
    endTime: recording.lastHour + HOUR_SECONDS,
    source: (kind) => sources.get(kind) ?? empty,
  };
}

/** First index whose value is >= target in an ascending array. */
function lowerBound(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class RecordedHours implements EntitySource {
  private readonly hourType: string;
  private readonly poolType: string;
  private readonly entities: readonly Entity[];
  private readonly pools: readonly Entity[];
  private readonly tokens: readonly Entity[];

  constructor(private readonly recorded: ReplayKindRows) {
    const v2 = recorded.kind === 'sushiswap-v2';
    this.hourType = v2 ? 'PairHourData' : 'PoolHourData';
    this.poolType = v2 ? 'Pair' : 'Pool';
    this.entities = recorded.rows;
    // The newest reference of each pool and token, as the recording carried it.
    const pools = new Map<string, Entity>();
    const tokens = new Map<string, Entity>();
    for (const row of recorded.rows) {
      const pool = 'pool' in row ? row.pool : row.pair;
      pools.set(pool.id.toLowerCase(), pool);
      tokens.set(pool.token0.id.toLowerCase(), pool.token0);
      tokens.set(pool.token1.id.toLowerCase(), pool.token1);
    }
    this.pools = [...pools.values()];
    this.tokens = [...tokens.values()];
  }

  list(type: string, at: BlockView, hint: ListHint): Entity[] {
    if (type === this.poolType) return hint.poolIds ? this.pools.filter((p) => hint.poolIds!.has(p.id.toLowerCase())) : [...this.pools];
    if (type === 'Token') return [...this.tokens];
    if (type === 'Bundle') return [{ id: '1', ethPriceUSD: '0', ethPrice: '0' }];
    if (type !== this.hourType) return [];
    const hours = this.recorded.hours;
    const from = lowerBound(hours, hint.fromTime ?? Number.NEGATIVE_INFINITY);
    const to = lowerBound(hours, Math.min(hint.toTime ?? Number.POSITIVE_INFINITY, at.time) + 1);
    const out: Entity[] = [];
    for (let i = from; i < to; i++) {
      const entity = this.entities[i]!;
      if (hint.poolIds) {
        const ref = (entity.pool ?? entity.pair) as Entity;
        if (!hint.poolIds.has(ref.id.toLowerCase())) continue;
      }
      out.push(entity);
    }
    return out;
  }
}
