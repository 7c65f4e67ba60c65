/**
 * The truth file format (docs/replay-format.md#truth-file): the simulator's truth.json, and the
 * format any other generator writes to have its alerts judged by `npm run pipeline -- --truth`.
 */
import * as z from 'zod';
import { InvalidInputError } from '../errors';
import { HOUR_SECONDS } from '../hours';
import { SUBGRAPH_KINDS } from '../subgraph/kinds';
import { EVENT_TYPES, type TruthEvent } from './evaluate';

/** One labelled event: a pool of a subgraph kind, its type and every affected hour (first = onset). */
export const truthAnomalySchema = z.object({
  subgraph: z.enum(SUBGRAPH_KINDS),
  /** The pool (pair) id as the subgraph names it (an address on-chain); matched case-insensitively. */
  pool: z.string().min(1, 'must name the pool'),
  type: z.enum(EVENT_TYPES),
  hours: z.array(z.number().int().refine((t) => t % HOUR_SECONDS === 0, 'must be an hour start in unix seconds (a multiple of 3600)')).min(1, 'must list at least the onset hour'),
  /** The simulator's factor (volume multiple, share of TVL removed, price error); informative. */
  magnitude: z.number().optional(),
  /** 'abandonment': the simulator's liquidity withdrawn to nothing, judged as the abandonment type. */
  origin: z.literal('abandonment').optional(),
});

/** truth.json: `anomalies` is what is judged; the rest says what made it. */
export const truthFileSchema = z.object({
  seed: z.number().int().optional(),
  /** Unix seconds of the first simulated hour, and the number of hours. */
  startTime: z.number().int().optional(),
  hours: z.number().int().optional(),
  anomalies: z.array(truthAnomalySchema),
});
export type TruthFile = z.infer<typeof truthFileSchema>;

/** Parses a truth file's text; errors name the file and the field (`anomalies.3.hours.0`). */
export function parseTruthFile(text: string, label: string): TruthFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`truth file ${label}: not JSON (${(err as Error).message})`);
  }
  const parsed = truthFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `field '${i.path.join('.') || '(file)'}': ${i.message}`);
    throw new InvalidInputError(`truth file ${label}: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (and ${String(issues.length - 3)} more)` : ''}`);
  }
  return parsed.data;
}

/**
 * The events of the sources a run fetched, keyed like the alerts (`<source id>/<pool>`, lower
 * case); events of other subgraph kinds are counted as ignored.
 */
export function truthEvents(truth: TruthFile, sources: readonly { readonly id: string; readonly kind: string }[]): { events: TruthEvent[]; ignored: number } {
  const events = eventsOf(truth, Object.fromEntries(sources.map((s) => [s.kind, s.id])), true);
  return { events, ignored: truth.anomalies.length - events.length };
}

/** The key the evaluation matches alerts and events on: source id and pool id, case-insensitive. */
export function truthPoolKey(source: string, poolId: string): string {
  return `${source}/${poolId.toLowerCase()}`;
}

/**
 * Parses a truth file's JSON into events. `sourceOfSubgraph` maps the subgraph kind (uniswap-v3,
 * ...) to the mart's source id; entries of other subgraphs are ignored when `ignoreUnknown` is
 * set, refused otherwise (InvalidInputError naming the subgraph).
 */
export function truthEventsFromFile(json: unknown, sourceOfSubgraph: Readonly<Record<string, string>>, ignoreUnknown = false): TruthEvent[] {
  const parsed = truthFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`truth file field '${issue.path.join('.')}': ${issue.message}`);
  }
  return eventsOf(parsed.data, sourceOfSubgraph, ignoreUnknown);
}

/** The anomalies of the subgraphs a source is known for, as events keyed by `truthPoolKey`. */
function eventsOf(truth: TruthFile, sourceOfSubgraph: Readonly<Record<string, string>>, ignoreUnknown: boolean): TruthEvent[] {
  const events: TruthEvent[] = [];
  for (const a of truth.anomalies) {
    const source = sourceOfSubgraph[a.subgraph];
    if (source === undefined) {
      if (ignoreUnknown) continue;
      throw new InvalidInputError(`truth file: no source for subgraph '${a.subgraph}' (known: ${Object.keys(sourceOfSubgraph).join(', ')})`);
    }
    events.push({ pool: truthPoolKey(source, a.pool), type: a.origin === 'abandonment' ? 'abandonment' : a.type, hours: a.hours });
  }
  return events;
}
