/**
 * npm run backfill -- --source <id> --from <YYYY-MM-DD | ISO hour> --to <YYYY-MM-DD | ISO hour>
 *   [--store <url>] [--subgraph <local subgraph base URL>]
 *
 * Fetches every hour in the range (a date means the whole UTC day) into the raw layer, with a
 * progress bar. Re-running after an interrupt skips the hours already written. Sources, store and
 * secrets come from the same environment as the fetch function (DATA_STORE_URL, DEX_SOURCES,
 * LOCAL_SUBGRAPH_URL, SECRETS_BACKEND...); --store and --subgraph override it.
 */
import { z } from 'zod';
import { parseCliArgs } from './cli_args';
import { backfill, formatProgress, hoursBetween } from '../shared/fetch/backfill';
import { parseFetchConfig } from '../shared/fetch/fetch_config';
import { HOUR_SECONDS } from '../shared/fetch/plan_hours';
import { realRetryDeps } from '../shared/retry';
import { envSecrets } from '../shared/secrets/secrets';
import { secretManagerSecrets } from '../shared/secrets/secret_manager_secrets';
import { openObjectStore } from '../shared/storage/open_store';
import { createSubgraphClient, endpointUrl } from '../shared/subgraph/subgraph_client';

const day = /^\d{4}-\d{2}-\d{2}$/;
const when = z.string().refine((s) => day.test(s) || (!Number.isNaN(Date.parse(s)) && Date.parse(s) % 3_600_000 === 0), 'must be YYYY-MM-DD or a whole UTC hour');
const argsSchema = z.object({ source: z.string().min(1), from: when, to: when, store: z.string().optional(), subgraph: z.url().optional() });

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema);
  const env = { ...process.env, ...(a.store ? { DATA_STORE_URL: a.store } : {}), ...(a.subgraph ? { LOCAL_SUBGRAPH_URL: a.subgraph } : {}) };
  const config = parseFetchConfig(env);
  const source = config.sources.find((s) => s.id === a.source);
  if (!source) {
    console.error(`--source: no source '${a.source}' (configured: ${config.sources.map((s) => s.id).join(', ')})`);
    process.exit(2);
  }
  const from = day.test(a.from) ? Date.parse(`${a.from}T00:00:00Z`) / 1000 : Date.parse(a.from) / 1000;
  const to = day.test(a.to) ? Date.parse(`${a.to}T23:00:00Z`) / 1000 : Date.parse(a.to) / 1000;
  if (to < from) {
    console.error('--to is before --from');
    process.exit(2);
  }
  const secrets = config.secretsBackend === 'secret-manager' ? secretManagerSecrets(config.projectId!) : envSecrets(env);
  const { url } = await endpointUrl(source, secrets);
  const interrupt = { requested: false };
  process.on('SIGINT', () => {
    interrupt.requested = true;
    process.stderr.write('\ninterrupt: stopping after the current hour (run again to resume)\n');
  });
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const result = await backfill(source, hoursBetween(from, to), {
    store: openObjectStore(config.storeUrl),
    client: createSubgraphClient(source.id, url, { timeoutMs: config.timeoutMs }),
    retryPolicy: config.retryPolicy,
    retryDeps: realRetryDeps,
    now: () => new Date(),
    shouldStop: () => interrupt.requested,
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r${formatProgress(p)}`);
      else if (p.done === p.total || Date.now() - lastLine > 5000) {
        lastLine = Date.now();
        process.stderr.write(`${formatProgress(p)}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  console.log(JSON.stringify({ severity: 'INFO', message: `backfill of ${source.id} ${interrupt.requested ? 'interrupted' : 'finished'}`, hours: result.done, skipped: result.skipped, rows: result.rows, quarantined: result.quarantined, requests: result.requests, seconds: Math.round(result.elapsedMs / 100) / 10, from: new Date(from * 1000).toISOString(), to: new Date((to + HOUR_SECONDS) * 1000).toISOString() }));
}

void main().catch((err: unknown) => {
  console.error(JSON.stringify({ severity: 'ERROR', message: (err as Error).message }));
  process.exit(1);
});
