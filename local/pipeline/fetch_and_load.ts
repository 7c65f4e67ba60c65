import { parseFetchConfig } from '../../shared/fetch/fetch_config';
import type { FetchRunSummary } from '../../shared/fetch/run_fetch';
import { HOUR_SECONDS } from '../../shared/hours';
import type { LoadAllResult } from '../../shared/load/load_all_manifests';
import type { Logger } from '../../shared/logging';
import { silentLogger } from '../../shared/logging';
import { fetchSources } from '../../shared/pipeline/fetch_sources';
import { loadAllManifests } from '../../shared/pipeline/load_objects';
import { realRetryDeps } from '../../shared/retry';
import { envSecrets } from '../../shared/secrets/secrets';
import type { ObjectStore } from '../../shared/storage/object_store';
import type { Warehouse } from '../../shared/warehouse/warehouse';

/** A logger that counts the hours fetched, for the progress bar. */
function countingLogger(onHour: () => void): Logger {
  const logger: Logger = {
    log: (_severity, message) => {
      if (message.startsWith('fetched hour')) onHour();
    },
    child: () => logger,
  };
  return logger;
}

export interface FetchWindowOptions {
  readonly store: ObjectStore;
  readonly lakeDir: string;
  /** The local subgraph, e.g. http://127.0.0.1:41234 */
  readonly subgraphUrl: string;
  /** Last hour of the window (unix seconds of its start). */
  readonly endHour: number;
  readonly days: number;
  /** Called once per hour written. */
  readonly onHour?: () => void;
  /** Hours of one source fetched at once (default HOURS_IN_FLIGHT). */
  readonly hoursInFlight?: number;
  /** Only these subgraph kinds (a replay may hold fewer than the local subgraph serves); default all. */
  readonly kinds?: readonly string[];
}

/**
 * While the subgraph answers one request of a source, this process writes the hours it already
 * has: a few hours in flight per source keep both processes busy on two cores.
 */
export const HOURS_IN_FLIGHT = 4;

/** The sources the local subgraph serves (for the hour count of a progress bar). */
export function localSourceCount(subgraphUrl: string): number {
  return parseFetchConfig({ DATA_STORE_URL: '.', LOCAL_SUBGRAPH_URL: subgraphUrl }).sources.length;
}

/**
 * The pipeline's fetch step: every hour of the window of every source the local subgraph serves,
 * through the fetch use-case the Cloud Function calls, as if run just after the window ended.
 */
export function fetchWindow(options: FetchWindowOptions): Promise<FetchRunSummary> {
  const served = parseFetchConfig({ DATA_STORE_URL: options.lakeDir, LOCAL_SUBGRAPH_URL: options.subgraphUrl });
  const config = options.kinds === undefined ? served : { ...served, sources: served.sources.filter((s) => options.kinds!.includes(s.kind)) };
  const hoursPerSource = options.days * 24;
  return fetchSources(
    config,
    {
      store: options.store,
      secrets: envSecrets({}),
      logger: countingLogger(() => options.onHour?.()),
      retryDeps: realRetryDeps,
      now: () => new Date((options.endHour + HOUR_SECONDS + 600) * 1000),
    },
    { maxHoursPerSource: hoursPerSource, startHour: options.endHour - (hoursPerSource - 1) * HOUR_SECONDS, hoursInFlight: options.hoursInFlight ?? HOURS_IN_FLIGHT },
  );
}

/** The pipeline's load step: every manifest of the store into the warehouse, through the load use-case. */
export function loadWindow(options: { readonly store: ObjectStore; readonly lakeDir: string; readonly warehouse: Warehouse; readonly onLoaded?: () => void }): Promise<LoadAllResult> {
  return loadAllManifests({ store: options.store, storeUrl: options.lakeDir, warehouse: options.warehouse, logger: silentLogger, now: () => new Date() }, { onLoaded: () => options.onLoaded?.() });
}
