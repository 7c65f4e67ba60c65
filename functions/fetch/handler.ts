import { isCloudRuntime, type Env } from '../../shared/config/env';
import { httpStatusOf } from '../../shared/errors';
import { parseFetchConfig } from '../../shared/fetch/fetch_config';
import { jsonLogger, type Logger } from '../../shared/logging';
import { fetchSources } from '../../shared/pipeline/fetch_sources';
import { realRetryDeps, type RetryDeps } from '../../shared/retry';
import { openSecrets } from '../../shared/secrets/open_secrets';
import type { Secrets } from '../../shared/secrets/secrets';
import { openObjectStore } from '../../shared/storage/open_store';
import { freshnessLogLine, logOps } from '../../shared/ops/ops_log';
import { httpFunction, type HttpEntry } from '../_runtime/http_function';

export interface FetchFunctionOverrides {
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly retryDeps?: RetryDeps;
  readonly secrets?: Secrets;
}

/**
 * The fetch function (HTTP, called hourly by Cloud Scheduler), built once per instance: a bad
 * configuration throws here, at cold start, naming the variable. Each call runs the fetch
 * use-case and answers its JSON summary: 200 when every source succeeded, otherwise the status of
 * the first failure (5xx only when a retry can help), so Cloud Scheduler retries.
 */
export function createFetchFunction(env: Env, overrides: FetchFunctionOverrides = {}): HttpEntry {
  const config = parseFetchConfig(env);
  const store = openObjectStore(config.storeUrl);
  const secretValues: string[] = [];
  const logger = overrides.logger ?? jsonLogger(undefined, { component: 'fetch' }, secretValues);
  const secrets = overrides.secrets ? Promise.resolve(overrides.secrets) : openSecrets(config.secretsBackend, config.projectId, env);
  const now = overrides.now ?? (() => new Date());
  return httpFunction(
    'fetch',
    async (_req, invocation) => {
      const summary = await fetchSources(config, {
        store,
        secrets: await secrets,
        logger: invocation.logger,
        retryDeps: overrides.retryDeps ?? realRetryDeps,
        now,
        onSecret: (value) => {
          if (!secretValues.includes(value)) secretValues.push(value);
        },
      });
      // The newest hour each source holds, for the staleness alert (terraform/modules/monitoring).
      for (const s of summary.sources) {
        const newest = s.fetched.length > 0 ? Date.parse(s.fetched[s.fetched.length - 1]!.hour) / 1000 : s.status === 'ok' && s.pending === 0 ? Date.parse(summary.lastFullHour) / 1000 : undefined;
        if (newest !== undefined) logOps(invocation.logger, freshnessLogLine('fetched', s.source, newest, now()));
      }
      const { firstError, ...body } = summary;
      return { status: summary.ok ? 200 : httpStatusOf(firstError), body };
    },
    { logger, projectId: isCloudRuntime(env) ? config.projectId : undefined },
  );
}
