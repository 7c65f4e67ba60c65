import type { Source } from '../config/sources';
import type { FetchConfig } from '../fetch/fetch_config';
import { HOUR_SECONDS, lastFullHour } from '../fetch/plan_hours';
import { runFetch, type FetchRunSummary } from '../fetch/run_fetch';
import type { Logger } from '../logging';
import type { RetryDeps } from '../retry';
import type { Secrets } from '../secrets/secrets';
import type { ObjectStore } from '../storage/object_store';
import { createSubgraphClient, endpointUrl, type SubgraphClient } from '../subgraph/subgraph_client';

export interface FetchPorts {
  readonly store: ObjectStore;
  readonly secrets: Secrets;
  readonly logger: Logger;
  readonly retryDeps: RetryDeps;
  now(): Date;
  /** Called with every secret value read, so the caller's logger can redact it. */
  onSecret?(value: string): void;
}

export interface FetchSourcesOptions {
  /** Only these source ids (default: every configured source). */
  readonly sourceIds?: readonly string[];
  /** Overrides the configured per-run cap (the local pipeline fetches a whole window at once). */
  readonly maxHoursPerSource?: number;
  /** First hour for a source with no watermark (unix seconds); default: the configured start, or 24 h back. */
  readonly startHour?: number;
  /** Hours of one source fetched at once (default 1; see FetchRunOptions). */
  readonly hoursInFlight?: number;
}

/**
 * The fetch use-case: every missing complete hour of each configured source into the raw layer.
 * The fetch function, the local pipeline and the tests call this one wiring.
 */
export async function fetchSources(config: FetchConfig, ports: FetchPorts, options: FetchSourcesOptions = {}): Promise<FetchRunSummary> {
  const sources = options.sourceIds ? config.sources.filter((s) => options.sourceIds!.includes(s.id)) : config.sources;
  return runFetch(
    sources,
    {
      store: ports.store,
      now: () => ports.now(),
      logger: ports.logger,
      retryPolicy: config.retryPolicy,
      retryDeps: ports.retryDeps,
      clientFor: (source) => subgraphClientFor(source, config, ports),
    },
    {
      maxHoursPerSource: options.maxHoursPerSource ?? config.maxHoursPerRun,
      startHour: options.startHour ?? config.startHour ?? lastFullHour(ports.now()) - 23 * HOUR_SECONDS,
      ...(options.hoursInFlight === undefined ? {} : { hoursInFlight: options.hoursInFlight }),
    },
  );
}

/** The subgraph client of one source, its gateway key read from the secrets port. */
export async function subgraphClientFor(source: Source, config: Pick<FetchConfig, 'timeoutMs'>, ports: Pick<FetchPorts, 'secrets' | 'onSecret'>): Promise<SubgraphClient> {
  const { url, secret } = await endpointUrl(source, ports.secrets);
  if (secret) ports.onSecret?.(secret);
  return createSubgraphClient(source.id, url, { timeoutMs: config.timeoutMs });
}
