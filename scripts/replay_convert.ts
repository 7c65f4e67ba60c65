/**
 * npm run replay:convert -- <thegraph-realdata folder> <replay folder>
 *
 * Converts the recorded real subgraph responses of ../shared/fixtures/thegraph-realdata into the
 * replay format (docs/replay-format.md), for `npm run pipeline -- --replay <replay folder>`. The
 * output is third-party data: keep it out of git.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { CliUsageError, parseCliArgs, runCli } from './cli_args';
import { convertHourlyCsv, REALDATA_HOURLY_FILE, REALDATA_MISSING_FIELDS } from '../local/replay/convert_realdata';
import { readReplayDir } from '../local/replay/read_replay';
import { REPLAY_FILES } from '../local/replay/replay_format';

/** Recordings that cannot be replayed hour by hour, and why. */
const SKIPPED = [
  'uniswap-v3/*poolDayDatas*.json, uniswap-v3/*pools_daily*.csv: daily data (the pipeline scores hours)',
  'uniswap-v3/StardustLID_topPoolDatas.json: pool snapshots, no history',
  'sushiswap-legacy-exchange/: daily pair data without pair ids',
];

function convert(): void {
  const a = parseCliArgs(z.object({}), process.argv.slice(2), {
    usage: 'npm run replay:convert -- <thegraph-realdata folder> <replay folder>',
    summary: 'Converts ../shared/fixtures/thegraph-realdata into the replay format (docs/replay-format.md) for npm run pipeline -- --replay.',
    positionals: ['in', 'out'],
  });
  const [from, to] = a._;
  if (from === undefined || to === undefined) throw new CliUsageError('expected two arguments: <thegraph-realdata folder> <replay folder>');
  const input = join(resolve(from), REALDATA_HOURLY_FILE);
  if (!existsSync(input)) throw new CliUsageError(`${input} not found: the first argument is the thegraph-realdata folder (e.g. ../shared/fixtures/thegraph-realdata)`);
  const rows = convertHourlyCsv(readFileSync(input, 'utf8'));
  const kindDir = join(resolve(to), 'uniswap-v3');
  mkdirSync(kindDir, { recursive: true });
  writeFileSync(join(kindDir, REPLAY_FILES['uniswap-v3']), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    join(resolve(to), 'README.md'),
    `# Replay of recorded real subgraph data (third-party, do not commit)\n\nConverted by \`npm run replay:convert\` from \`${REALDATA_HOURLY_FILE}\`: ${String(rows.length)} PoolHourData rows.\n` +
      `Fields the recording lacks, written as "0" (or null for tick; token identities are placeholders): ${REALDATA_MISSING_FIELDS.join(', ')}.\n`,
  );
  // Read back through the same reader the pipeline uses: what was written is valid replay input.
  const { recording } = readReplayDir(to);
  const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 13) + ':00Z';
  process.stdout.write(`wrote ${String(rows.length)} uniswap-v3 poolHourDatas (${String(recording.pools)} pool, ${iso(recording.firstHour)} .. ${iso(recording.lastHour)}) to ${join(kindDir, REPLAY_FILES['uniswap-v3'])}\n`);
  process.stdout.write(`fields the recording lacks, written as 0: ${REALDATA_MISSING_FIELDS.join(', ')}\n`);
  process.stdout.write(`not converted:\n${SKIPPED.map((s) => `  ${s}`).join('\n')}\n`);
  process.stdout.write(`next: npm run pipeline -- --replay ${to}\n`);
}

// A mistake thrown synchronously still reaches runCli as a rejection (one line, no stack).
void runCli(() => Promise.resolve().then(convert));
