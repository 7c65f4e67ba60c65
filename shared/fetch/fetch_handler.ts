import type { Request, Response } from '@google-cloud/functions-framework';
import { httpStatusOf } from '../errors';
import { jsonLogger, type Logger } from '../logging';
import { realRetryDeps, type RetryDeps } from '../retry';
import { envSecrets, type Secrets } from '../secrets/secrets';
import { secretManagerSecrets } from '../secrets/secret_manager_secrets';
import { openObjectStore } from '../storage/open_store';
import { createSubgraphClient, endpointUrl } from '../subgraph/subgraph_client';
import { parseFetchConfig } from './fetch_config';
import { HOUR_SECONDS, lastFullHour } from './plan_hours';
import { runFetch, type FetchRunSummary } from './run_fetch';

export interface FetchHandlerOverrides {
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly retryDeps?: RetryDeps;
  readonly secrets?: Secrets;
}

/**
 * The fetch function's HTTP handler, built once per instance from the environment (a bad
 * configuration throws here, at start-up). Each call fetches the missing hours of every source
 * and answers a JSON summary: 200 when all succeeded, otherwise the status of the first failure
 * (5xx for what a retry can fix), so Cloud Scheduler retries.
 */
export function createFetchHandler(env: Readonly<Record<string, string | undefined>>, overrides: FetchHandlerOverrides = {}): (req: Request, res: Response) => Promise<void> {
  const config = parseFetchConfig(env);
  const store = openObjectStore(config.storeUrl);
  const secrets = overrides.secrets ?? (config.secretsBackend === 'secret-manager' ? secretManagerSecrets(config.projectId!) : envSecrets(env));
  const secretValues: string[] = [];
  const baseLogger = overrides.logger ?? jsonLogger(undefined, { component: 'fetch' }, secretValues);
  const now = overrides.now ?? (() => new Date());
  return async (_req, res) => {
    const summary: FetchRunSummary = await runFetch(
      config.sources,
      {
        store,
        now,
        logger: baseLogger,
        retryPolicy: config.retryPolicy,
        retryDeps: overrides.retryDeps ?? realRetryDeps,
        clientFor: async (source) => {
          const { url, secret } = await endpointUrl(source, secrets);
          if (secret && !secretValues.includes(secret)) secretValues.push(secret);
          return createSubgraphClient(source.id, url, { timeoutMs: config.timeoutMs });
        },
      },
      { maxHoursPerSource: config.maxHoursPerRun, startHour: config.startHour ?? lastFullHour(now()) - 23 * HOUR_SECONDS },
    );
    const { firstError, ...body } = summary;
    res.status(summary.ok ? 200 : httpStatusOf(firstError)).json(body);
  };
}
