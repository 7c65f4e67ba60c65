import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReplayDir } from '../../../local/replay/read_replay';
import { newestDays, ReplayFormatError } from '../../../local/replay/replay_format';
import { FIXTURE_DIR, fixtureFiles } from '../../fixtures/replay/generate_fixture';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-format-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const goodLine = readFileSync(join(FIXTURE_DIR, 'uniswap-v3', 'poolHourDatas.jsonl'), 'utf8').split('\n')[0]!;

function write(path: string, text: string): string {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  return join(dir, path);
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ReplayFormatError);
    return (err as Error).message;
  }
  throw new Error('expected a ReplayFormatError');
}

test('the committed fixture is what its generator writes', () => {
  for (const [path, text] of Object.entries(fixtureFiles().files)) expect(readFileSync(join(FIXTURE_DIR, path), 'utf8')).toBe(text);
});

test('the fixture reads as two kinds, 7 pools, 1,593 rows over 10 days', () => {
  const { recording, digest } = readReplayDir(FIXTURE_DIR);
  expect(recording.kinds.map((k) => [k.kind, k.rows.length])).toEqual([['uniswap-v3', 715], ['sushiswap-v2', 878]]);
  expect(recording.pools).toBe(7);
  expect(recording.firstHour).toBe(Date.UTC(2026, 10, 15, 0) / 1000);
  expect(recording.lastHour).toBe(Date.UTC(2026, 10, 24, 23) / 1000);
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  const cut = newestDays(recording, 2);
  expect(cut.firstHour).toBe(Date.UTC(2026, 10, 23, 0) / 1000);
  expect(cut.lastHour).toBe(recording.lastHour);
});

test.each([
  ['a line that is not JSON', `${goodLine}\n{"id": "0xab-1",\n`, /poolHourDatas\.jsonl line 2: not a JSON object \(/],
  ['a missing field', `${goodLine.replace(/"tvlUSD":"[^"]*",/, '')}\n`, /poolHourDatas\.jsonl line 1: field 'tvlUSD': Invalid input: expected string, received undefined$/],
  ['a number where a decimal string belongs', `\n${goodLine.replace(/"volumeUSD":"[^"]*"/, '"volumeUSD":12.5')}\n`, /line 2: field 'volumeUSD': Invalid input: expected string, received number$/],
  ['an hour that is not whole', `${goodLine.replace(/"periodStartUnix":(\d+)/, (_m, t: string) => `"periodStartUnix":${String(Number(t) + 60)}`)}\n`, /line 1: field 'periodStartUnix': must be a whole UTC hour/],
  ['an id twice', `${goodLine}\n${goodLine}\n`, /line 2: field 'id': '0x[0-9a-f]+-\d+' repeats line 1/],
  ['an array line', '[1,2]\n', /line 1: expected one JSON object per line, got an array/],
])('%s fails naming the file, the line and the field', (_what, text, expected) => {
  const file = write('uniswap-v3/poolHourDatas.jsonl', text);
  const message = errorOf(() => readReplayDir(dir));
  expect(message.startsWith(`${file} line `)).toBe(true);
  expect(message).toMatch(expected);
});

test('a nonexistent, empty or foreign folder fails saying what a replay folder holds', () => {
  expect(errorOf(() => readReplayDir(join(dir, 'nope')))).toBe(`replay folder ${join(dir, 'nope')} does not exist`);
  expect(errorOf(() => readReplayDir(dir))).toBe(`replay folder ${dir} is empty: expected uniswap-v3/poolHourDatas.jsonl, sushiswap-v2/pairHourDatas.jsonl or sushiswap-v3/poolHourDatas.jsonl (see docs/replay-format.md)`);
  write('uniswap-v3/poolHourDatas.jsonl', '\n\n');
  expect(errorOf(() => readReplayDir(dir))).toMatch(/holds no entities: expected uniswap-v3\/poolHourDatas\.jsonl/);
  write('uniswap-v3/pairHourDatas.jsonl', goodLine);
  expect(errorOf(() => readReplayDir(dir))).toBe(`${join(dir, 'uniswap-v3', 'pairHourDatas.jsonl')}: unknown file; uniswap-v3/ holds only poolHourDatas.jsonl`);
  rmSync(join(dir, 'uniswap-v3'), { recursive: true });
  write('pancakeswap/poolHourDatas.jsonl', goodLine);
  expect(errorOf(() => readReplayDir(dir))).toMatch(/pancakeswap: unknown entry; a replay folder holds only uniswap-v3, sushiswap-v2, sushiswap-v3/);
});
