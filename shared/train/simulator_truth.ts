import { z } from 'zod';
import { InvalidInputError } from '../errors';
import type { GroundTruth } from './read_training_data';

/** truth.json as the local pipeline writes it: the simulator's injected anomalies, hour by hour. */
const truthFileSchema = z.object({
  anomalies: z.array(z.object({ subgraph: z.string(), pool: z.string(), type: z.string(), hours: z.array(z.number().int()) })),
});

/**
 * The simulator's injected anomalies as a ground truth for evaluation. `sourceOfSubgraph` maps
 * the subgraph kind (uniswap-v3, ...) to the mart's source id; pool ids compare case-insensitively.
 */
export function groundTruthFromSimulator(json: unknown, sourceOfSubgraph: Readonly<Record<string, string>>): { truth: GroundTruth; anomalousPoolHours: number } {
  const parsed = truthFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`truth file field '${issue.path.join('.')}': ${issue.message}`);
  }
  const keys = new Set<string>();
  for (const a of parsed.data.anomalies) {
    const source = sourceOfSubgraph[a.subgraph];
    if (source === undefined) throw new InvalidInputError(`truth file: no source for subgraph '${a.subgraph}' (known: ${Object.keys(sourceOfSubgraph).join(', ')})`);
    for (const hour of a.hours) keys.add(`${source}|${a.pool.toLowerCase()}|${hour}`);
  }
  return { truth: (source, poolId, hourUnix) => keys.has(`${source}|${poolId.toLowerCase()}|${hourUnix}`), anomalousPoolHours: keys.size };
}
