import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStoreIdentity } from '../../shared/local_store/store_identity';

const REPO = join(__dirname, '..', '..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'transform.ts'), ...args], { cwd: REPO, encoding: 'utf8' });

test('a store that does not exist is one line, exit 2, and nothing is created', () => {
  const r = run('--store', '/nonexistent/dex-anomaly-store');
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe('error: --store: /nonexistent/dex-anomaly-store does not exist (fill it first: npm run pipeline -- --out <folder>, whose store is <folder>/lake, or npm run backfill)');
});

// Before, a pipeline's store failed its freshness assertion when transformed again later (it was measured against now), and a
// second run on a store without raw files crashed (the stand-in empty table could not be dropped as a view).
test("a simulated store's freshness is measured against the hour after its last hour unless told otherwise", () => {
  const store = mkdtempSync(join(tmpdir(), 'transform-cli-'));
  try {
    writeStoreIdentity(store, { seed: 1, pools: 2, days: 7, endHour: '2026-11-24T23:00:00.000Z' });
    const reference = (r: ReturnType<typeof run>) => (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { freshness_reference: string }).freshness_reference;
    expect(reference(run('--store', store))).toBe('2026-11-25T00:00:00.000Z');
    expect(reference(run('--store', store, '--freshness-reference', '2026-12-01T00:00:00Z'))).toBe('2026-12-01T00:00:00Z');
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}, 600_000);
