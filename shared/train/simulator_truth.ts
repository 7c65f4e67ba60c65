import type { TruthEvent } from '../detection/evaluate';
import { truthEventsFromFile, truthPoolKey } from '../detection/truth_file';
import type { GroundTruth } from './read_training_data';

/**
 * A ground truth for a training run's evaluation (only the local simulator has one): the events,
 * for the detection figures, and whether a pool-hour is one of their affected hours, for the
 * ranking figures against the truth.
 */
export interface TrainGroundTruth {
  readonly events: readonly TruthEvent[];
  readonly isAnomalous: GroundTruth;
}

/** The ground truth of a list of events (pool keys as `truthPoolKey` builds them). */
export function groundTruthFromEvents(events: readonly TruthEvent[]): TrainGroundTruth & { anomalousPoolHours: number } {
  const keys = new Set<string>();
  for (const e of events) for (const hour of e.hours) keys.add(`${e.pool}|${hour}`);
  return { events, isAnomalous: (source, poolId, hourUnix) => keys.has(`${truthPoolKey(source, poolId)}|${hourUnix}`), anomalousPoolHours: keys.size };
}

/**
 * The simulator's truth.json as a ground truth. `sourceOfSubgraph` maps the subgraph kind
 * (uniswap-v3, ...) to the mart's source id; pool ids compare case-insensitively.
 */
export function groundTruthFromSimulator(json: unknown, sourceOfSubgraph: Readonly<Record<string, string>>): TrainGroundTruth & { anomalousPoolHours: number } {
  return groundTruthFromEvents(truthEventsFromFile(json, sourceOfSubgraph));
}
