/**
 * npm run backfill -- --source <id> --from <YYYY-MM-DD | ISO hour> --to <YYYY-MM-DD | ISO hour>
 *   [--store <url>] [--subgraph <local subgraph base URL>]
 *
 * Fetches every hour in the range (a date means the whole UTC day) into the raw layer, with a
 * progress bar. Re-running after an interrupt skips the hours already written. Sources, store and
 * secrets come from the same environment as the fetch function (DATA_STORE_URL, DEX_SOURCES,
 * LOCAL_SUBGRAPH_URL, SECRETS_BACKEND...); --store and --subgraph override it.
 */
import * as z from 'zod';
import { CliUsageError, parseCliArgs, runCli } from './cli_args';
import { withLocalDefaults } from './local_defaults';
import { backfill, formatProgress, hoursBetween } from '../shared/fetch/backfill';
import { parseFetchConfig } from '../shared/fetch/fetch_config';
import { HOUR_SECONDS } from '../shared/fetch/plan_hours';
import { subgraphClientFor } from '../shared/pipeline/fetch_sources';
import { realRetryDeps } from '../shared/retry';
import { openSecrets } from '../shared/secrets/open_secrets';
import { openObjectStore } from '../shared/storage/open_store';

const day = /^\d{4}-\d{2}-\d{2}$/;
const when = z.string().refine((s) => (day.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))) || (!day.test(s) && !Number.isNaN(Date.parse(s)) && Date.parse(s) % 3_600_000 === 0), 'must be a date YYYY-MM-DD or a whole UTC hour such as 2026-11-24T07:00:00Z');
const argsSchema = z.object({
  source: z.string().min(1).describe('source id, e.g. uniswap-v3-ethereum'),
  from: when.describe('first day or hour (UTC)'),
  to: when.describe('last day or hour (UTC), inclusive'),
  store: z.string().optional().describe('store URL (default: $DATA_STORE_URL, else data/lake)'),
  subgraph: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as http://127.0.0.1:8000' }).optional().describe('base URL of a local subgraph (npm run subgraph:local)'),
});

async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run backfill -- --source <id> --from <YYYY-MM-DD | ISO hour> --to <YYYY-MM-DD | ISO hour> [--store <url>] [--subgraph <url>]',
    summary: 'Fetches every hour of the range into the raw layer with a progress bar; resumes after an interrupt.',
  });
  const env = withLocalDefaults({ ...process.env, ...(a.store ? { DATA_STORE_URL: a.store } : {}), ...(a.subgraph ? { LOCAL_SUBGRAPH_URL: a.subgraph, DEX_SOURCES: undefined, DEX_SOURCES_FILE: undefined } : {}) });
  const config = parseFetchConfig(env);
  const source = config.sources.find((s) => s.id === a.source);
  if (!source) throw new CliUsageError(`--source: no source '${a.source}' (configured: ${config.sources.map((s) => s.id).join(', ')})`);
  const from = day.test(a.from) ? Date.parse(`${a.from}T00:00:00Z`) / 1000 : Date.parse(a.from) / 1000;
  const to = day.test(a.to) ? Date.parse(`${a.to}T23:00:00Z`) / 1000 : Date.parse(a.to) / 1000;
  if (to < from) throw new CliUsageError(`--to (${a.to}) is before --from (${a.from})`);
  const secrets = await openSecrets(config.secretsBackend, config.projectId, env);
  const interrupt = { requested: false };
  process.on('SIGINT', () => {
    interrupt.requested = true;
    process.stderr.write('\ninterrupt: stopping after the current hour (run again to resume)\n');
  });
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const result = await backfill(source, hoursBetween(from, to), {
    store: openObjectStore(config.storeUrl),
    client: await subgraphClientFor(source, config, { secrets }),
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

void runCli(main);
