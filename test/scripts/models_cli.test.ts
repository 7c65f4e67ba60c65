import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FEATURE_NAMES } from '../../shared/features/feature_spec';
import { DuckDbWarehouse } from '../../shared/warehouse/duckdb_warehouse';
import { createSyntheticMart } from '../helpers/synthetic_mart';

const REPO = resolve(__dirname, '..', '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
let dir: string;

function cli(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [join(REPO, 'scripts', script), ...args], { encoding: 'utf8', env: { ...process.env, USER: 'tester' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'models-cli-'));
  const wh = await DuckDbWarehouse.open(join(dir, 'warehouse.duckdb'));
  await createSyntheticMart(wh, { sources: ['uniswap-v3-ethereum'], poolsPerSource: 20, hours: 240, end: '2026-11-01T00:00:00Z', featureNames: FEATURE_NAMES, dexAndChain: true });
  await wh.close();
  writeFileSync(join(dir, 'truth.json'), JSON.stringify({ seed: 1, anomalies: [{ subgraph: 'uniswap-v3', pool: '0xPOOL0_3', type: 'volume_spike', hours: [Date.parse('2026-10-30T05:00:00Z') / 1000] }] }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('train, train again, list, rollback by hand, and the errors a person sees', () => {
  const window = ['--store', dir, '--window-days', '10', '--eval-days', '3', '--window-end', '2026-11-01T00:00:00Z', '--trees', '20'];
  const first = cli('train.ts', ...window, '--format', 'json');
  expect(first.status).toBe(0);
  const run = JSON.parse(first.stdout) as { version: string; promoted: boolean; groundTruth: { overall: { positives: number } } };
  expect([run.promoted, run.groundTruth.overall.positives]).toEqual([true, 1]);
  const second = cli('train.ts', ...window, '--seed', '5');
  expect(second.stdout).toContain('| new: uniswap-v3-ethereum |');
  // The truth's one volume spike falls in the evaluation days: the detection figures are printed.
  expect(second.stdout).toMatch(/\| volume_spike \| 1 \| [01] \| [01] \|/);

  const list = cli('models.ts', 'list', '--store', dir);
  expect(list.stdout.trim().split('\n').filter((l) => /^\| \d{8}T/.test(l))).toHaveLength(2);
  const rolled = cli('models.ts', 'rollback', '--store', dir, '--reason', 'checking');
  if (second.stdout.includes('PROMOTED')) {
    expect(rolled.stdout).toContain(`-> ${run.version} (rolled back by tester)`);
  } else {
    expect(rolled.stderr.trim()).toBe('error: model pool-hour-iforest has no earlier production version to roll back to');
  }

  expect(cli('models.ts', 'promote', '--store', dir).stderr.trim()).toBe('error: promote needs <version>: npm run models -- promote <version>');
  expect(cli('models.ts', 'nope').stderr.trim()).toBe("error: unknown command 'nope'; commands: list, show, promote, rollback, import (--help for flags)");
  expect(cli('models.ts', '--help').stdout).toContain('npm run models -- import <file>');
  const stale = cli('train.ts', '--store', dir, '--window-end', '2020-01-01T00:00:00Z');
  expect([stale.status, stale.stderr.trim()]).toEqual([1, 'error: the mart has no eligible rows (warm, no data error) in the window 2019-12-02T00:00:00.000Z .. 2020-01-01T00:00:00.000Z']);
}, 300_000); // a ceiling for eight CLI processes on a busy machine, not a speed check
