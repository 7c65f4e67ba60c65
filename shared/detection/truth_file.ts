import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { EVENT_TYPES, type TruthEvent } from './evaluate';

/** The injected types of the simulator (abandonment is a liquidity_drain with origin 'abandonment'). */
const INJECTED_TYPES = EVENT_TYPES.filter((t) => t !== 'abandonment') as [string, ...string[]];

/** truth.json as the local simulator writes it (`local/market`): the injected anomalies, hour by hour. */
export const truthFileSchema = z.object({
  anomalies: z.array(
    z.object({
      subgraph: z.string(),
      pool: z.string(),
      type: z.enum(INJECTED_TYPES),
      hours: z.array(z.number().int()).min(1),
      origin: z.literal('abandonment').optional(),
    }),
  ),
});

/** The key the evaluation matches alerts and events on: source id and pool id, case-insensitive. */
export function truthPoolKey(source: string, poolId: string): string {
  return `${source}/${poolId.toLowerCase()}`;
}

/**
 * Parses a truth file into events. `sourceOfSubgraph` maps the simulator's subgraph kind
 * (uniswap-v3, ...) to the mart's source id; entries of other subgraphs are ignored when
 * `ignoreUnknown` is set, refused otherwise (InvalidInputError naming the subgraph).
 */
export function truthEventsFromFile(json: unknown, sourceOfSubgraph: Readonly<Record<string, string>>, ignoreUnknown = false): TruthEvent[] {
  const parsed = truthFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`truth file field '${issue.path.join('.')}': ${issue.message}`);
  }
  const events: TruthEvent[] = [];
  for (const a of parsed.data.anomalies) {
    const source = sourceOfSubgraph[a.subgraph];
    if (source === undefined) {
      if (ignoreUnknown) continue;
      throw new InvalidInputError(`truth file: no source for subgraph '${a.subgraph}' (known: ${Object.keys(sourceOfSubgraph).join(', ')})`);
    }
    events.push({ pool: truthPoolKey(source, a.pool), type: a.origin === 'abandonment' ? 'abandonment' : (a.type as TruthEvent['type']), hours: a.hours });
  }
  return events;
}
