/**
 * npm run subgraph:local -- --port 8000 --pools 500 --days 30 --seed 1 [--end <ISO hour>]
 *   [--truth <file>] [--api-key <key>] [--host 127.0.0.1] [--replay <replay folder>]
 *   [--fault <faults>]   e.g. --fault head-advances,429%3 (see FAULT_SPEC_HELP)
 *
 * Serves a simulated market (or, with --replay, recorded responses in the format of
 * docs/replay-format.md) as the Uniswap V3,
 * SushiSwap V2 and SushiSwap V3 subgraphs, at graph-node paths and at the gateway's path form,
 * until interrupted.
 */
import { writeFileSync } from 'node:fs';
import * as z from 'zod';
import { parseCliArgs, runCli } from '../../scripts/cli_args';
import { lastFullHour } from '../../shared/hours';
import { HOUR_SECONDS, SUBGRAPH_KINDS } from '../market/market';
import { simulateMarket } from '../market/simulate_market';
import { FAULT_SPEC_HELP, parseFaultSpec } from './fault_spec';
import type { FaultRule } from './faults';
import { marketData, startLocalSubgraph, type ServedData } from './local_subgraph_server';
import { loadReplay } from './replay_source';

const isoHour = z
  .string()
  .transform((s, ctx) => {
    const ms = Date.parse(s);
    if (Number.isNaN(ms) || ms % (HOUR_SECONDS * 1000) !== 0) {
      ctx.addIssue({ code: 'custom', message: `'${s}' is not a whole UTC hour such as 2026-11-24T23:00:00Z` });
      return z.NEVER;
    }
    return ms / 1000;
  });

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8000),
  host: z.string().default('127.0.0.1'),
  pools: z.coerce.number().int().min(1).max(20000).default(500),
  days: z.coerce.number().positive().max(400).default(30),
  seed: z.coerce.number().int().min(0).default(1),
  end: isoHour.optional(),
  truth: z.string().optional(),
  'api-key': z.string().min(1).default('local-dev-key'),
  replay: z.string().optional(),
  fault: z
    .string()
    .transform((text, ctx): FaultRule[] => {
      try {
        return parseFaultSpec(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `${(err as Error).message}\n${FAULT_SPEC_HELP}` });
        return z.NEVER;
      }
    })
    .optional(),
});


async function main(): Promise<void> {
  const a = parseCliArgs(argsSchema, process.argv.slice(2), {
    usage: 'npm run subgraph:local -- [--port 8000] [--pools 500] [--days 30] [--seed 1] [--end <ISO hour>] [--truth <file>] [--replay <dir>] [--fault <spec>]',
    summary: 'Serves a simulated market (or recorded responses) as the Uniswap V3, SushiSwap V2 and V3 subgraphs until interrupted.',
  });
  let data: ServedData;
  let what: string;
  if (a.replay) {
    data = loadReplay(a.replay);
    what = `the replay folder ${a.replay}`;
  } else {
    const market = simulateMarket({ seed: a.seed, pools: a.pools, days: a.days, endHour: a.end ?? lastFullHour(new Date()) });
    if (a.truth) writeFileSync(a.truth, JSON.stringify({ seed: a.seed, startTime: market.startTime, hours: market.hours, anomalies: market.truth }, null, 2) + '\n');
    data = marketData(market);
    what = `${a.pools} simulated pools per subgraph (seed ${a.seed}, ${market.truth.length} injected anomalies)`;
  }
  const server = await startLocalSubgraph({ data, port: a.port, host: a.host, apiKey: a['api-key'] });
  for (const rule of a.fault ?? []) server.faults.add(rule);
  if (a.fault) console.log(JSON.stringify({ severity: 'INFO', message: 'fault switches on', faults: a.fault }));
  const window = `${new Date(data.startTime * 1000).toISOString()} .. ${new Date((data.endTime - HOUR_SECONDS) * 1000).toISOString()}`;
  console.log(JSON.stringify({ severity: 'INFO', message: `local subgraph serving ${what}, hours ${window}` }));
  for (const kind of SUBGRAPH_KINDS) console.log(`${kind.padEnd(13)} ${server.url(kind)}   gateway: ${server.gatewayUrl(kind)}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void runCli(main);
