import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HOUR_SECONDS } from '../../shared/hours';
import { SUBGRAPH_KINDS, type SubgraphKind } from '../../shared/subgraph/kinds';
import { simulateMarket } from '../market/simulate_market';
import { readReplayDir } from '../replay/read_replay';
import { newestDays, ReplayFormatError } from '../replay/replay_format';
import { startLocalSubgraph } from '../subgraph/local_subgraph_server';
import { replayData } from '../subgraph/replay_source';
import { startSubgraphProcess, type SubgraphProcess } from './subgraph_process';

/** What the local subgraph serves to the pipeline: a simulated market or a replay folder. */
export interface PipelineDataSource {
  /** What a store made from it remembers (seed and pools are 0 and the pool count for a replay). */
  readonly identity: { readonly seed: number; readonly pools: number; readonly days: number; readonly replay?: string };
  /** The last hour fixed by the data; undefined for a simulation (the store's, or the last full hour). */
  readonly endHour: number | undefined;
  /** Subgraph kinds with data: the sources fetched. */
  readonly kinds: readonly SubgraphKind[];
  /** Pools scored per run, over every kind (for the false-alert rate). */
  readonly scoredPools: (sources: number) => number;
  /** True when `start` writes the simulator's truth file. */
  readonly writesTruth: boolean;
  start(endHour: number, truthFile: string): Promise<Omit<SubgraphProcess, 'pid'>>;
  describe(endHour: number, truthFile: string): string;
}

export type ServeMode = 'process' | 'in-process';

/** Fewer days leave no day to score (the newest third) or none to train on. */
const MIN_REPLAY_DAYS = 3;

/** The seeded simulated market of `pools` pools per subgraph over `days` days ending at the end hour. */
export function simulationSource(o: { readonly pools: number; readonly days: number; readonly seed: number }, mode: ServeMode): PipelineDataSource {
  return {
    identity: { seed: o.seed, pools: o.pools, days: o.days },
    endHour: undefined,
    kinds: SUBGRAPH_KINDS,
    scoredPools: (sources) => o.pools * sources,
    writesTruth: true,
    async start(endHour, truthFile) {
      if (mode === 'process') return startSubgraphProcess({ ...o, endHour, truthFile });
      const market = simulateMarket({ seed: o.seed, pools: o.pools, days: o.days, endHour });
      writeFileSync(truthFile, `${JSON.stringify({ seed: o.seed, startTime: market.startTime, hours: market.hours, anomalies: market.truth }, null, 2)}\n`);
      const sg = await startLocalSubgraph({ market });
      return { baseUrl: `http://127.0.0.1:${String(sg.port)}`, close: () => sg.close() };
    },
    describe: (_endHour, truthFile) => `${String(o.pools)} pools x 3 subgraphs, ${String(o.days)} days (seed ${String(o.seed)}); truth in ${truthFile}`,
  };
}

/**
 * A replay folder (docs/replay-format.md), read and validated now so a bad file fails before
 * anything runs. The window is the recording's: its last hour, and every day back to its first
 * hour (or only the newest `days`).
 */
export function replaySource(dir: string, days: number | undefined, mode: ServeMode): PipelineDataSource {
  const read = readReplayDir(dir);
  const recording = newestDays(read.recording, days);
  const windowDays = Math.ceil((recording.lastHour - recording.firstHour + HOUR_SECONDS) / (24 * HOUR_SECONDS));
  if (windowDays < MIN_REPLAY_DAYS) throw new ReplayFormatError(`the replay in ${resolve(dir)} covers ${String(windowDays)} day${windowDays === 1 ? '' : 's'}; the pipeline needs at least ${String(MIN_REPLAY_DAYS)} (it trains on the older days and scores the newest third)`);
  return {
    identity: { seed: 0, pools: recording.pools, days: windowDays, replay: read.digest },
    endHour: recording.lastHour,
    kinds: recording.kinds.map((k) => k.kind),
    scoredPools: () => recording.pools,
    writesTruth: false,
    async start() {
      if (mode === 'process') return startSubgraphProcess({ replay: resolve(dir) });
      const sg = await startLocalSubgraph({ data: replayData(read.recording) });
      return { baseUrl: `http://127.0.0.1:${String(sg.port)}`, close: () => sg.close() };
    },
    describe: () => `replay of ${resolve(dir)}: ${String(recording.pools)} pools (${recording.kinds.map((k) => `${k.kind} ${String(k.rows.length)} rows`).join(', ')}), ${String(windowDays)} days`,
  };
}
